"""The mock exam both front ends call: start (or reopen) a member's exam, show a question, answer,
flag, finish (by the member or by the clock), the result and the history.

Everything lives in the database, so a restart loses nothing: the deadline is stored, a button
carries the exam and the question, and ``/exam start`` reopens the running exam. The clock is
the real exam's: it runs on while the bot is down."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from studybot.clock import Clock, utcnow
from studybot.exam import rules
from studybot.exam.readiness import Readiness, readiness
from studybot.guild import DEFAULT_TZ, parse_zone
from studybot.lookup import KnowledgeBase, Question
from studybot.messages import t
from studybot.quiz import Shown, after_answer, present
from studybot.storage import Exam, ExamItem, NewItem, Storage
from studybot.vocab import Domain, ExamOutcome, ExamStatus


@dataclass(frozen=True)
class ExamPage:
    """One question of a running exam as the member sees it."""

    exam: Exam
    position: int
    shown: Shown
    chosen: tuple[str, ...] | None
    flagged: bool
    progress: list[tuple[int, bool, bool]]  # (position, answered, flagged) of every question

    @property
    def answered(self) -> int:
        return sum(1 for _, a, _ in self.progress if a)

    @property
    def flags(self) -> list[int]:
        return [p for p, _, f in self.progress if f]

    @property
    def picks(self) -> int:
        return rules.picks(self.shown.question)


@dataclass(frozen=True)
class Miss:
    position: int
    shown: Shown
    chosen: tuple[str, ...] | None


@dataclass(frozen=True)
class ExamResult:
    exam: Exam
    total: int
    correct: int
    scaled: int
    answered: int
    domains: list[rules.Tally]
    topics: list[rules.Tally]  # keys are topic ids
    misses: list[Miss]

    @property
    def passed(self) -> bool:
        return rules.passed(self.scaled)

    @property
    def used(self) -> timedelta:
        end = self.exam.finished_at or self.exam.ends_at
        return min(end, self.exam.ends_at) - self.exam.started_at


@dataclass(frozen=True)
class ExamView:
    outcome: ExamOutcome
    page: ExamPage | None = None
    result: ExamResult | None = None
    detail: str = ""  # a sentence for INVALID / EMPTY
    previous: ExamResult | None = None  # an exam that ended by time when a new one started


def _question(item: ExamItem) -> Question:
    return Question.from_json(item.snapshot)


def _shown(item: ExamItem) -> Shown:
    return present(_question(item), item.choice_order)


class ExamService:
    def __init__(self, kb: KnowledgeBase, storage: Storage, clock: Clock = utcnow):
        self.kb = kb
        self.storage = storage
        self.clock = clock
        # the guild's approved member questions (wired by App to QuizService.member_questions)
        self.member_questions: Callable[[int], Awaitable[list[Question]]] | None = None

    # limits ------------------------------------------------------------------------------------

    def defaults(self) -> tuple[int, int]:
        n = rules.default_questions(self.kb)
        return n, n * rules.MINUTES_PER_QUESTION

    # start -------------------------------------------------------------------------------------

    async def start(
        self,
        guild_id: int,
        user_id: int,
        questions: int | None = None,
        minutes: int | None = None,
        seed: int | str | None = None,
    ) -> ExamView:
        """A new exam, or the member's running one reopened (one running exam per member)."""
        now = self.clock()
        previous = None
        running = await self.storage.exams.running(guild_id, user_id)
        if running is not None:
            if running.ends_at > now:
                return await self._page(running, running.position, ExamOutcome.RESUMED)
            previous = await self._finish(running)
        extra = await self.member_questions(guild_id) if self.member_questions is not None else []
        pool = rules.examinable(self.kb, extra)
        if not pool:
            return ExamView(ExamOutcome.EMPTY, detail=t("exam.empty"))
        most = rules.max_questions(self.kb, pool)
        n = questions if questions is not None else rules.default_questions(self.kb, pool)
        if not 1 <= n <= most:
            return ExamView(ExamOutcome.INVALID, detail=t("exam.bad_questions", most=most))
        limit = minutes if minutes is not None else n * rules.MINUTES_PER_QUESTION
        if not 1 <= limit <= rules.EXAM_MAX_MINUTES:
            return ExamView(ExamOutcome.INVALID, detail=t("exam.bad_minutes", most=rules.EXAM_MAX_MINUTES))
        rng = random.Random(seed if seed is not None else f"{guild_id}:{user_id}:{now.isoformat()}")
        seen = await self.storage.exams.seen(guild_id, user_id)
        drawn = rules.draw(pool, n, seen, rng)
        items = [
            NewItem(q.id, q.topic_id, str(q.domain) if q.domain else None, q.to_json(), rules.option_order(q, rng))
            for q in drawn
        ]
        exam = await self.storage.exams.start(guild_id, user_id, items, limit, now, now + timedelta(minutes=limit))
        if exam is None:  # another start (a double click, another process) got there first
            running = await self.storage.exams.running(guild_id, user_id)
            if running is None:
                return ExamView(ExamOutcome.MISSING)
            return await self._page(running, running.position, ExamOutcome.RESUMED)
        view = await self._page(exam, 0, ExamOutcome.STARTED)
        return ExamView(view.outcome, view.page, previous=previous)

    # a running exam ----------------------------------------------------------------------------

    async def _own(self, exam_id: int, guild_id: int, user_id: int) -> Exam | None:
        exam = await self.storage.exams.get(exam_id)
        if exam is None or exam.user_id != user_id or exam.guild_id != guild_id:
            return None
        return exam

    async def _page(self, exam: Exam, position: int, outcome: ExamOutcome = ExamOutcome.PAGE) -> ExamView:
        position = min(max(position, 0), exam.questions - 1)
        item, progress = await self.storage.exams.page(exam.id, position)
        if item is None:
            return ExamView(ExamOutcome.MISSING)
        page = ExamPage(exam, position, _shown(item), item.chosen, item.flagged, progress)
        return ExamView(outcome, page)

    async def _over(self, exam: Exam, outcome: ExamOutcome = ExamOutcome.RESULT) -> ExamView:
        """The result of an exam that is over (finishing it first if the clock ended it)."""
        if exam.status is ExamStatus.RUNNING:
            return ExamView(outcome, result=await self._finish(exam))
        return ExamView(outcome, result=await self._result(exam))

    async def show(self, exam_id: int, guild_id: int, user_id: int, position: int) -> ExamView:
        """Move to a question (◀ ▶, the jump list)."""
        exam = await self._own(exam_id, guild_id, user_id)
        if exam is None:
            return ExamView(ExamOutcome.MISSING)
        if exam.status is not ExamStatus.RUNNING or exam.ends_at <= self.clock():
            return await self._over(exam)
        if not 0 <= position < exam.questions:
            return ExamView(ExamOutcome.INVALID, detail=t("exam.bad_position"))
        await self.storage.exams.move(exam.id, position)
        return await self._page(exam, position)

    async def answer(
        self, exam_id: int, guild_id: int, user_id: int, position: int, indexes: Sequence[int]
    ) -> ExamView:
        """Choose options (their positions as shown). No feedback: the exam moves on to the next
        question. After the time limit the answer is refused and the exam is finished."""
        exam = await self._own(exam_id, guild_id, user_id)
        if exam is None:
            return ExamView(ExamOutcome.MISSING)
        now = self.clock()
        if exam.status is not ExamStatus.RUNNING:
            return await self._over(exam)
        if exam.ends_at <= now:
            return await self._over(exam, ExamOutcome.EXPIRED)
        item = await self.storage.exams.item(exam.id, position)
        if item is None:
            return ExamView(ExamOutcome.INVALID, detail=t("exam.bad_position"))
        shown = _shown(item)
        wanted = rules.picks(shown.question)
        if len(set(indexes)) != wanted or not all(0 <= i < len(shown.choices) for i in indexes):
            return ExamView(ExamOutcome.INVALID, detail=t("exam.pick_count", count=wanted))
        chosen = tuple(shown.choices[i] for i in sorted(set(indexes)))
        correct = rules.judge(shown.question, chosen)
        following = position + 1 if position + 1 < exam.questions else position
        if not await self.storage.exams.answer(exam.id, position, chosen, correct, now, following):
            fresh = await self.storage.exams.get(exam.id)
            assert fresh is not None
            return await self._over(fresh, ExamOutcome.EXPIRED)
        return await self._page(exam, following)

    async def flag(self, exam_id: int, guild_id: int, user_id: int, position: int) -> ExamView:
        exam = await self._own(exam_id, guild_id, user_id)
        if exam is None:
            return ExamView(ExamOutcome.MISSING)
        if exam.status is not ExamStatus.RUNNING:
            return await self._over(exam)
        if exam.ends_at <= self.clock():
            return await self._over(exam, ExamOutcome.EXPIRED)
        if await self.storage.exams.flag(exam.id, position, self.clock()) is None:
            fresh = await self.storage.exams.get(exam.id)
            assert fresh is not None
            return await self._over(fresh, ExamOutcome.EXPIRED)
        return await self._page(exam, position)

    # finishing ---------------------------------------------------------------------------------

    async def finish(self, guild_id: int, user_id: int, exam_id: int | None = None) -> ExamView:
        """The member hands in (``/exam finish`` or the button); the result either way."""
        exam = (
            await self._own(exam_id, guild_id, user_id)
            if exam_id is not None
            else await self.storage.exams.running(guild_id, user_id)
        )
        if exam is None:
            return ExamView(ExamOutcome.MISSING)
        return await self._over(exam)

    async def _finish(self, exam: Exam) -> ExamResult:
        now = min(self.clock(), exam.ends_at)  # ended by the clock: it finished at the deadline
        await self.storage.exams.finish(exam.id, now, self._scale, self._after_finish)
        fresh = await self.storage.exams.get(exam.id)
        assert fresh is not None
        return await self._result(fresh)

    @staticmethod
    def _scale(items: list[ExamItem]) -> int:
        return rules.scaled_score(sum(1 for i in items if i.correct), len(items))

    async def _after_finish(self, conn: AsyncConnection, exam: Exam, items: list[ExamItem], now: datetime) -> None:
        """Every miss (wrong or unanswered) joins the member's review queue; a right answer moves a
        card the member already has (FSRS Good). Written in the finish's own transaction."""
        keyed = [((exam.guild_id, exam.user_id, i.question_id), i.correct, now) for i in items]
        await self.storage.reviews.apply(conn, keyed, after_answer)

    async def finish_expired(self) -> list[int]:
        """Exams whose time ran out with nobody pressing anything: finished (their misses reach the
        review queue). Safe from many processes: the finish is a compare-and-set."""
        done = []
        for exam_id in await self.storage.exams.expired(self.clock()):
            exam = await self.storage.exams.get(exam_id)
            if exam is not None and exam.status is ExamStatus.RUNNING:
                await self._finish(exam)
                done.append(exam_id)
        return done

    # results -----------------------------------------------------------------------------------

    async def _result(self, exam: Exam) -> ExamResult:
        items = await self.storage.exams.items(exam.id)
        correct = sum(1 for i in items if i.correct)
        domains = rules.tally(((i.domain or "-", i.correct) for i in items), [str(d) for d in Domain])
        topic_order = [tp.id for tp in sorted(self.kb.topics.values(), key=lambda tp: tp.order)]
        topics = rules.tally(((i.topic_id, i.correct) for i in items), topic_order)
        misses = [Miss(i.position, _shown(i), i.chosen) for i in items if not i.correct]
        scaled = exam.scaled if exam.scaled is not None else rules.scaled_score(correct, len(items))
        answered = sum(1 for i in items if i.chosen is not None)
        return ExamResult(exam, len(items), correct, scaled, answered, domains, topics, misses)

    async def result(self, exam_id: int, guild_id: int, user_id: int) -> ExamView:
        exam = await self._own(exam_id, guild_id, user_id)
        if exam is None:
            return ExamView(ExamOutcome.MISSING)
        if exam.status is ExamStatus.RUNNING and exam.ends_at > self.clock():
            return await self._page(exam, exam.position, ExamOutcome.RESUMED)
        return await self._over(exam)

    async def history(self, guild_id: int, user_id: int, limit: int = 10) -> list[Exam]:
        await self.finish_mine(guild_id, user_id)
        return await self.storage.exams.history(guild_id, user_id, limit)

    async def readiness(self, guild_id: int | None, user_id: int) -> Readiness:
        """In a server from that server's answers; ``None`` (DMs) from every server's. Counts down
        to the member's exam date (in their time zone)."""
        plan = await self.storage.plans.get(user_id)
        zone = plan.timezone if plan and plan.timezone else DEFAULT_TZ
        now = self.clock()
        record = await self.storage.exams.study_record(guild_id, user_id)
        today = now.astimezone(parse_zone(zone)).date()
        exam_date = plan.exam_date if plan else None
        # the server's approved questions are part of its bank (in DMs: the shipped bank only)
        extra = await self.member_questions(guild_id) if guild_id is not None and self.member_questions else []
        return readiness(self.kb, user_id, record.answers, record.cards, now, exam_date, today, extra)

    async def finish_mine(self, guild_id: int, user_id: int) -> None:
        running = await self.storage.exams.running(guild_id, user_id)
        if running is not None and running.ends_at <= self.clock():
            await self._finish(running)
