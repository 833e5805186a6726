"""The mock exam (issue 11): draw, timing, scoring; readiness; the exam date; review reminders."""

from studybot.exam.insights import Insights, InsightService
from studybot.exam.plan import PlanService, Reminder, desired_retention
from studybot.exam.readiness import Group, Readiness
from studybot.exam.rules import EXAM_MAX_MINUTES, EXAM_MAX_QUESTIONS, PASS_SCALED, Tally, scaled_score
from studybot.exam.service import ExamPage, ExamResult, ExamService, ExamView, Miss
from studybot.storage import Exam

__all__ = [
    "EXAM_MAX_MINUTES",
    "EXAM_MAX_QUESTIONS",
    "PASS_SCALED",
    "Exam",
    "ExamPage",
    "ExamResult",
    "ExamService",
    "ExamView",
    "Group",
    "InsightService",
    "Insights",
    "Miss",
    "PlanService",
    "Readiness",
    "Reminder",
    "Tally",
    "desired_retention",
    "scaled_score",
]
