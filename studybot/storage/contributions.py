"""What members contribute: question suggestions and their moderation, the guild's approved
member questions, and "this is wrong" reports.

Every guarantee is a database constraint, so it holds across clicks, restarts and processes:
at most ``MAX_PENDING`` pending suggestions per member (a unique pending slot), one question
per approved suggestion (a unique ``suggestion_id``), and a decision is a compare-and-set on
``status = pending`` (or ``open`` for a report) inside the transaction that writes the question."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from studybot.storage.db import Database, aware
from studybot.storage.tables import member_questions, posts, reports, suggestions
from studybot.vocab import PostStatus, ReportStatus, ReportTarget, SuggestionStatus

MAX_PENDING = 5
USED_STATUSES = (PostStatus.POSTED, PostStatus.CLOSING, PostStatus.CLOSED)


@dataclass(frozen=True)
class Suggestion:
    id: int
    guild_id: int
    author_id: int
    author_name: str
    status: SuggestionStatus
    payload: dict  # the question as the bank's mapping (without its id)
    created_at: datetime
    moderator_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class MemberQuestion:
    guild_id: int
    question_id: str
    suggestion_id: int
    author_id: int | None
    question: str  # lookup.Question as JSON


@dataclass(frozen=True)
class Report:
    id: int
    guild_id: int
    reporter_id: int
    target_kind: ReportTarget
    target_id: str
    shown: str
    reason: str
    link: str
    status: ReportStatus
    created_at: datetime
    moderator_id: int | None = None


def _suggestion(row: Any) -> Suggestion:
    return Suggestion(
        row.id,
        row.guild_id,
        row.author_id,
        row.author_name,
        SuggestionStatus(row.status),
        json.loads(row.payload),
        aware(row.created_at) or row.created_at,
        row.moderator_id,
        row.reason,
    )


def _report(row: Any) -> Report:
    return Report(
        row.id,
        row.guild_id,
        row.reporter_id,
        ReportTarget(row.target_kind),
        row.target_id,
        row.shown,
        row.reason,
        row.link,
        ReportStatus(row.status),
        aware(row.created_at) or row.created_at,
        row.moderator_id,
    )


class ContributionRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- suggestions ----------------------------------------------------------------------------

    async def pending_count(self, guild_id: int, author_id: int) -> int:
        async with self.db.connect() as conn:
            stmt = select(func.count()).where(
                suggestions.c.guild_id == guild_id,
                suggestions.c.author_id == author_id,
                suggestions.c.pending_slot.is_not(None),
            )
            return int((await conn.execute(stmt)).scalar_one())

    async def add_suggestion(
        self, guild_id: int, author_id: int, author_name: str, payload: dict, now: datetime
    ) -> Suggestion | None:
        """A new pending suggestion in the member's lowest free slot; None when all
        ``MAX_PENDING`` are taken (two submits at once race for a slot: the constraint decides)."""
        for _attempt in range(MAX_PENDING + 1):
            async with self.db.connect() as conn:
                taken = set(
                    (
                        await conn.execute(
                            select(suggestions.c.pending_slot).where(
                                suggestions.c.guild_id == guild_id,
                                suggestions.c.author_id == author_id,
                                suggestions.c.pending_slot.is_not(None),
                            )
                        )
                    ).scalars()
                )
            free = [slot for slot in range(1, MAX_PENDING + 1) if slot not in taken]
            if not free:
                return None
            try:
                async with self.db.begin() as conn:
                    new_id = (
                        await conn.execute(
                            suggestions.insert()
                            .values(
                                guild_id=guild_id,
                                author_id=author_id,
                                author_name=author_name[:100],
                                status=str(SuggestionStatus.PENDING),
                                pending_slot=free[0],
                                payload=json.dumps(payload, ensure_ascii=False),
                                created_at=now,
                            )
                            .returning(suggestions.c.id)
                        )
                    ).scalar_one()
            except IntegrityError:
                continue  # another submit took that slot first: look again
            return await self.suggestion(int(new_id))
        return None

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(suggestions).where(suggestions.c.id == suggestion_id))).first()
        return _suggestion(row) if row else None

    async def pending(self, guild_id: int, limit: int = 25) -> list[Suggestion]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(suggestions)
                    .where(suggestions.c.guild_id == guild_id, suggestions.c.status == str(SuggestionStatus.PENDING))
                    .order_by(suggestions.c.id)
                    .limit(limit)
                )
            ).all()
        return [_suggestion(r) for r in rows]

    async def count_pending(self, guild_id: int) -> int:
        async with self.db.connect() as conn:
            stmt = select(func.count()).where(
                suggestions.c.guild_id == guild_id, suggestions.c.status == str(SuggestionStatus.PENDING)
            )
            return int((await conn.execute(stmt)).scalar_one())

    async def edit_suggestion(self, suggestion_id: int, payload: dict) -> bool:
        """A moderator's edit of a pending suggestion (False once it is decided)."""
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(suggestions)
                .where(suggestions.c.id == suggestion_id, suggestions.c.status == str(SuggestionStatus.PENDING))
                .values(payload=json.dumps(payload, ensure_ascii=False))
            )
        return result.rowcount == 1

    async def approve(
        self, suggestion_id: int, question_id: str, question_json: str, moderator_id: int, now: datetime
    ) -> bool:
        """Pending -> approved and the question stored, in one transaction; False when it was
        already decided (a second click, another moderator, another process)."""
        try:
            async with self.db.begin() as conn:
                row = (
                    await conn.execute(
                        update(suggestions)
                        .where(suggestions.c.id == suggestion_id, suggestions.c.status == str(SuggestionStatus.PENDING))
                        .values(
                            status=str(SuggestionStatus.APPROVED),
                            pending_slot=None,
                            decided_at=now,
                            moderator_id=moderator_id,
                        )
                        .returning(suggestions.c.guild_id, suggestions.c.author_id)
                    )
                ).first()
                if row is None:
                    return False
                await conn.execute(
                    member_questions.insert().values(
                        guild_id=row.guild_id,
                        question_id=question_id,
                        suggestion_id=suggestion_id,
                        author_id=row.author_id,
                        question=question_json,
                        approved_at=now,
                        approved_by=moderator_id,
                    )
                )
        except IntegrityError:  # the question of this suggestion exists: nothing is doubled
            return False
        return True

    async def reject(self, suggestion_id: int, moderator_id: int, reason: str, now: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(suggestions)
                .where(suggestions.c.id == suggestion_id, suggestions.c.status == str(SuggestionStatus.PENDING))
                .values(
                    status=str(SuggestionStatus.REJECTED),
                    pending_slot=None,
                    decided_at=now,
                    moderator_id=moderator_id,
                    reason=reason,
                )
            )
        return result.rowcount == 1

    # -- the guild's member questions -----------------------------------------------------------

    async def questions(self, guild_id: int) -> list[MemberQuestion]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(member_questions)
                    .where(member_questions.c.guild_id == guild_id)
                    .order_by(member_questions.c.suggestion_id)
                )
            ).all()
        return [MemberQuestion(r.guild_id, r.question_id, r.suggestion_id, r.author_id, r.question) for r in rows]

    async def author_days(
        self, guild_id: int, since: date | None = None, until: date | None = None
    ) -> list[tuple[int, date, int]]:
        """(author, local day, posts) of the guild's posts that used a member's question."""
        stmt = (
            select(member_questions.c.author_id, posts.c.local_date, func.count())
            .select_from(
                posts.join(
                    member_questions,
                    (member_questions.c.guild_id == posts.c.guild_id)
                    & (member_questions.c.question_id == posts.c.question_id),
                )
            )
            .where(
                posts.c.guild_id == guild_id,
                posts.c.status.in_([str(s) for s in USED_STATUSES]),
                member_questions.c.author_id.is_not(None),
            )
            .group_by(member_questions.c.author_id, posts.c.local_date)
        )
        if since is not None:
            stmt = stmt.where(posts.c.local_date >= since)
        if until is not None:
            stmt = stmt.where(posts.c.local_date < until)
        async with self.db.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [(int(a), d, int(n)) for a, d, n in rows]

    # -- reports --------------------------------------------------------------------------------

    async def add_report(
        self,
        guild_id: int,
        reporter_id: int,
        kind: ReportTarget,
        target_id: str,
        shown: str,
        reason: str,
        link: str,
        now: datetime,
    ) -> Report:
        async with self.db.begin() as conn:
            new_id = (
                await conn.execute(
                    reports.insert()
                    .values(
                        guild_id=guild_id,
                        reporter_id=reporter_id,
                        target_kind=str(kind),
                        target_id=target_id,
                        shown=shown,
                        reason=reason,
                        link=link[:200],
                        status=str(ReportStatus.OPEN),
                        created_at=now,
                    )
                    .returning(reports.c.id)
                )
            ).scalar_one()
        report = await self.report(int(new_id))
        assert report is not None
        return report

    async def report(self, report_id: int) -> Report | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(select(reports).where(reports.c.id == report_id))).first()
        return _report(row) if row else None

    async def open_reports(self, guild_id: int, limit: int = 25) -> list[Report]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(reports)
                    .where(reports.c.guild_id == guild_id, reports.c.status == str(ReportStatus.OPEN))
                    .order_by(reports.c.id)
                    .limit(limit)
                )
            ).all()
        return [_report(r) for r in rows]

    async def reporters(self, guild_id: int, kind: ReportTarget, target_id: str) -> int:
        """How many different members have an open report on one section or question."""
        async with self.db.connect() as conn:
            stmt = select(func.count(func.distinct(reports.c.reporter_id))).where(
                reports.c.guild_id == guild_id,
                reports.c.target_kind == str(kind),
                reports.c.target_id == target_id,
                reports.c.status == str(ReportStatus.OPEN),
            )
            return int((await conn.execute(stmt)).scalar_one())

    async def resolve(self, report_id: int, status: ReportStatus, moderator_id: int, now: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(reports)
                .where(reports.c.id == report_id, reports.c.status == str(ReportStatus.OPEN))
                .values(status=str(status), resolved_at=now, moderator_id=moderator_id)
            )
        return result.rowcount == 1
