"""Daily-quiz answers. One answer per member per post is a database constraint
(``uq_answers_post_user``). Concurrent clicks are written together in one transaction (group
commit); whatever must be durable with an answer (its review card) is written by the
``after_insert`` hook inside that same transaction, so an acknowledged answer never lacks it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from studybot.storage.db import Database
from studybot.storage.tables import answers

BATCH_MAX = 900
BATCH_WAIT = 0.002  # seconds a batch waits for more clicks: ~2 ms of latency for far fewer commits
log = logging.getLogger("studybot.storage")

CHOICE_MAX = 200  # characters of the chosen option (or typed answer) an answer keeps: answers.choice


@dataclass(frozen=True)
class AnswerResult:
    recorded: bool  # False: the member had answered already
    choice: str  # what is on record for the member
    correct: bool


@dataclass(frozen=True)
class NewAnswer:
    post_id: int
    guild_id: int
    user_id: int
    question_id: str
    choice: str
    correct: bool
    answered_at: datetime
    local_date: date | None

    def row(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "guild_id": self.guild_id,
            "user_id": self.user_id,
            "choice": self.choice[:CHOICE_MAX],
            "correct": self.correct,
            "answered_at": self.answered_at,
            "local_date": self.local_date,
        }


AfterInsert = Callable[[AsyncConnection, list[NewAnswer]], Awaitable[None]]


class AnswerRepo:
    def __init__(self, db: Database):
        self.db = db
        self.after_insert: AfterInsert | None = None
        self._pending: list[tuple[NewAnswer, asyncio.Future[AnswerResult]]] = []
        self._flusher: asyncio.Task[None] | None = None

    @property
    def backlog(self) -> int:
        """Answers waiting for the next batch write (how busy the answer path is right now)."""
        return len(self._pending)

    async def record(self, answer: NewAnswer) -> AnswerResult:
        """Record a member's first answer. Concurrent calls are written in batches."""
        future: asyncio.Future[AnswerResult] = asyncio.get_running_loop().create_future()
        self._pending.append((answer, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def drain(self) -> None:
        """Wait until every queued answer is written (graceful shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            await self._flusher

    async def _flush(self) -> None:
        while self._pending:
            await asyncio.sleep(BATCH_WAIT)  # let the clicks that arrive together join one batch
            batch, self._pending = self._pending[:BATCH_MAX], self._pending[BATCH_MAX:]
            try:
                results = await self._write([a for a, _ in batch])
            except Exception:
                # one bad row must not fail the others: retry each alone, so only it fails
                log.warning("a batch of %d answers failed; retrying them one by one", len(batch), exc_info=True)
                for answer, future in batch:
                    try:
                        result = (await self._write([answer]))[id(answer)]
                    except Exception as exc:
                        if not future.done():
                            future.set_exception(exc)
                    else:
                        if not future.done():
                            future.set_result(result)
                continue
            for answer, future in batch:
                if not future.done():
                    future.set_result(results[id(answer)])

    async def _write(self, batch: list[NewAnswer]) -> dict[int, AnswerResult]:
        first: dict[tuple[int, int], NewAnswer] = {}
        for a in batch:
            first.setdefault((a.post_id, a.user_id), a)
        # one statement, compiled once and cached, executed for many rows ("insertmanyvalues")
        stmt = (
            self.db.insert(answers)
            .on_conflict_do_nothing(index_elements=[answers.c.post_id, answers.c.user_id])
            .returning(answers.c.post_id, answers.c.user_id)
        )
        async with self.db.begin() as conn:
            rows = [a.row() for a in first.values()]
            inserted = {(r.post_id, r.user_id) for r in (await conn.execute(stmt, rows)).all()}
            on_record = {key: (a.choice[:CHOICE_MAX], a.correct) for key, a in first.items() if key in inserted}
            missing = [key for key in first if key not in inserted]  # answered before: read what is on record
            if missing:
                query = select(answers.c.post_id, answers.c.user_id, answers.c.choice, answers.c.correct).where(
                    tuple_(answers.c.post_id, answers.c.user_id).in_(missing)
                )
                on_record.update(
                    {(r.post_id, r.user_id): (r.choice, r.correct) for r in (await conn.execute(query)).all()}
                )
            new = [a for key, a in first.items() if key in inserted]
            if new and self.after_insert is not None:
                await self.after_insert(conn, new)
        out = {}
        for a in batch:
            key = (a.post_id, a.user_id)
            choice, correct = on_record[key]
            out[id(a)] = AnswerResult(key in inserted and first[key] is a, choice, bool(correct))
        return out

    async def distribution(self, post_id: int) -> dict[str, int]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(answers.c.choice, func.count())
                    .where(answers.c.post_id == post_id)
                    .group_by(answers.c.choice)
                )
            ).all()
        return {choice: count for choice, count in rows}

    async def count(self, post_id: int) -> tuple[int, int]:
        """(answers, correct answers) for a post."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(func.count(), func.coalesce(func.sum(answers.c.correct.cast(Integer)), 0)).where(
                        answers.c.post_id == post_id
                    )
                )
            ).one()
        return int(row[0]), int(row[1])

    async def clear_guild(self, guild_id: int) -> int:
        """``/quiz reset``: the one place that deletes history, behind a confirmation button."""
        async with self.db.begin() as conn:
            result = await conn.execute(delete(answers).where(answers.c.guild_id == guild_id))
        return result.rowcount
