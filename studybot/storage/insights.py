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

    async def _questions(self, guild_id: int) -> dict[int, tuple[str, str]]:
        """post id -> (question id, topic id) of the server's posts."""
        stmt = select(posts.c.id, posts.c.question_id, posts.c.topic_id).where(posts.c.guild_id == guild_id)
        return {int(p): (str(q), str(t)) for p, q, t in await self._all(stmt)}

    async def question_stats(self, guild_id: int) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, str, int]]]:
        """One scan of the server's daily answers, grouped by post and choice (no join over every
        answer; posts are mapped to their questions after): (question id, topic id, answers,
        right) per question, and (question id, wrong choice, how many chose it)."""
        stmt = (
            select(answers.c.post_id, answers.c.choice, answers.c.correct, func.count())
            .where(answers.c.guild_id == guild_id)
            .group_by(answers.c.post_id, answers.c.choice, answers.c.correct)
        )
        of = await self._questions(guild_id)
        totals: dict[tuple[str, str], list[int]] = {}
        wrong: dict[tuple[str, str], int] = {}
        for post, choice, right, n in await self._all(stmt):
            if int(post) not in of:
                continue
            question, topic = of[int(post)]
            c = totals.setdefault((question, topic), [0, 0])
            c[0] += int(n)
            if right:
                c[1] += int(n)
            else:
                wrong[(question, str(choice))] = wrong.get((question, str(choice)), 0) + int(n)
        return (
            [(q, t, n, r) for (q, t), (n, r) in totals.items()],
            [(q, c, n) for (q, c), n in wrong.items()],
        )

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
            select(answers.c.post_id, func.count(), func.sum(answers.c.correct.cast(Integer)))
            .where(answers.c.guild_id == guild_id, answers.c.user_id.in_(users))
            .group_by(answers.c.post_id)
        )
        of = await self._questions(guild_id)
        out: dict[str, list[int]] = {}
        for post, n, r in await self._all(stmt):
            if int(post) in of:
                c = out.setdefault(of[int(post)][0], [0, 0])
                c[0] += int(n)
                c[1] += int(r or 0)
        return {q: (n, r) for q, (n, r) in out.items()}

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
