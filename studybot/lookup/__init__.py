"""Look-up: the knowledge model and its loader (validation), search, and the ask service."""

from studybot.lookup.ask import Answer, AskService, fit, render_text
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
)

__all__ = [
    "Answer",
    "AskService",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Question",
    "Section",
    "Subject",
    "Topic",
    "check",
    "fit",
    "load",
    "render_text",
]
