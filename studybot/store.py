"""Storage: the only module that talks SQL. SQLite (aiosqlite, WAL) by default, PostgreSQL
(asyncpg) with the same code; the schema comes from the Alembic migrations in
``studybot/migrations`` and is brought up to date when the store opens.

Cross-process guarantees are database constraints: one daily post per guild per local day
(``uq_posts_guild_day_slot``), one answer per member per post (``uq_answers_post_user``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Integer, delete, event, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from studybot.tables import activity, answers, departed, guild_settings, posts, recaps, reviews, seasons, teams

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BATCH_MAX = 900
BATCH_WAIT = 0.002  # seconds a batch waits for more clicks: ~2 ms of latency for far fewer commits


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    channel_id: int
    post_time: str
    timezone: str
    paused: bool = False
    reveal_mode: str = "at-close"
    close_hour: int | None = None
    admin_id: int | None = None
    last_error: str | None = None


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
    status: str
    posted_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class AnswerResult:
    recorded: bool  # False: the member had answered already
    choice: str  # what is on record for the member
    correct: bool


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


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
        row.status,
        _aware(row.posted_at),
        _aware(row.closes_at),
    )


class Store:
    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._pending: list[tuple[dict, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None

    @property
    def backlog(self) -> int:
        """Answers waiting for the next batch write (how busy the answer path is right now)."""
        return len(self._pending)

    # -- lifecycle ----------------------------------------------------------------------------

    @classmethod
    async def open(cls, url: str) -> Store:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=10)
        engine = create_async_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        await store.migrate()
        return store

    async def migrate(self) -> None:
        def upgrade(connection) -> None:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade)

    async def close(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await self._flusher
        await self.engine.dispose()

    def _insert(self, table):
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    # -- guild settings -----------------------------------------------------------------------

    async def save_settings(self, s: GuildSettings, now: datetime) -> None:
        values = {**s.__dict__, "updated_at": now}
        stmt = self._insert(guild_settings).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[guild_settings.c.guild_id],
            set_={k: stmt.excluded[k] for k in values if k != "guild_id"},
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def settings(self, guild_id: int) -> GuildSettings | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(guild_settings).where(guild_settings.c.guild_id == guild_id))).first()
        return _settings(row) if row else None

    async def all_settings(self) -> list[GuildSettings]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(guild_settings).order_by(guild_settings.c.guild_id))).all()
        return [_settings(r) for r in rows]

    async def update_settings(self, guild_id: int, now: datetime, **changes: Any) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(guild_settings).where(guild_settings.c.guild_id == guild_id).values(**changes, updated_at=now)
            )
        return result.rowcount == 1

    # -- posts --------------------------------------------------------------------------------

    async def claim_post(
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
            "status": "claimed",
            "claimed_at": now,
        }
        try:
            async with self.engine.begin() as conn:
                post_id = (await conn.execute(posts.insert().values(**values).returning(posts.c.id))).scalar_one()
        except IntegrityError:
            return None
        return await self.post(post_id)

    async def post(self, post_id: int) -> Post | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(posts).where(posts.c.id == post_id))).first()
        return _post(row) if row else None

    async def post_for_day(self, guild_id: int, local_date: date, slot: str = "daily") -> Post | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(posts).where(
                        posts.c.guild_id == guild_id, posts.c.local_date == local_date, posts.c.slot == slot
                    )
                )
            ).first()
        return _post(row) if row else None

    async def latest_post(self, guild_id: int, statuses: Sequence[str] = ("posted",)) -> Post | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(posts)
                    .where(posts.c.guild_id == guild_id, posts.c.status.in_(statuses))
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        return _post(row) if row else None

    async def set_post(self, post_id: int, *, expect: str | None = None, **values: Any) -> bool:
        """Update a post; with ``expect`` only if its status is still that (a compare-and-set)."""
        stmt = update(posts).where(posts.c.id == post_id)
        if expect is not None:
            stmt = stmt.where(posts.c.status == expect)
        async with self.engine.begin() as conn:
            result = await conn.execute(stmt.values(**values))
        return result.rowcount == 1

    async def posts_to_close(self, now: datetime) -> list[Post]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(posts).where(posts.c.status == "posted", posts.c.closes_at <= now).order_by(posts.c.id)
                )
            ).all()
        return [_post(r) for r in rows]

    async def used_questions(self, guild_id: int) -> list[tuple[str, str]]:
        """(question id, topic id) of every post in the guild, oldest first."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(posts.c.question_id, posts.c.topic_id)
                    .where(posts.c.guild_id == guild_id, posts.c.status != "failed")
                    .order_by(posts.c.id)
                )
            ).all()
        return [(r.question_id, r.topic_id) for r in rows]

    # -- answers ------------------------------------------------------------------------------

    async def record_answer(
        self,
        *,
        post_id: int,
        guild_id: int,
        user_id: int,
        choice: str,
        correct: bool,
        now: datetime,
        local_date: date | None = None,
    ) -> AnswerResult:
        """Record a member's first answer. Concurrent calls are written in batches (group commit)."""
        row = {
            "post_id": post_id,
            "guild_id": guild_id,
            "user_id": user_id,
            "choice": choice[:200],
            "correct": correct,
            "answered_at": now,
            "local_date": local_date,
        }
        future = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._pending:
            await asyncio.sleep(BATCH_WAIT)  # let the clicks that arrive together join one batch
            batch, self._pending = self._pending[:BATCH_MAX], self._pending[BATCH_MAX:]
            try:
                results = await self._write_answers([row for row, _ in batch])
            except Exception as exc:  # the waiting clicks get the error, nothing is silently lost
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for row, future in batch:
                if not future.done():
                    future.set_result(results[(row["post_id"], row["user_id"], id(row))])

    async def _write_answers(self, rows: list[dict]) -> dict[tuple, AnswerResult]:
        first: dict[tuple[int, int], dict] = {}
        for row in rows:
            first.setdefault((row["post_id"], row["user_id"]), row)
        # one statement, compiled once and cached, executed for many rows ("insertmanyvalues")
        stmt = (
            self._insert(answers)
            .on_conflict_do_nothing(index_elements=[answers.c.post_id, answers.c.user_id])
            .returning(answers.c.post_id, answers.c.user_id)
        )
        async with self.engine.begin() as conn:
            inserted = {(r.post_id, r.user_id) for r in (await conn.execute(stmt, list(first.values()))).all()}
            on_record = {key: (row["choice"], row["correct"]) for key, row in first.items() if key in inserted}
            missing = [key for key in first if key not in inserted]  # answered before: read what is on record
            if missing:
                query = select(answers.c.post_id, answers.c.user_id, answers.c.choice, answers.c.correct).where(
                    tuple_(answers.c.post_id, answers.c.user_id).in_(missing)
                )
                on_record.update(
                    {(r.post_id, r.user_id): (r.choice, r.correct) for r in (await conn.execute(query)).all()}
                )
        out = {}
        for row in rows:
            key = (row["post_id"], row["user_id"])
            choice, correct = on_record[key]
            out[(*key, id(row))] = AnswerResult(key in inserted and first[key] is row, choice, bool(correct))
        return out

    async def distribution(self, post_id: int) -> dict[str, int]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(answers.c.choice, func.count())
                    .where(answers.c.post_id == post_id)
                    .group_by(answers.c.choice)
                )
            ).all()
        return {choice: count for choice, count in rows}

    async def answer_count(self, post_id: int) -> tuple[int, int]:
        """(answers, correct answers) for a post."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(func.count(), func.coalesce(func.sum(answers.c.correct.cast(Integer)), 0)).where(
                        answers.c.post_id == post_id
                    )
                )
            ).one()
        return int(row[0]), int(row[1])

    # -- review queue and practice activity ------------------------------------------------

    async def review_card(self, guild_id: int, user_id: int, question_id: str) -> tuple[str, int] | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(reviews.c.card, reviews.c.lapses).where(
                        reviews.c.guild_id == guild_id,
                        reviews.c.user_id == user_id,
                        reviews.c.question_id == question_id,
                    )
                )
            ).first()
        return (row.card, row.lapses) if row else None

    async def save_review(
        self, guild_id: int, user_id: int, question_id: str, card: dict, due: datetime, lapses: int
    ) -> None:
        await self.save_reviews([(guild_id, user_id, question_id, card, due, lapses)])

    async def review_cards(self, keys: Sequence[tuple[int, int, str]]) -> dict[tuple[int, int, str], tuple[str, int]]:
        """Many members' cards in one read: (guild, user, question) -> (card JSON, lapses)."""
        if not keys:
            return {}
        stmt = select(
            reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id, reviews.c.card, reviews.c.lapses
        ).where(tuple_(reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id).in_(list(keys)))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return {(r.guild_id, r.user_id, r.question_id): (r.card, r.lapses) for r in rows}

    async def save_reviews(self, rows: Sequence[tuple[int, int, str, dict, datetime, int]]) -> None:
        if not rows:
            return
        values = [
            {"guild_id": g, "user_id": u, "question_id": q, "card": json.dumps(card), "due": due, "lapses": lapses}
            for g, u, q, card, due, lapses in rows
        ]
        stmt = self._insert(reviews)
        stmt = stmt.on_conflict_do_update(
            index_elements=[reviews.c.guild_id, reviews.c.user_id, reviews.c.question_id],
            set_={"card": stmt.excluded.card, "due": stmt.excluded.due, "lapses": stmt.excluded.lapses},
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt, values)

    async def due_reviews(self, guild_id: int, user_id: int, now: datetime) -> list[str]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(reviews.c.question_id)
                    .where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id, reviews.c.due <= now)
                    .order_by(reviews.c.due)
                )
            ).all()
        return [r.question_id for r in rows]

    async def next_review_due(self, guild_id: int, user_id: int) -> datetime | None:
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    select(func.min(reviews.c.due)).where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id)
                )
            ).scalar()
        return _aware(value)

    async def log_activity(
        self, guild_id: int, user_id: int, question_id: str, topic_id: str, kind: str, correct: bool, now: datetime
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                activity.insert().values(
                    guild_id=guild_id,
                    user_id=user_id,
                    question_id=question_id,
                    topic_id=topic_id,
                    kind=kind,
                    correct=correct,
                    answered_at=now,
                )
            )

    async def clear_guild_scores(self, guild_id: int) -> int:
        """``/quiz reset``: the one place that deletes history, behind a confirmation button."""
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(answers).where(answers.c.guild_id == guild_id))
        return result.rowcount

    # -- leaderboard ------------------------------------------------------------------------------

    async def day_rows(
        self, guild_id: int, since: date | None, until: date | None = None, user_ids: Sequence[int] | None = None
    ) -> list[tuple[int, date, int, int]]:
        """(user, local day, answers, correct answers) of daily-quiz answers in a guild."""
        correct = func.sum(answers.c.correct.cast(Integer))
        stmt = (
            select(answers.c.user_id, answers.c.local_date, func.count(), correct)
            .where(answers.c.guild_id == guild_id, answers.c.local_date.is_not(None))
            .group_by(answers.c.user_id, answers.c.local_date)
        )
        if since is not None:
            stmt = stmt.where(answers.c.local_date >= since)
        if until is not None:
            stmt = stmt.where(answers.c.local_date < until)
        if user_ids is not None:
            stmt = stmt.where(answers.c.user_id.in_(list(user_ids)))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [(r[0], r[1], int(r[2]), int(r[3] or 0)) for r in rows]

    async def answered_days(
        self, guild_id: int, user_ids: Sequence[int], since: date | None = None
    ) -> dict[int, list[date]]:
        stmt = (
            select(answers.c.user_id, answers.c.local_date)
            .where(
                answers.c.guild_id == guild_id, answers.c.user_id.in_(list(user_ids)), answers.c.local_date.is_not(None)
            )
            .distinct()
        )
        if since is not None:
            stmt = stmt.where(answers.c.local_date >= since)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        out: dict[int, list[date]] = {}
        for user, day in rows:
            out.setdefault(user, []).append(day)
        return out

    async def topic_accuracy(self, guild_id: int, user_id: int) -> dict[str, tuple[int, int]]:
        """topic -> (answered, correct), daily answers and practice/review together."""
        correct_int = answers.c.correct.cast(Integer)
        daily = (
            select(posts.c.topic_id, func.count(), func.sum(correct_int))
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
        async with self.engine.connect() as conn:
            for stmt in (daily, practice):
                for topic, n, c in (await conn.execute(stmt)).all():
                    a, b = out.get(topic, (0, 0))
                    out[topic] = (a + int(n), b + int(c or 0))
        return out

    async def activity_times(self, guild_id: int, user_id: int, since: datetime) -> list[datetime]:
        """When the member answered anything (daily, practice, review) since ``since``."""
        async with self.engine.connect() as conn:
            daily = (
                await conn.execute(
                    select(answers.c.answered_at).where(
                        answers.c.guild_id == guild_id, answers.c.user_id == user_id, answers.c.answered_at >= since
                    )
                )
            ).scalars()
            times = [_aware(t) for t in daily]
            more = (
                await conn.execute(
                    select(activity.c.answered_at).where(
                        activity.c.guild_id == guild_id, activity.c.user_id == user_id, activity.c.answered_at >= since
                    )
                )
            ).scalars()
            times += [_aware(t) for t in more]
        return times  # type: ignore[return-value]

    async def review_count_due(self, guild_id: int, user_id: int, now: datetime) -> int:
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count()).where(
                            reviews.c.guild_id == guild_id, reviews.c.user_id == user_id, reviews.c.due <= now
                        )
                    )
                ).scalar()
                or 0
            )

    async def most_missed(self, guild_id: int, since: date, until: date) -> tuple[str, int, int] | None:
        """(question id, answers, correct) of the week's question with the lowest accuracy."""
        correct = func.sum(answers.c.correct.cast(Integer))
        stmt = (
            select(posts.c.question_id, func.count(), correct)
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.local_date >= since, answers.c.local_date < until)
            .group_by(posts.c.question_id)
        )
        async with self.engine.connect() as conn:
            rows = [(q, int(n), int(c or 0)) for q, n, c in (await conn.execute(stmt)).all()]
        rows.sort(key=lambda r: (r[2] / r[1], -r[1], r[0]))
        return rows[0] if rows else None

    # seasons
    async def start_season(self, guild_id: int, name: str, today: date) -> bool:
        """End the running season (if any) and start a new one; False if the name is taken."""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(seasons)
                    .where(seasons.c.guild_id == guild_id, seasons.c.end_date.is_(None))
                    .values(end_date=today)
                )
                await conn.execute(seasons.insert().values(guild_id=guild_id, name=name, start_date=today))
        except IntegrityError:
            return False
        return True

    async def seasons(self, guild_id: int) -> list[Any]:
        async with self.engine.connect() as conn:
            return list(
                (
                    await conn.execute(
                        select(seasons)
                        .where(seasons.c.guild_id == guild_id)
                        .order_by(seasons.c.start_date.desc(), seasons.c.id.desc())
                    )
                ).all()
            )

    # teams
    async def add_team(self, guild_id: int, role_id: int, name: str) -> bool:
        try:
            async with self.engine.begin() as conn:
                await conn.execute(teams.insert().values(guild_id=guild_id, role_id=role_id, name=name))
        except IntegrityError:
            return False
        return True

    async def remove_team(self, guild_id: int, role_id: int) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(teams).where(teams.c.guild_id == guild_id, teams.c.role_id == role_id))
        return result.rowcount == 1

    async def teams(self, guild_id: int) -> list[tuple[int, str]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(teams.c.role_id, teams.c.name).where(teams.c.guild_id == guild_id))).all()
        return [(r.role_id, r.name) for r in rows]

    # recaps
    async def claim_recap(self, guild_id: int, week_start: date, now: datetime) -> bool:
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    recaps.insert().values(guild_id=guild_id, week_start=week_start, status="claimed", claimed_at=now)
                )
        except IntegrityError:
            return False
        return True

    async def set_recap(self, guild_id: int, week_start: date, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(recaps).where(recaps.c.guild_id == guild_id, recaps.c.week_start == week_start).values(**values)
            )

    # members who left
    async def set_departed(self, guild_id: int, user_id: int, left: bool, now: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(departed).where(departed.c.guild_id == guild_id, departed.c.user_id == user_id))
            if left:
                await conn.execute(departed.insert().values(guild_id=guild_id, user_id=user_id, left_at=now))

    async def departed_ids(self, guild_id: int) -> set[int]:
        async with self.engine.connect() as conn:
            return set(
                (await conn.execute(select(departed.c.user_id).where(departed.c.guild_id == guild_id))).scalars()
            )


def _settings(row: Any) -> GuildSettings:
    return GuildSettings(
        row.guild_id,
        row.channel_id,
        row.post_time,
        row.timezone,
        bool(row.paused),
        row.reveal_mode,
        row.close_hour,
        row.admin_id,
        row.last_error,
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache per connection (default 2 MiB)
    cursor.execute("PRAGMA mmap_size=268435456")  # read the file through a 256 MiB memory map
    cursor.close()
