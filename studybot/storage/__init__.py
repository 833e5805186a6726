"""Storage: the only package that speaks SQL, one repository per aggregate. Services reach it
through :class:`Storage`; front ends never import it (an import-linter contract)."""

from __future__ import annotations

from dataclasses import dataclass

from studybot.storage.answers import CHOICE_MAX, AnswerRepo, AnswerResult, NewAnswer
from studybot.storage.community import CommunityRepo, Season
from studybot.storage.contributions import MAX_PENDING, ContributionRepo, MemberQuestion, Report, Suggestion
from studybot.storage.db import Database
from studybot.storage.exams import Exam, ExamItem, ExamRepo, NewItem, StudyRecord
from studybot.storage.guilds import GuildRepo
from studybot.storage.insights import InsightRepo
from studybot.storage.plans import Plan, PlanRepo
from studybot.storage.posts import Post, PostRepo
from studybot.storage.reviews import ReviewRepo
from studybot.storage.study import Served, StudyRepo

__all__ = [
    "CHOICE_MAX",
    "MAX_PENDING",
    "AnswerResult",
    "Exam",
    "ExamItem",
    "MemberQuestion",
    "NewAnswer",
    "NewItem",
    "Plan",
    "Post",
    "Report",
    "Season",
    "Served",
    "Storage",
    "StudyRecord",
    "Suggestion",
]


@dataclass
class Storage:
    db: Database
    guilds: GuildRepo
    posts: PostRepo
    answers: AnswerRepo
    reviews: ReviewRepo
    community: CommunityRepo
    study: StudyRepo
    contributions: ContributionRepo
    exams: ExamRepo
    plans: PlanRepo
    insights: InsightRepo

    @classmethod
    async def open(cls, url: str) -> Storage:
        db = await Database.open(url)
        return cls(
            db,
            GuildRepo(db),
            PostRepo(db),
            AnswerRepo(db),
            ReviewRepo(db),
            CommunityRepo(db),
            StudyRepo(db),
            ContributionRepo(db),
            ExamRepo(db),
            PlanRepo(db),
            InsightRepo(db),
        )

    async def close(self) -> None:
        await self.answers.drain()
        await self.db.close()
