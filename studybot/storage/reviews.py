"""Each member's review queue (FSRS cards, as JSON) and their practice/review activity."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from sqlalchemy import Integer, delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from studybot.storage.db import Database, aware
from studybot.storage.tables import activity, answers, posts, reviews, study_shown

Key = tuple[int, int, str]  # (guild, user, question)
# (card JSON or None, lapses, correct, when) -> (card dict, due, lapses), or None for no change
Scheduler = Callable[[str | None, int, bool, datetime], tuple[dict, datetime, int] | None]


class ReviewRepo:
    def __init__(self, db: Database):
        self.db = db

    async def cards(self, keys: Sequence[Key], conn: AsyncConnection | None = None) -> dict[Key, tuple[str, int]]:
        """Many members' cards in one read: (guild, user, question) -> (card JSON, lapses)."""
        if not keys:
            return {}
        stmt = select(
            reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id, reviews.c.card, reviews.c.lapses
        ).where(tuple_(reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id).in_(list(keys)))
        if conn is None:
            async with self.db.connect() as own:
                rows = (await own.execute(stmt)).all()
        else:
            rows = (await conn.execute(stmt)).all()
        return {(r.guild_id, r.user_id, r.question_id): (r.card, r.lapses) for r in rows}

    async def apply(
        self,
        conn: AsyncConnection,
        items: Sequence[tuple[Key, bool, datetime]],
        schedule: Scheduler,
    ) -> None:
        """Schedule each (key, correct, when) in order, inside the caller's transaction."""
        cards = await self.cards([key for key, _, _ in items], conn)
        out: dict[Key, dict] = {}
        for key, correct, when in items:
            card, lapses = cards.get(key, (None, 0))
            scheduled = schedule(card, lapses, correct, when)
            if scheduled is None:
                continue
            new_card, due, new_lapses = scheduled
            cards[key] = (json.dumps(new_card), new_lapses)
            g, u, q = key
            out[key] = {
                "guild_id": g,
                "user_id": u,
                "question_id": q,
                "card": json.dumps(new_card),
                "due": due,
                "lapses": new_lapses,
            }
        if not out:
            return
        stmt = self.db.insert(reviews)
        stmt = stmt.on_conflict_do_update(
            index_elements=[reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id],
            set_={"card": stmt.excluded.card, "due": stmt.excluded.due, "lapses": stmt.excluded.lapses},
        )
        await conn.execute(stmt, list(out.values()))

    async def study(
        self,
        guild_id: int,
        user_id: int,
        question_id: str,
        topic_id: str,
        kind: str,
        correct: bool,
        now: datetime,
        schedule: Scheduler,
        *,
        token: str | None = None,
    ) -> bool:
        """A practice or review answer: its activity row and its card, in one transaction. With
        ``token`` (the question as served) the token is used up in that transaction: False, and
        nothing written, when it was already used."""
        async with self.db.begin() as conn:
            if token is not None:
                used = await conn.execute(delete(study_shown).where(study_shown.c.token == token))
                if used.rowcount != 1:
                    return False
            await conn.execute(
                activity.insert().values(
                    guild_id=guild_id,
                    user_id=user_id,
                    question_id=question_id,
                    topic_id=topic_id,
                    kind=str(kind),
                    correct=correct,
                    answered_at=now,
                )
            )
            await self.apply(conn, [((guild_id, user_id, question_id), correct, now)], schedule)
        return True

    async def due(self, guild_id: int, user_id: int, now: datetime) -> list[str]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(reviews.c.question_id)
                    .where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id, reviews.c.due <= now)
                    .order_by(reviews.c.due)
                )
            ).all()
        return [r.question_id for r in rows]

    async def next_due(self, guild_id: int, user_id: int, among: Collection[str] | None = None) -> datetime | None:
        """When the member's next card is due (only cards of the questions ``among``, when given)."""
        stmt = select(func.min(reviews.c.due)).where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id)
        if among is not None:
            stmt = stmt.where(reviews.c.question_id.in_(list(among)))
        async with self.db.connect() as conn:
            value = (await conn.execute(stmt)).scalar()
        return aware(value)

    async def count_due(self, guild_id: int, user_id: int, now: datetime) -> int:
        async with self.db.connect() as conn:
            value = (
                await conn.execute(
                    select(func.count()).where(
                        reviews.c.guild_id == guild_id, reviews.c.user_id == user_id, reviews.c.due <= now
                    )
                )
            ).scalar()
        return int(value or 0)

    async def topic_accuracy(self, guild_id: int, user_id: int) -> dict[str, tuple[int, int]]:
        """topic -> (answered, correct), daily answers and practice/review together."""
        daily = (
            select(posts.c.topic_id, func.count(), func.sum(answers.c.correct.cast(Integer)))
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.user_id == user_id)
            .group_by(posts.c.topic_id)
        )
        practice = (
            select(activity.c.topic_id, func.count(), func.sum(activity.c.correct.cast(Integer)))
            .where(activity.c.guild_id == guild_id, activity.c.user_id == user_id)
            .group_by(activity.c.topic_id)
        )
        out: dict[str, tuple[int, int]] = {}
        async with self.db.connect() as conn:
            for stmt in (daily, practice):
                for topic, n, c in (await conn.execute(stmt)).all():
                    a, b = out.get(topic, (0, 0))
                    out[topic] = (a + int(n), b + int(c or 0))
        return out

    async def activity_times(self, guild_id: int, user_id: int, since: datetime) -> list[datetime]:
        """When the member answered anything (daily, practice, review) since ``since``."""
        times: list[datetime] = []
        async with self.db.connect() as conn:
            for table in (answers, activity):
                stmt = select(table.c.answered_at).where(
                    table.c.guild_id == guild_id, table.c.user_id == user_id, table.c.answered_at >= since
                )
                times += [t for t in map(aware, (await conn.execute(stmt)).scalars()) if t is not None]
        return times

    async def question_ids(self, guild_id: int, user_id: int) -> list[str]:
        """Every question in a member's review queue (what they missed), most lapses first."""
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(reviews.c.question_id)
                    .where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id)
                    .order_by(reviews.c.lapses.desc(), reviews.c.question_id)
                )
            ).scalars()
            return list(rows)
