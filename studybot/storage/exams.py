"""Mock exams: one row per exam and one per drawn question. One running exam per member is a
database constraint (``uq_exams_one_running``); an answer is written only while the exam runs
and its time is not up, checked in the same statement that writes it, and the finish is a
compare-and-set (running -> finished) that scores, and schedules the misses' review cards, in
its own transaction."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import exists, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from studybot.storage.db import Database, aware
from studybot.storage.tables import activity, answers, exam_items, exams, posts, reviews
from studybot.vocab import ExamStatus


@dataclass(frozen=True)
class Exam:
    id: int
    guild_id: int
    user_id: int
    status: ExamStatus
    questions: int
    minutes: int
    position: int
    started_at: datetime
    ends_at: datetime
    finished_at: datetime | None
    correct: int | None
    scaled: int | None
    timed_out: bool


@dataclass(frozen=True)
class ExamItem:
    position: int
    question_id: str
    topic_id: str
    domain: str | None
    snapshot: str  # the question as drawn (JSON)
    choice_order: tuple[int, ...]
    chosen: tuple[str, ...] | None  # None: not answered
    flagged: bool
    correct: bool


@dataclass(frozen=True)
class NewItem:
    question_id: str
    topic_id: str
    domain: str | None
    snapshot: str
    choice_order: Sequence[int]


def _when(value: datetime) -> datetime:
    out = aware(value)
    assert out is not None
    return out


def _exam(row: Any) -> Exam:
    return Exam(
        row.id,
        row.guild_id,
        row.user_id,
        ExamStatus(row.status),
        row.questions,
        row.minutes,
        row.position,
        _when(row.started_at),
        _when(row.ends_at),
        aware(row.finished_at),
        row.correct,
        row.scaled,
        bool(row.timed_out),
    )


def _at(exam_id: int, position: int) -> tuple[Any, Any]:
    """Where one question of an exam is."""
    return exam_items.c.exam_id == exam_id, exam_items.c.position == position


def _item(row: Any) -> ExamItem:
    return ExamItem(
        row.position,
        row.question_id,
        row.topic_id,
        row.domain,
        row.snapshot,
        tuple(int(x) for x in row.choice_order.split(",") if x != ""),
        tuple(json.loads(row.chosen)) if row.chosen is not None else None,
        bool(row.flagged),
        bool(row.correct),
    )


# (connection, the finished exam's items, when) -> None: runs inside the finish transaction
AfterFinish = Callable[[AsyncConnection, Exam, list[ExamItem], datetime], Awaitable[None]]
# the finished exam's items -> its scaled score
Scaler = Callable[[list[ExamItem]], int]


class ExamRepo:
    def __init__(self, db: Database):
        self.db = db
        # SQLite has one writer at a time: presses of many members queue here rather than in
        # SQLite's busy handler, whose sleeps made the tail 10x longer (bench/bench_exam.py)
        self._sqlite_writes = asyncio.Lock() if db.dialect == "sqlite" else None

    @contextlib.asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncConnection]:
        if self._sqlite_writes is None:
            async with self.db.begin() as conn:
                yield conn
            return
        async with self._sqlite_writes, self.db.begin() as conn:
            yield conn

    async def start(
        self, guild_id: int, user_id: int, items: Sequence[NewItem], minutes: int, now: datetime, ends_at: datetime
    ) -> Exam | None:
        """Insert a running exam with its questions; None when the member already has one."""
        try:
            async with self._begin() as conn:
                exam_id = (
                    await conn.execute(
                        exams.insert()
                        .values(
                            guild_id=guild_id,
                            user_id=user_id,
                            status=str(ExamStatus.RUNNING),
                            live=True,
                            questions=len(items),
                            minutes=minutes,
                            position=0,
                            started_at=now,
                            ends_at=ends_at,
                        )
                        .returning(exams.c.id)
                    )
                ).scalar_one()
                await conn.execute(
                    exam_items.insert(),
                    [
                        {
                            "exam_id": exam_id,
                            "position": n,
                            "question_id": item.question_id,
                            "topic_id": item.topic_id,
                            "domain": item.domain,
                            "snapshot": item.snapshot,
                            "choice_order": ",".join(map(str, item.choice_order)),
                            "chosen": None,
                            "flagged": False,
                            "correct": False,
                        }
                        for n, item in enumerate(items)
                    ],
                )
        except IntegrityError:
            return None
        return await self.get(exam_id)

    async def get(self, exam_id: int) -> Exam | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(exams).where(exams.c.id == exam_id))).first()
        return _exam(row) if row else None

    async def running(self, guild_id: int, user_id: int) -> Exam | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(exams).where(
                        exams.c.guild_id == guild_id,
                        exams.c.user_id == user_id,
                        exams.c.status == str(ExamStatus.RUNNING),
                    )
                )
            ).first()
        return _exam(row) if row else None

    async def items(self, exam_id: int, conn: AsyncConnection | None = None) -> list[ExamItem]:
        stmt = select(exam_items).where(exam_items.c.exam_id == exam_id).order_by(exam_items.c.position)
        if conn is not None:
            return [_item(r) for r in (await conn.execute(stmt)).all()]
        async with self.db.connect() as own:
            return [_item(r) for r in (await own.execute(stmt)).all()]

    async def item(self, exam_id: int, position: int) -> ExamItem | None:
        async with self.db.connect() as conn:
            return await self._item_at(conn, exam_id, position)

    async def page(self, exam_id: int, position: int) -> tuple[ExamItem | None, list[tuple[int, bool, bool]]]:
        """One question and the progress of every question, in one connection."""
        async with self.db.connect() as conn:
            return await self._item_at(conn, exam_id, position), await self._progress(conn, exam_id)

    @staticmethod
    async def _item_at(conn: AsyncConnection, exam_id: int, position: int) -> ExamItem | None:
        row = (await conn.execute(select(exam_items).where(*_at(exam_id, position)))).first()
        return _item(row) if row else None

    async def progress(self, exam_id: int) -> list[tuple[int, bool, bool]]:
        """(position, answered, flagged) of every question, in order."""
        async with self.db.connect() as conn:
            return await self._progress(conn, exam_id)

    async def _progress(self, conn: AsyncConnection, exam_id: int) -> list[tuple[int, bool, bool]]:
        rows = (
            await conn.execute(
                select(exam_items.c.position, exam_items.c.chosen.is_not(None), exam_items.c.flagged)
                .where(exam_items.c.exam_id == exam_id)
                .order_by(exam_items.c.position)
            )
        ).all()
        return [(int(p), bool(a), bool(f)) for p, a, f in rows]

    def _while_running(self, exam_id: int, now: datetime) -> Any:
        return exists().where(exams.c.id == exam_id, exams.c.status == str(ExamStatus.RUNNING), exams.c.ends_at > now)

    async def _lock(self, conn: AsyncConnection, exam_id: int) -> None:
        """Take the exam's row lock (PostgreSQL) so an answer and the finish never interleave;
        SQLite serialises writers anyway and ignores FOR UPDATE."""
        await conn.execute(select(exams.c.id).where(exams.c.id == exam_id).with_for_update())

    async def answer(
        self, exam_id: int, position: int, chosen: Sequence[str], correct: bool, now: datetime, move_to: int
    ) -> bool:
        """Write an answer (it may replace an earlier one) only while the exam runs and its time is
        not up, and move on to ``move_to``: False when refused."""
        async with self._begin() as conn:
            await self._lock(conn, exam_id)
            result = await conn.execute(
                update(exam_items)
                .where(*_at(exam_id, position), self._while_running(exam_id, now))
                .values(chosen=json.dumps(list(chosen), ensure_ascii=False), correct=correct, answered_at=now)
            )
            if result.rowcount == 1:
                await conn.execute(update(exams).where(exams.c.id == exam_id).values(position=move_to))
        return result.rowcount == 1

    async def flag(self, exam_id: int, position: int, now: datetime) -> bool | None:
        """Toggle the flag; the new value, or None when the exam is over."""
        async with self._begin() as conn:
            await self._lock(conn, exam_id)
            result = await conn.execute(
                update(exam_items)
                .where(*_at(exam_id, position), self._while_running(exam_id, now))
                .values(flagged=~exam_items.c.flagged)
                .returning(exam_items.c.flagged)
            )
            row = result.first()
        return bool(row[0]) if row else None

    async def move(self, exam_id: int, position: int) -> None:
        async with self._begin() as conn:
            await conn.execute(
                update(exams)
                .where(exams.c.id == exam_id, exams.c.status == str(ExamStatus.RUNNING))
                .values(position=position)
            )

    async def finish(self, exam_id: int, now: datetime, scaler: Scaler, after: AfterFinish) -> bool:
        """running -> finished (a compare-and-set): scored, and ``after`` (the review cards) run in
        the same transaction. False when it was finished already."""
        async with self._begin() as conn:
            row = (
                await conn.execute(
                    update(exams)
                    .where(exams.c.id == exam_id, exams.c.status == str(ExamStatus.RUNNING))
                    .values(status=str(ExamStatus.FINISHED), live=None, finished_at=now)
                    .returning(exams.c.ends_at)
                )
            ).first()
            if row is None:
                return False
            ends_at = _when(row.ends_at)
            items = await self.items(exam_id, conn)
            correct = sum(1 for i in items if i.correct)
            await conn.execute(
                update(exams)
                .where(exams.c.id == exam_id)
                .values(correct=correct, scaled=scaler(items), timed_out=now >= ends_at)
            )
            exam = _exam((await conn.execute(select(exams).where(exams.c.id == exam_id))).one())
            await after(conn, exam, items, now)
        return True

    async def expired(self, now: datetime) -> list[int]:
        """Running exams whose time is up."""
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(exams.c.id).where(exams.c.status == str(ExamStatus.RUNNING), exams.c.ends_at <= now)
            )
            return [int(r) for r in rows.scalars()]

    async def history(self, guild_id: int, user_id: int, limit: int = 10) -> list[Exam]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(exams)
                    .where(
                        exams.c.guild_id == guild_id,
                        exams.c.user_id == user_id,
                        exams.c.status == str(ExamStatus.FINISHED),
                    )
                    .order_by(exams.c.started_at.desc(), exams.c.id.desc())
                    .limit(limit)
                )
            ).all()
        return [_exam(r) for r in rows]

    async def seen(self, guild_id: int, user_id: int) -> set[str]:
        """Every question the member has met: daily answers, practice and review, review cards and
        earlier exams."""
        stmts = [
            select(posts.c.question_id)
            .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
            .where(answers.c.guild_id == guild_id, answers.c.user_id == user_id),
            select(activity.c.question_id).where(activity.c.guild_id == guild_id, activity.c.user_id == user_id),
            select(reviews.c.question_id).where(reviews.c.guild_id == guild_id, reviews.c.user_id == user_id),
            select(exam_items.c.question_id)
            .select_from(exam_items.join(exams, exams.c.id == exam_items.c.exam_id))
            .where(exams.c.guild_id == guild_id, exams.c.user_id == user_id),
        ]
        out: set[str] = set()
        async with self.db.connect() as conn:
            for stmt in stmts:
                out.update((await conn.execute(stmt.distinct())).scalars())
        return out

    async def study_record(self, guild_id: int | None, user_id: int) -> StudyRecord:
        return await study_record(self.db, guild_id, user_id)


class StudyRecord(NamedTuple):
    """Everything a member answered, and their review cards (for readiness)."""

    answers: list[tuple[str, bool, str]]  # (question id, right?, kind: daily | practice | review | exam)
    cards: dict[str, str]  # question id -> fsrs card JSON


async def study_record(db: Database, guild_id: int | None, user_id: int) -> StudyRecord:
    """One member's answers of every kind and their cards; ``guild_id`` None: in every server
    (the member's own view in DMs)."""

    def mine(table: Any) -> list[Any]:
        where = [table.c.user_id == user_id]
        if guild_id is not None:
            where.append(table.c.guild_id == guild_id)
        return where

    daily = (
        select(posts.c.question_id, answers.c.correct, literal("daily"))
        .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
        .where(*mine(answers))
    )
    study = select(activity.c.question_id, activity.c.correct, activity.c.kind).where(*mine(activity))
    exam = (
        select(exam_items.c.question_id, exam_items.c.correct, literal("exam"))
        .select_from(exam_items.join(exams, exams.c.id == exam_items.c.exam_id))
        .where(*mine(exams), exams.c.status == str(ExamStatus.FINISHED), exam_items.c.chosen.is_not(None))
    )
    cards = select(reviews.c.question_id, reviews.c.card).where(*mine(reviews))
    out: list[tuple[str, bool, str]] = []
    async with db.connect() as conn:
        for stmt in (daily, study, exam):
            out += [(str(q), bool(c), str(k)) for q, c, k in (await conn.execute(stmt)).all()]
        found: dict[str, str] = {str(q): str(card) for q, card in (await conn.execute(cards)).all()}
    return StudyRecord(out, found)
