"""What the leaderboard reads and keeps: per-day answer rows, seasons, teams, weekly recaps and
members who left. A recap is claimed with a unique (guild, week) row before it is sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from studybot.storage.db import Database
from studybot.storage.tables import answers, departed, posts, recaps, seasons, teams
from studybot.vocab import RecapStatus


@dataclass(frozen=True)
class Season:
    id: int
    name: str
    start_date: date
    end_date: date | None


class CommunityRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- answer history -----------------------------------------------------------------------

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
        async with self.db.connect() as conn:
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
        async with self.db.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        out: dict[int, list[date]] = {}
        for user, day in rows:
            out.setdefault(user, []).append(day)
        return out

    async def most_missed(self, guild_id: int, since: date, until: date) -> tuple[str, int, int] | None:
        """(question id, answers, correct) of the week's question with the lowest accuracy."""
        correct = func.sum(answers.c.correct.cast(Integer))
        stmt = (
            select(posts.c.question_id, func.count(), correct)
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.local_date >= since, answers.c.local_date < until)
            .group_by(posts.c.question_id)
        )
        async with self.db.connect() as conn:
            rows = [(q, int(n), int(c or 0)) for q, n, c in (await conn.execute(stmt)).all()]
        rows.sort(key=lambda r: (r[2] / r[1], -r[1], r[0]))
        return rows[0] if rows else None

    # -- seasons ------------------------------------------------------------------------------

    async def start_season(self, guild_id: int, name: str, today: date) -> bool:
        """End the running season (if any) and start a new one; False if the name is taken."""
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    update(seasons)
                    .where(seasons.c.guild_id == guild_id, seasons.c.end_date.is_(None))
                    .values(end_date=today)
                )
                await conn.execute(seasons.insert().values(guild_id=guild_id, name=name, start_date=today))
        except IntegrityError:
            return False
        return True

    async def seasons(self, guild_id: int) -> list[Season]:
        """Newest first."""
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(seasons.c.id, seasons.c.name, seasons.c.start_date, seasons.c.end_date)
                    .where(seasons.c.guild_id == guild_id)
                    .order_by(seasons.c.start_date.desc(), seasons.c.id.desc())
                )
            ).all()
        return [Season(r.id, r.name, r.start_date, r.end_date) for r in rows]

    # -- teams --------------------------------------------------------------------------------

    async def add_team(self, guild_id: int, role_id: int, name: str) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(teams.insert().values(guild_id=guild_id, role_id=role_id, name=name))
        except IntegrityError:
            return False
        return True

    async def remove_team(self, guild_id: int, role_id: int) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(delete(teams).where(teams.c.guild_id == guild_id, teams.c.role_id == role_id))
        return result.rowcount == 1

    async def teams(self, guild_id: int) -> list[tuple[int, str]]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(teams.c.role_id, teams.c.name).where(teams.c.guild_id == guild_id))).all()
        return [(r.role_id, r.name) for r in rows]

    # -- recaps -------------------------------------------------------------------------------

    async def claim_recap(self, guild_id: int, week_start: date, now: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    recaps.insert().values(
                        guild_id=guild_id, week_start=week_start, status=str(RecapStatus.CLAIMED), claimed_at=now
                    )
                )
        except IntegrityError:
            return False
        return True

    async def set_recap(self, guild_id: int, week_start: date, **values: Any) -> None:
        if "status" in values:
            values["status"] = str(values["status"])
        async with self.db.begin() as conn:
            await conn.execute(
                update(recaps).where(recaps.c.guild_id == guild_id, recaps.c.week_start == week_start).values(**values)
            )

    # -- members who left ---------------------------------------------------------------------

    async def set_departed(self, guild_id: int, user_id: int, left: bool, now: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(departed).where(departed.c.guild_id == guild_id, departed.c.user_id == user_id))
            if left:
                await conn.execute(departed.insert().values(guild_id=guild_id, user_id=user_id, left_at=now))

    async def departed_ids(self, guild_id: int) -> set[int]:
        async with self.db.connect() as conn:
            return set(
                (await conn.execute(select(departed.c.user_id).where(departed.c.guild_id == guild_id))).scalars()
            )
