"""The group writes the bot: member question suggestions with moderation, "this is wrong"
reports, and exports (Anki, CSV, bank YAML) and the CSV import."""

from studybot.community.export import bank_yaml, csv_questions
from studybot.community.forms import (
    ANSWER_MAX,
    EXPLANATION_MAX,
    LETTERS,
    OPTIONS_MAX,
    PROMPT_MAX,
    SOURCE_MAX,
    QuestionForm,
)
from studybot.community.service import (
    FLAG_REPORTERS,
    MAX_PENDING,
    CommunityService,
    Export,
    Moderated,
    Queue,
    Reported,
    Resolved,
    Submitted,
)

__all__ = [
    "ANSWER_MAX",
    "EXPLANATION_MAX",
    "FLAG_REPORTERS",
    "LETTERS",
    "MAX_PENDING",
    "OPTIONS_MAX",
    "PROMPT_MAX",
    "SOURCE_MAX",
    "CommunityService",
    "Export",
    "Moderated",
    "QuestionForm",
    "Queue",
    "Reported",
    "Resolved",
    "Submitted",
    "bank_yaml",
    "csv_questions",
]
