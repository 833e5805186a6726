"""Guild settings: where and when each guild's quiz is posted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from studybot.guild import GuildSettings
from studybot.storage.db import Database
from studybot.storage.tables import guild_settings
from studybot.vocab import RevealMode


def _settings(row: Any) -> GuildSettings:
    return GuildSettings(
        row.guild_id,
        row.channel_id,
        row.post_time,
        row.timezone,
        bool(row.paused),
        RevealMode(row.reveal_mode),
        row.close_hour,
        row.admin_id,
        row.last_error,
        row.review_channel_id,
    )


class GuildRepo:
    def __init__(self, db: Database):
        self.db = db

    async def save(self, s: GuildSettings, now: datetime) -> None:
        values = {**s.__dict__, "reveal_mode": str(s.reveal_mode), "updated_at": now}
        stmt = self.db.insert(guild_settings).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[guild_settings.c.guild_id],
            set_={k: stmt.excluded[k] for k in values if k != "guild_id"},
        )
        async with self.db.begin() as conn:
            await conn.execute(stmt)

    async def get(self, guild_id: int) -> GuildSettings | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(guild_settings).where(guild_settings.c.guild_id == guild_id))).first()
        return _settings(row) if row else None

    async def all(self) -> list[GuildSettings]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(guild_settings).order_by(guild_settings.c.guild_id))).all()
        return [_settings(r) for r in rows]

    async def update(self, guild_id: int, now: datetime, **changes: Any) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(guild_settings).where(guild_settings.c.guild_id == guild_id).values(**changes, updated_at=now)
            )
        return result.rowcount == 1
