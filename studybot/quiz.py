"""Quiz rules: choosing the day's question, shuffling its options, judging answers, and the
service the cogs and the console both call (posting, answering, reveal, practice, review)."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from studybot import review, schedule
from studybot.knowledge import KnowledgeBase, Question
from studybot.store import GuildSettings, Post, Store
from studybot.text import jamo, squash, words

Clock = Callable[[], datetime]
log = logging.getLogger("studybot.quiz")


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("review update failed", exc_info=task.exception())


REVEAL_MODES = ("at-close", "immediate")
CONSOLE_GUILD = 0  # the console plays as one local member in guild 0


def utcnow() -> datetime:
    return datetime.now(UTC)


# -- pure rules ---------------------------------------------------------------------------------


def choice_order(question: Question, rng: random.Random) -> list[int]:
    """Shuffled option indexes for a post (true/false keeps O, X; short answers have none)."""
    if question.type != "choice":
        return list(range(len(question.choices)))
    order = list(range(len(question.options)))
    rng.shuffle(order)
    return order


def pick_question(kb: KnowledgeBase, used: list[tuple[str, str]], rng: random.Random) -> Question:
    """No repeat until the bank is exhausted; topics take turns in proportion to their size."""
    bank = sorted(kb.questions.values(), key=lambda q: q.id)
    cycle_len = len(used) % len(bank)
    cycle = used[len(used) - cycle_len :] if cycle_len else []
    seen = {qid for qid, _ in cycle}
    fresh = [q for q in bank if q.id not in seen] or bank
    size = Counter(q.topic_id for q in bank)
    asked = Counter(topic for _, topic in cycle)
    by_topic: dict[str, list[Question]] = {}
    for q in fresh:
        by_topic.setdefault(q.topic_id, []).append(q)
    topic = min(by_topic, key=lambda t: ((asked[t] + 1) / size[t], rng.random()))
    return rng.choice(by_topic[topic])


def judge_short(answer: str, accepted: tuple[str, ...]) -> bool:
    """Forgiving of case, spacing, particles and a small typo; never of a different term.

    Terms with digits must match exactly (``sc1`` is not ``st1``), short terms too; longer ones
    may differ by one jamo or letter per six.
    """
    given = squash(answer)
    if not given:
        return False
    candidates = {given}
    parts = words(answer)
    candidates.update(jamo(w) for w in parts)
    candidates.update(jamo(a + b) for a, b in pairwise(parts))
    for target in (squash(a) for a in accepted):
        for cand in candidates:
            if cand == target:
                return True
            if any(c.isdigit() for c in target) or len(target) < 5:
                continue
            if Levenshtein.distance(cand, target) <= len(target) // 6:
                return True
    return False


def is_correct(question: Question, choice: str) -> bool:
    if question.type == "short":
        return judge_short(choice, question.accepted)
    return choice == question.correct_choice


# -- service ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A question as a member sees it: the options in this post's order."""

    post_id: int | None
    question: Question
    choices: tuple[str, ...]

    @property
    def is_short(self) -> bool:
        return self.question.type == "short"


def present(question: Question, order: list[int] | tuple[int, ...], post_id: int | None = None) -> Shown:
    choices = tuple(question.choices[i] for i in order) if question.type != "short" else ()
    return Shown(post_id, question, choices)


@dataclass(frozen=True)
class AnswerOutcome:
    status: str  # recorded, already, closed, missing, invalid
    question: Question | None = None
    choice: str = ""
    correct: bool = False
    reveal_mode: str = "at-close"


@dataclass(frozen=True)
class Reveal:
    post: Post
    question: Question
    choices: tuple[str, ...]
    correct_choice: str
    distribution: dict[str, int]
    answered: int
    right: int


@dataclass(frozen=True)
class Due:
    settings: GuildSettings
    slot: schedule.Slot


POST_CACHE_SECONDS = 1.0  # a click reads its post from memory for this long (a burst reads it once)


class QuizService:
    def __init__(self, kb: KnowledgeBase, store: Store, clock: Clock = utcnow):
        self.kb = kb
        self.store = store
        self.clock = clock
        self._posts: dict[int, tuple[float, asyncio.Future]] = {}
        self._background: set[asyncio.Task] = set()
        self._review_queue: list[tuple[int, int, str, bool, datetime]] = []

    async def _post_and_settings(self, post_id: int) -> tuple[Post | None, GuildSettings | None]:
        """The post and its guild's settings, cached briefly: 2,000 clicks on one post make one
        read, not 4,000 (concurrent clicks share the one read in flight). Closing or changing
        settings in this process drops the cache at once; another process's close is seen within
        POST_CACHE_SECONDS."""
        now = time.monotonic()
        cached = self._posts.get(post_id)
        if cached is None or now - cached[0] >= POST_CACHE_SECONDS:
            cached = (now, asyncio.ensure_future(self._read_post(post_id)))
            self._posts[post_id] = cached
        try:
            return await asyncio.shield(cached[1])
        except Exception:
            self._posts.pop(post_id, None)
            raise

    async def _read_post(self, post_id: int) -> tuple[Post | None, GuildSettings | None]:
        post = await self.store.post(post_id)
        return post, (await self.store.settings(post.guild_id) if post else None)

    def _forget(self) -> None:
        self._posts.clear()

    def _review_later(self, guild_id: int, user_id: int, question: Question, correct: bool, now: datetime) -> None:
        """Queue a review update; queued updates are written together, in order, in one batch."""
        self._review_queue.append((guild_id, user_id, question.id, correct, now))
        if not self._background:
            task = asyncio.create_task(self._write_reviews())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            task.add_done_callback(_log_failure)

    async def _write_reviews(self) -> None:
        while self._review_queue:
            await asyncio.sleep(0.005)
            batch, self._review_queue = self._review_queue, []
            cards = await self.store.review_cards([(g, u, q) for g, u, q, _, _ in batch])
            out: dict[tuple[int, int, str], tuple] = {}
            for g, u, q, correct, now in batch:
                card, lapses = cards.get((g, u, q), (None, 0))
                scheduled = review.after_answer(card, lapses, correct, now)
                if scheduled is not None:
                    cards[(g, u, q)] = (json.dumps(scheduled.card), scheduled.lapses)
                    out[(g, u, q)] = (g, u, q, scheduled.card, scheduled.due, scheduled.lapses)
            await self.store.save_reviews(list(out.values()))

    async def drain(self) -> None:
        """Wait for review updates started after acknowledgements (shutdown, tests)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    # settings ----------------------------------------------------------------------------------

    async def setup(
        self, guild_id: int, channel_id: int, post_time: str, timezone: str, admin_id: int | None
    ) -> GuildSettings:
        hhmm = schedule.parse_time(post_time)
        schedule.parse_zone(timezone)
        current = await self.store.settings(guild_id)
        settings = GuildSettings(
            guild_id=guild_id,
            channel_id=channel_id,
            post_time=hhmm,
            timezone=timezone,
            paused=False,
            reveal_mode=current.reveal_mode if current else "at-close",
            close_hour=current.close_hour if current else None,
            admin_id=admin_id,
        )
        await self.store.save_settings(settings, self.clock())
        return settings

    async def update(self, guild_id: int, **changes) -> GuildSettings | None:
        if "reveal_mode" in changes and changes["reveal_mode"] not in REVEAL_MODES:
            raise schedule.ScheduleError("공개 방식은 at-close 또는 immediate 중 하나예요.")
        if changes.get("close_hour") is not None and not 0 <= changes["close_hour"] <= 23:
            raise schedule.ScheduleError("마감 시각은 0~23시 중 하나로 정해 주세요.")
        self._forget()
        if not await self.store.update_settings(guild_id, self.clock(), **changes):
            return None
        return await self.store.settings(guild_id)

    async def next_post_time(self, settings: GuildSettings) -> datetime:
        zone = schedule.parse_zone(settings.timezone)
        now = self.clock()
        today = schedule.today_slot(now, settings.post_time, zone)
        if today.at > now or await self.store.post_for_day(settings.guild_id, today.local_date) is None:
            return max(today.at, now) if today.at > now else now
        return schedule.next_slot(now, settings.post_time, zone).at

    # posting -----------------------------------------------------------------------------------

    async def due(self) -> list[Due]:
        """Guilds whose question for *today* (local) is due and not yet claimed. A day the bot
        missed entirely is never posted late: only the current local date is ever considered."""
        now = self.clock()
        out = []
        for settings in await self.store.all_settings():
            if settings.paused:
                continue
            slot = schedule.today_slot(now, settings.post_time, schedule.parse_zone(settings.timezone))
            if slot.at <= now and await self.store.post_for_day(settings.guild_id, slot.local_date) is None:
                out.append(Due(settings, slot))
        return out

    async def claim(self, settings: GuildSettings, *, manual: bool = False) -> tuple[Post, Shown] | None:
        """Claim the guild's post in the database before anything is sent (None: already claimed)."""
        now = self.clock()
        zone = schedule.parse_zone(settings.timezone)
        day = schedule.local_date(now, zone)
        slot = "daily"
        if manual:
            slot = f"now-{now.strftime('%H%M%S%f')}"
        rng = random.Random(f"{settings.guild_id}:{day.isoformat()}:{slot}")
        question = pick_question(self.kb, await self.store.used_questions(settings.guild_id), rng)
        post = await self.store.claim_post(
            guild_id=settings.guild_id,
            local_date=day,
            slot=slot,
            question_id=question.id,
            topic_id=question.topic_id,
            choice_order=choice_order(question, rng),
            channel_id=settings.channel_id,
            now=now,
        )
        if post is None:
            return None
        await self.store.set_post(post.id, expect="claimed", status="sending")
        return post, self.shown(post)

    def shown(self, post: Post) -> Shown:
        return present(self.kb.questions[post.question_id], post.choice_order, post.id)

    async def posted(self, post: Post, message_id: int, settings: GuildSettings) -> None:
        now = self.clock()
        zone = schedule.parse_zone(settings.timezone)
        closes = schedule.close_time(now, settings.post_time, zone, settings.close_hour)
        await self.store.set_post(post.id, status="posted", message_id=message_id, posted_at=now, closes_at=closes)
        await self.store.update_settings(settings.guild_id, now, last_error=None)

    async def failed(self, post: Post, reason: str) -> None:
        """Sending failed (channel gone, no permission): keep the schedule, free the question."""
        await self.store.set_post(post.id, status="failed", error=reason[:500])
        await self.store.update_settings(post.guild_id, self.clock(), last_error=reason[:500])

    # answering ---------------------------------------------------------------------------------

    async def answer(
        self, post_id: int, user_id: int, *, index: int | None = None, text: str | None = None
    ) -> AnswerOutcome:
        post, settings = await self._post_and_settings(post_id)
        if post is None or post.question_id not in self.kb.questions:
            return AnswerOutcome("missing")
        question = self.kb.questions[post.question_id]
        mode = settings.reveal_mode if settings else "at-close"
        if post.status != "posted":
            return AnswerOutcome("closed", question, reveal_mode=mode)
        if index is not None:
            choices = self.shown(post).choices
            if not 0 <= index < len(choices):
                return AnswerOutcome("invalid", question)
            choice = choices[index]
        else:
            choice = (text or "").strip()[:200]
            if not choice:
                return AnswerOutcome("invalid", question)
        correct = is_correct(question, choice)
        now = self.clock()
        result = await self.store.record_answer(
            post_id=post.id,
            guild_id=post.guild_id,
            user_id=user_id,
            choice=choice,
            correct=correct,
            now=now,
            local_date=post.local_date,
        )
        if not result.recorded:
            return AnswerOutcome("already", question, result.choice, result.correct, mode)
        # the answer is on record: the member is told now, their review queue updates right after
        self._review_later(post.guild_id, user_id, question, correct, now)
        return AnswerOutcome("recorded", question, choice, correct, mode)

    async def _schedule_review(
        self, guild_id: int, user_id: int, question: Question, correct: bool, now: datetime
    ) -> None:
        existing = await self.store.review_card(guild_id, user_id, question.id)
        card, lapses = existing if existing else (None, 0)
        scheduled = review.after_answer(card, lapses, correct, now)
        if scheduled is not None:
            await self.store.save_review(
                guild_id, user_id, question.id, scheduled.card, scheduled.due, scheduled.lapses
            )

    # closing and reveal ------------------------------------------------------------------------

    async def closing(self) -> list[Reveal]:
        """Posts whose close time has passed, each claimed (posted -> closing) by this process."""
        out = []
        for post in await self.store.posts_to_close(self.clock()):
            self._forget()
            if await self.store.set_post(post.id, expect="posted", status="closing"):
                out.append(await self.reveal(post))
        return out

    async def closed(self, post: Post) -> None:
        await self.store.set_post(post.id, status="closed", closed_at=self.clock())

    async def reveal(self, post: Post) -> Reveal:
        shown = self.shown(post)
        question = shown.question
        answered, right = await self.store.answer_count(post.id)
        correct = question.correct_choice or " / ".join(question.accepted[:3])
        return Reveal(post, question, shown.choices, correct, await self.store.distribution(post.id), answered, right)

    # practice and review -----------------------------------------------------------------------

    def topics(self) -> list[tuple[str, str]]:
        return [(t.id, t.title) for t in sorted(self.kb.topics.values(), key=lambda t: t.order)]

    def practice_question(self, topic_id: str | None = None, seed: int | None = None) -> Shown | None:
        rng = random.Random(seed)
        pool = [q for q in self.kb.questions.values() if topic_id in (None, q.topic_id)]
        if not pool:
            return None
        question = rng.choice(sorted(pool, key=lambda q: q.id))
        return present(question, choice_order(question, rng))

    async def check_practice(
        self, guild_id: int, user_id: int, question_id: str, choice: str, kind: str
    ) -> AnswerOutcome:
        """Immediate feedback for practice/review; not counted in standings, logged as activity."""
        question = self.kb.questions.get(question_id)
        if question is None:
            return AnswerOutcome("missing")
        correct = is_correct(question, choice)
        now = self.clock()
        await self.store.log_activity(guild_id, user_id, question.id, question.topic_id, kind, correct, now)
        await self._schedule_review(guild_id, user_id, question, correct, now)
        return AnswerOutcome("recorded", question, choice, correct, "immediate")

    async def next_review(
        self, guild_id: int, user_id: int, seed: int | None = None
    ) -> tuple[Shown | None, datetime | None]:
        """A due review question, or (None, when the next one is due) when none is due now."""
        due = [q for q in await self.store.due_reviews(guild_id, user_id, self.clock()) if q in self.kb.questions]
        if not due:
            return None, await self.store.next_review_due(guild_id, user_id)
        question = self.kb.questions[due[0]]
        return present(question, choice_order(question, random.Random(seed))), None
