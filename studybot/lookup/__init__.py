"""Look-up: the knowledge model and its loader (validation), search, and the ask service."""

from studybot.lookup.ask import Answer, AskService, fit, render_text
from studybot.lookup.bankreport import BankReport, bank_report
from studybot.lookup.bankreport import render as render_bank
from studybot.lookup.knowledge import (
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Question,
    Section,
    Subject,
    Topic,
    check,
    load,
    validate_question,
)

__all__ = [
    "Answer",
    "AskService",
    "BankReport",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Question",
    "Section",
    "Subject",
    "Topic",
    "bank_report",
    "check",
    "fit",
    "load",
    "render_bank",
    "render_text",
    "validate_question",
]
