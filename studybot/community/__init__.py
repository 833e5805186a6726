"""The group writes the bot: member question suggestions with moderation, "this is wrong"
reports, and exports (Anki, CSV, bank YAML) and the CSV import."""

from studybot.community.export import csv_questions
from studybot.community.forms import QuestionForm
from studybot.community.service import (
    FLAG_REPORTERS,
    CommunityService,
    Export,
    Moderated,
    Queue,
    Reported,
    Resolved,
    Submitted,
)

__all__ = [
    "FLAG_REPORTERS",
    "CommunityService",
    "Export",
    "Moderated",
    "QuestionForm",
    "Queue",
    "Reported",
    "Resolved",
    "Submitted",
    "csv_questions",
]
