"""Daily posts. One post per guild per local day and slot is a database constraint
(``uq_posts_guild_day_slot``), so two processes never both post; status changes that decide
who acts (``posted -> closing``) are compare-and-sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from studybot.storage.db import Database, aware
from studybot.storage.tables import posts
from studybot.vocab import PostStatus


@dataclass(frozen=True)
class Post:
    id: int
    guild_id: int
    local_date: date
    slot: str
    question_id: str
    topic_id: str
    choice_order: tuple[int, ...]
    channel_id: int
    message_id: int | None
    status: PostStatus
    posted_at: datetime | None
    closes_at: datetime | None
    question: str | None = None  # the question as posted (JSON), so it reveals after leaving the bank


def _post(row: Any) -> Post:
    order = tuple(int(x) for x in row.choice_order.split(",") if x != "")
    return Post(
        row.id,
        row.guild_id,
        row.local_date,
        row.slot,
        row.question_id,
        row.topic_id,
        order,
        row.channel_id,
        row.message_id,
        PostStatus(row.status),
        aware(row.posted_at),
        aware(row.closes_at),
        row.snapshot,
    )


class PostRepo:
    def __init__(self, db: Database):
        self.db = db

    async def claim(
        self,
        *,
        guild_id: int,
        local_date: date,
        slot: str,
        question_id: str,
        topic_id: str,
        choice_order: Sequence[int],
        channel_id: int,
        now: datetime,
        snapshot: str | None = None,
    ) -> Post | None:
        """Insert the post row before anything is sent; None when another claim got there first."""
        values = {
            "guild_id": guild_id,
            "local_date": local_date,
            "slot": slot,
            "question_id": question_id,
            "topic_id": topic_id,
            "choice_order": ",".join(map(str, choice_order)),
            "channel_id": channel_id,
            "status": str(PostStatus.CLAIMED),
            "claimed_at": now,
            "snapshot": snapshot,
        }
        try:
            async with self.db.begin() as conn:
                post_id = (await conn.execute(posts.insert().values(**values).returning(posts.c.id))).scalar_one()
        except IntegrityError:
            return None
        return await self.get(post_id)

    async def get(self, post_id: int) -> Post | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(posts).where(posts.c.id == post_id))).first()
        return _post(row) if row else None

    async def for_day(self, guild_id: int, local_date: date, slot: str = "daily") -> Post | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(posts).where(
                        posts.c.guild_id == guild_id, posts.c.local_date == local_date, posts.c.slot == slot
                    )
                )
            ).first()
        return _post(row) if row else None

    async def latest(self, guild_id: int, statuses: Sequence[PostStatus] = (PostStatus.POSTED,)) -> Post | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(posts)
                    .where(posts.c.guild_id == guild_id, posts.c.status.in_([str(s) for s in statuses]))
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        return _post(row) if row else None

    async def set(self, post_id: int, *, expect: PostStatus | None = None, **values: Any) -> bool:
        """Update a post; with ``expect`` only if its status is still that (a compare-and-set)."""
        stmt = update(posts).where(posts.c.id == post_id)
        if expect is not None:
            stmt = stmt.where(posts.c.status == str(expect))
        if "status" in values:
            values["status"] = str(values["status"])
        async with self.db.begin() as conn:
            result = await conn.execute(stmt.values(**values))
        return result.rowcount == 1

    async def with_status(self, status: PostStatus) -> list[Post]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(posts).where(posts.c.status == str(status)).order_by(posts.c.id))).all()
        return [_post(r) for r in rows]

    async def to_close(self, now: datetime) -> list[Post]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(posts)
                    .where(posts.c.status == str(PostStatus.POSTED), posts.c.closes_at <= now)
                    .order_by(posts.c.id)
                )
            ).all()
        return [_post(r) for r in rows]

    async def used_questions(self, guild_id: int) -> list[tuple[str, str]]:
        """(question id, topic id) of every post in the guild, oldest first."""
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(posts.c.question_id, posts.c.topic_id)
                    .where(posts.c.guild_id == guild_id, posts.c.status != str(PostStatus.FAILED))
                    .order_by(posts.c.id)
                )
            ).all()
        return [(r.question_id, r.topic_id) for r in rows]
