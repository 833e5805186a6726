"""A member's study plan (exam date, review reminder hour, time zone), personal across servers,
and the reminders sent: at most one per member per local day is a database constraint (the
``reminders`` primary key), claimed before the DM is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from studybot.storage.db import Database, aware
from studybot.storage.tables import activity, answers, reminders, reviews, study_plans


@dataclass(frozen=True)
class Plan:
    user_id: int
    guild_id: int
    exam_date: date | None
    remind_hour: int | None
    timezone: str | None


def _plan(row: Any) -> Plan:
    return Plan(row.user_id, row.guild_id, row.exam_date, row.remind_hour, row.timezone)


class PlanRepo:
    def __init__(self, db: Database):
        self.db = db

    async def get(self, user_id: int) -> Plan | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(study_plans).where(study_plans.c.user_id == user_id))).first()
        return _plan(row) if row else None

    async def save(self, user_id: int, guild_id: int, now: datetime, **values: Any) -> Plan:
        """Insert or update the member's plan with ``values`` (exam_date, remind_hour, timezone)."""
        stmt = self.db.insert(study_plans).values(user_id=user_id, guild_id=guild_id, updated_at=now, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[study_plans.c.user_id], set_={"guild_id": guild_id, "updated_at": now, **values}
        )
        async with self.db.begin() as conn:
            await conn.execute(stmt)
        plan = await self.get(user_id)
        assert plan is not None
        return plan

    async def latest_guild(self, user_id: int) -> int | None:
        """The server the member last answered anything in (daily, practice, review)."""
        best: tuple[datetime, int] | None = None
        async with self.db.connect() as conn:
            for table in (answers, activity):
                row = (
                    await conn.execute(
                        select(table.c.guild_id, table.c.answered_at)
                        .where(table.c.user_id == user_id, table.c.guild_id != 0)
                        .order_by(table.c.answered_at.desc())
                        .limit(1)
                    )
                ).first()
                if row is not None:
                    when = aware(row.answered_at)
                    assert when is not None
                    if best is None or when > best[0]:
                        best = (when, int(row.guild_id))
        return best[1] if best else None

    async def with_reminders(self) -> list[Plan]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(study_plans).where(study_plans.c.remind_hour.is_not(None)))).all()
        return [_plan(r) for r in rows]

    async def reminders_off(self, user_id: int) -> None:
        async with self.db.begin() as conn:
            await conn.execute(update(study_plans).where(study_plans.c.user_id == user_id).values(remind_hour=None))

    async def cards(self, guild_id: int, user_id: int) -> list[tuple[str, str, datetime]]:
        """The member's review cards: (question id, card JSON, due)."""
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(reviews.c.question_id, reviews.c.card, reviews.c.due).where(
                        reviews.c.guild_id == guild_id, reviews.c.user_id == user_id
                    )
                )
            ).all()
        return [(str(q), str(c), d) for q, c, d in rows]

    # reminders ---------------------------------------------------------------------------------

    async def claim_reminder(self, user_id: int, guild_id: int, local_date: date, now: datetime) -> bool:
        """Claim today's reminder before sending it; False when it was claimed already."""
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    reminders.insert().values(
                        user_id=user_id, local_date=local_date, guild_id=guild_id, status="claimed", claimed_at=now
                    )
                )
        except IntegrityError:
            return False
        return True

    async def reminder_done(self, user_id: int, local_date: date, status: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(reminders)
                .where(reminders.c.user_id == user_id, reminders.c.local_date == local_date)
                .values(status=status)
            )

    async def reminder_sent(self, user_id: int, local_date: date) -> str | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(reminders.c.status).where(
                        reminders.c.user_id == user_id, reminders.c.local_date == local_date
                    )
                )
            ).scalar()

    async def forget_reminders(self, before: date) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(reminders).where(reminders.c.local_date < before))
