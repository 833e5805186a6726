"""Practice and review questions as served: the option order each member saw, behind an opaque
token, so a button names only the token and a shown position and still works after a restart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from studybot.storage.db import Database, aware
from studybot.storage.tables import study_shown


@dataclass(frozen=True)
class Served:
    token: str
    guild_id: int
    user_id: int
    kind: str
    question_id: str
    choice_order: tuple[int, ...]
    served_at: datetime


class StudyRepo:
    def __init__(self, db: Database):
        self.db = db

    async def serve(
        self,
        *,
        token: str,
        guild_id: int,
        user_id: int,
        kind: str,
        question_id: str,
        choice_order: Sequence[int],
        now: datetime,
    ) -> None:
        values = {
            "token": token,
            "guild_id": guild_id,
            "user_id": user_id,
            "kind": kind,
            "question_id": question_id,
            "choice_order": ",".join(map(str, choice_order)),
            "served_at": now,
        }
        async with self.db.begin() as conn:
            await conn.execute(study_shown.insert().values(**values))

    async def get(self, token: str) -> Served | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(study_shown).where(study_shown.c.token == token))).first()
        if row is None:
            return None
        order = tuple(int(x) for x in row.choice_order.split(",") if x != "")
        served_at = aware(row.served_at)
        assert served_at is not None
        return Served(row.token, row.guild_id, row.user_id, row.kind, row.question_id, order, served_at)

    async def prune(self, before: datetime) -> int:
        """Forget questions served before ``before`` (their buttons then say they expired)."""
        async with self.db.begin() as conn:
            result = await conn.execute(delete(study_shown).where(study_shown.c.served_at < before))
        return result.rowcount
