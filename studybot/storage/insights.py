"""What the group leader's insights read: a server's answers of every kind, aggregated in SQL where
it can be, and the review queue's size per member (counts only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, literal, select

from studybot.storage.db import Database, aware
from studybot.storage.tables import activity, answers, exam_items, exams, posts, reviews
from studybot.vocab import ExamStatus


class InsightRepo:
    def __init__(self, db: Database):
        self.db = db

    async def _all(self, stmt: Any) -> list[Any]:
        async with self.db.connect() as conn:
            return list((await conn.execute(stmt)).all())

    async def question_stats(self, guild_id: int) -> list[tuple[str, str, int, int]]:
        """Daily questions: (question id, topic id, answers, right answers)."""
        stmt = (
            select(posts.c.question_id, posts.c.topic_id, func.count(), func.sum(answers.c.correct.cast(Integer)))
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id)
            .group_by(posts.c.question_id, posts.c.topic_id)
        )
        return [(str(q), str(t), int(n), int(r or 0)) for q, t, n, r in await self._all(stmt)]

    async def wrong_choices(self, guild_id: int) -> list[tuple[str, str, int]]:
        """(question id, a wrong choice, how many chose it)."""
        stmt = (
            select(posts.c.question_id, answers.c.choice, func.count())
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.correct.is_(False))
            .group_by(posts.c.question_id, answers.c.choice)
        )
        return [(str(q), str(c), int(n)) for q, c, n in await self._all(stmt)]

    async def member_totals(self, guild_id: int) -> list[tuple[int, int, int]]:
        """Daily answers per member: (user, answers, right)."""
        stmt = (
            select(answers.c.user_id, func.count(), func.sum(answers.c.correct.cast(Integer)))
            .where(answers.c.guild_id == guild_id)
            .group_by(answers.c.user_id)
        )
        return [(int(u), int(n), int(r or 0)) for u, n, r in await self._all(stmt)]

    async def group_stats(self, guild_id: int, users: list[int]) -> dict[str, tuple[int, int]]:
        """Daily questions answered by a group of members: question id -> (answers, right)."""
        if not users:
            return {}
        stmt = (
            select(posts.c.question_id, func.count(), func.sum(answers.c.correct.cast(Integer)))
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.user_id.in_(users))
            .group_by(posts.c.question_id)
        )
        return {str(q): (int(n), int(r or 0)) for q, n, r in await self._all(stmt)}

    async def recent(self, guild_id: int, since: datetime) -> list[tuple[int, str, bool, datetime]]:
        """Every answer since ``since`` (daily, practice, review, exam): (user, topic, right?, when)."""
        daily = (
            select(answers.c.user_id, posts.c.topic_id, answers.c.correct, answers.c.answered_at)
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.answered_at >= since)
        )
        study = select(activity.c.user_id, activity.c.topic_id, activity.c.correct, activity.c.answered_at).where(
            activity.c.guild_id == guild_id, activity.c.answered_at >= since
        )
        exam = (
            select(exams.c.user_id, exam_items.c.topic_id, exam_items.c.correct, exam_items.c.answered_at)
            .select_from(exam_items.join(exams, exams.c.id == exam_items.c.exam_id))
            .where(
                exams.c.guild_id == guild_id,
                exams.c.status == literal(str(ExamStatus.FINISHED)),
                exam_items.c.answered_at >= since,
            )
        )
        out = []
        for stmt in (daily, study, exam):
            for u, topic, right, when in await self._all(stmt):
                moment = aware(when)
                if moment is not None:
                    out.append((int(u), str(topic), bool(right), moment))
        return out

    async def due_counts(self, guild_id: int, now: datetime) -> list[int]:
        """How many reviews each member has due (one number per member with any; no ids)."""
        stmt = (
            select(func.count()).where(reviews.c.guild_id == guild_id, reviews.c.due <= now).group_by(reviews.c.user_id)
        )
        return [int(n) for (n,) in await self._all(stmt)]
