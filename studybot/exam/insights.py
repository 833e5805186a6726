"""Insights for the group leader (``/quiz insights``): per question the share right, how well it
separates strong from weak members, the most-chosen wrong option; per topic the group's accuracy
and its trend over the last four weeks; participation per day; and how many members have reviews
piling up (counts only, never names).

Discrimination is the upper-lower index: members with at least ``MIN_ANSWERS`` daily answers are
ranked by their share right; the top and bottom 27% are the upper and lower groups; a question's
index is (share right in the upper group) - (share right in the lower group) among those who
answered it, from -1 to 1 (0.3 or more separates well; below 0 the strong members miss it more,
which usually means the key or the wording is off)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from studybot.board import spreadsheet_safe
from studybot.clock import Clock, utcnow
from studybot.guild import DEFAULT_TZ, parse_zone
from studybot.lookup import KnowledgeBase, Question
from studybot.quiz import multi
from studybot.storage import Storage
from studybot.vocab import QuestionType

GROUP_SHARE = 0.27
MIN_ANSWERS = 3  # daily answers a member needs to be ranked for the discrimination index
WEEKS = 4
PILING = (1, 5, 10)  # reviews due: 1-4, 5-9, 10 or more


@dataclass(frozen=True)
class QuestionFigures:
    question_id: str
    topic_id: str
    answered: int
    right: int
    discrimination: float | None  # None: too few ranked members answered it
    top_wrong: str | None
    top_wrong_count: int

    @property
    def share(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class TopicTrend:
    topic_id: str
    weeks: list[tuple[int, int]]  # (answers, right) per week, oldest first
    answered: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.answered if self.answered else 0.0

    @property
    def trend(self) -> float | None:
        """Last week's share right minus the first week's with answers; None without two weeks."""
        shares = [r / n for n, r in self.weeks if n]
        return shares[-1] - shares[0] if len(shares) >= 2 else None


@dataclass(frozen=True)
class Insights:
    guild_id: int
    questions: list[QuestionFigures]  # hardest first
    topics: list[TopicTrend]
    participation: list[tuple[date, int]]  # members who answered anything, per local day (28 days)
    piling: list[tuple[int, int]]  # (at least this many due, members), per PILING band
    ranked: int  # members ranked for the discrimination index


def rank_groups(totals: list[tuple[int, int, int]]) -> tuple[list[int], list[int], int]:
    """The upper and lower 27% of the members with at least MIN_ANSWERS daily answers, by share
    right; and how many were ranked. Empty groups when there are too few to split."""
    ranked = sorted(((r / n, u) for u, n, r in totals if n >= MIN_ANSWERS), reverse=True)
    size = int(len(ranked) * GROUP_SHARE + 0.5)
    if size < 1 or len(ranked) < 2 * size:
        return [], [], len(ranked)
    return [u for _, u in ranked[:size]], [u for _, u in ranked[-size:]], len(ranked)


def discrimination(upper: dict[str, tuple[int, int]], lower: dict[str, tuple[int, int]]) -> dict[str, float]:
    """question -> (share right in the upper group) - (share right in the lower group), for the
    questions both groups answered."""
    return {
        q: up[1] / up[0] - lower[q][1] / lower[q][0] for q, up in upper.items() if up[0] and q in lower and lower[q][0]
    }


class InsightService:
    def __init__(self, kb: KnowledgeBase, storage: Storage, clock: Clock = utcnow):
        self.kb = kb
        self.storage = storage
        self.clock = clock

    async def _zone(self, guild_id: int) -> ZoneInfo:
        settings = await self.storage.guilds.get(guild_id)
        return settings.zone if settings is not None else parse_zone(DEFAULT_TZ)

    async def insights(self, guild_id: int) -> Insights:
        repo = self.storage.insights
        now = self.clock()
        zone = await self._zone(guild_id)
        today = now.astimezone(zone).date()
        first_day = today - timedelta(days=7 * WEEKS - 1)
        # stored times are UTC (SQLite keeps the wall time only): compare in UTC
        since = datetime.combine(first_day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
        # the reads are independent: run them together (each on its own connection)
        totals, (per_question, wrong_choices), recent, due = await asyncio.gather(
            repo.member_totals(guild_id), repo.question_stats(guild_id), repo.recent(guild_id, since),
            repo.due_counts(guild_id, now),
        )  # fmt: skip
        upper, lower, ranked = rank_groups(totals)
        up, low = await asyncio.gather(repo.group_stats(guild_id, upper), repo.group_stats(guild_id, lower))
        index = discrimination(up, low)
        wrong: dict[str, tuple[str, int]] = {}
        for qid, choice, count in wrong_choices:
            if count > wrong.get(qid, ("", 0))[1]:
                wrong[qid] = (choice, count)
        wrong = await self._named(guild_id, wrong)
        questions = [
            QuestionFigures(q, topic, n, r, index.get(q), wrong.get(q, (None, 0))[0], wrong.get(q, (None, 0))[1])
            for q, topic, n, r in per_question
        ]
        questions.sort(key=lambda f: (f.share, -f.answered, f.question_id))
        per_topic: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(WEEKS)])
        active: dict[date, set[int]] = defaultdict(set)
        for user, topic, right, when in recent:
            day = when.astimezone(zone).date()
            if not first_day <= day <= today:
                continue
            week = (day - first_day).days // 7
            cell = per_topic[topic][week]
            cell[0] += 1
            cell[1] += int(right)
            active[day].add(user)
        order = {tp.id: tp.order for tp in self.kb.topics.values()}
        topics = [
            TopicTrend(t, [(n, r) for n, r in weeks], sum(n for n, _ in weeks), sum(r for _, r in weeks))
            for t, weeks in sorted(per_topic.items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))
        ]
        participation = [(d, len(active.get(d, ()))) for d in (first_day + timedelta(days=i) for i in range(7 * WEEKS))]
        bands = [*PILING[1:], None]
        piling = [
            (lo, sum(1 for n in due if n >= lo and (hi is None or n < hi)))
            for lo, hi in zip(PILING, bands, strict=True)
        ]
        return Insights(guild_id, questions, topics, participation, piling, ranked)

    async def _named(self, guild_id: int, wrong: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
        """A multi-response answer is stored as the picked options' authored indexes (``"0,2"``):
        name its options instead (the shipped bank's question, or the guild's member question)."""
        bank = {q.id: q for q in self.kb.questions.values() if q.type is QuestionType.MULTI}
        if any(qid.startswith("m-") for qid in wrong):
            for row in await self.storage.contributions.questions(guild_id):
                member = Question.from_json(row.question)
                if member.type is QuestionType.MULTI:
                    bank.setdefault(member.id, member)
        out = {}
        for qid, (choice, count) in wrong.items():
            question = bank.get(qid)
            named = ", ".join(multi.decode(question, choice)) if question is not None else ""
            out[qid] = (named or choice, count)
        return out

    def csv(self, insights: Insights) -> str:
        """Per question: the figures, for a spreadsheet (formula-looking cells neutralised)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "question_id",
                "topic",
                "answered",
                "right",
                "share_right",
                "discrimination",
                "top_wrong",
                "top_wrong_count",
            ]
        )
        for f in insights.questions:
            writer.writerow(
                [
                    f.question_id,
                    spreadsheet_safe(self.kb.topic_title(f.topic_id)),
                    f.answered,
                    f.right,
                    f"{f.share:.3f}",
                    "" if f.discrimination is None else f"{f.discrimination:.3f}",
                    spreadsheet_safe(f.top_wrong or ""),
                    f.top_wrong_count,
                ]
            )
        return out.getvalue()
