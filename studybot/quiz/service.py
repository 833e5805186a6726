"""The quiz service both front ends call: settings, posting (claim -> send -> posted, with
recovery of a post interrupted mid-send), answering, the reveal, practice and review."""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from studybot.clock import Clock, utcnow
from studybot.guild import GuildSettings, SettingError, parse_zone
from studybot.lookup import KnowledgeBase, Question
from studybot.messages import t
from studybot.quiz import multi, review, schedule
from studybot.quiz.bank import Shown, choice_order, is_correct, pick_question, playable, present, valid_order
from studybot.storage import CHOICE_MAX, NewAnswer, Post, Storage
from studybot.text import user_text
from studybot.vocab import AnswerStatus, PostStatus, QuestionType, RevealMode, StudyKind

log = logging.getLogger("studybot.quiz")

CONSOLE_GUILD = 0  # the console plays as one local member in guild 0
POST_CACHE_SECONDS = 1.0  # a click reads its post from memory for this long (a burst reads it once)
STUDY_KEEP = timedelta(days=7)  # a practice/review question's buttons work this long after it was served
PRUNE_EVERY = 3600.0  # seconds between sweeps of expired practice/review questions
# Option orders come from the system's secure source: the order is stored (with the post, or behind
# a practice token), so nothing public (guild, date, question) lets a member work out which shown
# position is which authored option.
SHUFFLE = secrets.SystemRandom()


@dataclass(frozen=True)
class AnswerOutcome:
    status: AnswerStatus
    question: Question | None = None
    choice: str = ""
    correct: bool = False
    reveal_mode: RevealMode = RevealMode.AT_CLOSE
    shown: Shown | None = None  # the order the member saw (to name a multi-response pick by letter)
    picks: tuple[str, ...] = ()  # multi-response: the options picked (on record, for ALREADY)


@dataclass(frozen=True)
class Reveal:
    post: Post
    question: Question
    choices: tuple[str, ...]
    correct_choice: str
    distribution: dict[str, int]  # per choice (multi-response: per option) -> how many members picked it
    answered: int
    right: int
    correct_choices: tuple[str, ...] = ()  # every correct choice (two or three for multi-response)


Judged = tuple[str, tuple[str, ...], bool]  # (what is stored, multi-response picks, correct)


def judge(shown: Shown, index: int | None, picks: Sequence[int] | None, text: str | None) -> Judged | AnswerStatus:
    """A member's answer to a shown question (a shown position, shown positions, or typed text):
    what is stored and whether it is right, or why it cannot be taken."""
    question = shown.question
    if question.type is QuestionType.MULTI:
        if picks is None and index is None and text is not None:
            return AnswerStatus.INVALID
        positions = list(picks) if picks is not None else [index] if index is not None else []
        problem = multi.check_picks(question, positions, len(shown.choices))
        if problem is not None:
            return problem
        chosen = tuple(shown.choices[p] for p in positions)
        return multi.encode(question, chosen), chosen, multi.judge(question, chosen)
    if picks is not None:
        if len(picks) != 1:
            return AnswerStatus.INVALID
        index = picks[0]
    if index is not None:
        if shown.is_short or not 0 <= index < len(shown.choices):
            return AnswerStatus.INVALID
        choice = shown.choices[index]
    else:
        choice = user_text(text)
        if not choice:
            return AnswerStatus.INVALID
    return choice, (), is_correct(question, choice)


@dataclass(frozen=True)
class Due:
    settings: GuildSettings
    slot: schedule.Slot


def nonce(post: Post) -> str:
    """The nonce a post is sent with: Discord returns the first message for a repeated nonce,
    so a resend after a crash never makes a second one (at most 25 characters)."""
    return f"sb{post.id}"


class QuizService:
    def __init__(self, kb: KnowledgeBase, storage: Storage, clock: Clock = utcnow):
        self.kb = kb
        self.storage = storage
        self.clock = clock
        self._posts: dict[int, tuple[float, asyncio.Future[tuple[Post | None, GuildSettings | None]]]] = {}
        self._pruned = float("-inf")
        # a daily answer's review card is written in the answer's own transaction
        storage.answers.after_insert = self._schedule_reviews
        # set by the app (studybot.exam): cards the member's exam date makes due before FSRS does,
        # and the server a member's personal review runs in when they use it in DMs (guild 0)
        self.early_due: Callable[[int, int, datetime], Awaitable[list[str]]] | None = None
        self.home_guild: Callable[[int], Awaitable[int | None]] | None = None

    async def personal_guild(self, guild_id: int, user_id: int) -> int:
        """The server of a personal review: the interaction's, or in DMs (0) the member's home one."""
        if guild_id == 0 and self.home_guild is not None:
            return await self.home_guild(user_id) or 0
        return guild_id

    @property
    def backlog(self) -> int:
        """Answers waiting for the database right now (the button defers first when it is long)."""
        return self.storage.answers.backlog

    async def _schedule_reviews(self, conn: AsyncConnection, new: list[NewAnswer]) -> None:
        items = [((a.guild_id, a.user_id, a.question_id), a.correct, a.answered_at) for a in new]
        await self.storage.reviews.apply(conn, items, review.after_answer)

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
        post = await self.storage.posts.get(post_id)
        return post, (await self.storage.guilds.get(post.guild_id) if post else None)

    def _forget(self) -> None:
        self._posts.clear()

    async def drain(self) -> None:
        """Wait until every acknowledged answer is written (shutdown, tests)."""
        await self.storage.answers.drain()

    # settings ----------------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> GuildSettings | None:
        return await self.storage.guilds.get(guild_id)

    async def setup(
        self,
        guild_id: int,
        channel_id: int,
        post_time: str,
        timezone: str,
        admin_id: int | None,
        review_channel_id: int | None = None,
    ) -> GuildSettings:
        """Where and when; ``review_channel_id`` (kept when None) is where member suggestions
        and reports are moderated."""
        hhmm = schedule.parse_time(post_time)
        parse_zone(timezone)
        current = await self.storage.guilds.get(guild_id)
        settings = GuildSettings(
            guild_id=guild_id,
            channel_id=channel_id,
            post_time=hhmm,
            timezone=timezone,
            paused=False,
            reveal_mode=current.reveal_mode if current else RevealMode.AT_CLOSE,
            close_hour=current.close_hour if current else None,
            admin_id=admin_id,
            review_channel_id=review_channel_id or (current.review_channel_id if current else None),
        )
        self._forget()
        await self.storage.guilds.save(settings, self.clock())
        return settings

    async def update(self, guild_id: int, **changes: object) -> GuildSettings | None:
        if "reveal_mode" in changes:
            try:
                changes["reveal_mode"] = str(RevealMode(str(changes["reveal_mode"])))
            except ValueError:
                raise SettingError(t("quiz.bad_reveal_mode")) from None
        hour = changes.get("close_hour")
        if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
            raise SettingError(t("quiz.bad_close_hour"))
        self._forget()
        if not await self.storage.guilds.update(guild_id, self.clock(), **changes):
            return None
        return await self.storage.guilds.get(guild_id)

    async def next_post_time(self, settings: GuildSettings) -> datetime:
        """When the next daily question really goes out: today's slot only if today has no post
        yet (then right away if its time has passed), otherwise tomorrow's."""
        zone = settings.zone
        now = self.clock()
        today = schedule.today_slot(now, settings.post_time, zone)
        if await self.storage.posts.for_day(settings.guild_id, today.local_date) is None:
            return max(today.at, now)
        return schedule.next_slot(today.at if today.at > now else now, settings.post_time, zone).at

    # posting -----------------------------------------------------------------------------------

    async def due(self) -> list[Due]:
        """Guilds whose question for *today* (local) is due and not yet claimed. A day the bot
        missed entirely is never posted late: only the current local date is ever considered."""
        now = self.clock()
        out = []
        for settings in await self.storage.guilds.all():
            if settings.paused:
                continue
            try:
                zone = settings.zone
            except SettingError:
                log.warning("guild %s has an unknown time zone %r", settings.guild_id, settings.timezone)
                continue
            slot = schedule.today_slot(now, settings.post_time, zone)
            if slot.at <= now and await self.storage.posts.for_day(settings.guild_id, slot.local_date) is None:
                out.append(Due(settings, slot))
        return out

    async def claim(self, settings: GuildSettings, *, manual: bool = False) -> tuple[Post, Shown] | None:
        """Claim the guild's post in the database before anything is sent (None: already
        claimed). The row moves to ``sending``; ``posted`` or ``failed`` follows the send, and
        a crash in between is resolved by :meth:`interrupted` on the next tick."""
        now = self.clock()
        day = schedule.local_date(now, settings.zone)
        slot = f"now-{now.strftime('%H%M%S%f')}" if manual else "daily"
        rng = random.Random(f"{settings.guild_id}:{day.isoformat()}:{slot}")
        used = await self.storage.posts.used_questions(settings.guild_id)
        question = pick_question(self.kb, used, rng, await self.member_questions(settings.guild_id))
        post = await self.storage.posts.claim(
            guild_id=settings.guild_id,
            local_date=day,
            slot=slot,
            question_id=question.id,
            topic_id=question.topic_id,
            choice_order=choice_order(question, SHUFFLE),
            channel_id=settings.channel_id,
            now=now,
            snapshot=question.to_json(),
        )
        if post is None:
            return None
        await self.storage.posts.set(post.id, expect=PostStatus.CLAIMED, status=PostStatus.SENDING)
        return post, self.shown(post)

    def question_of(self, post: Post) -> Question:
        """The post's question as it was posted (stored with the post, so its option order and
        answer stay those members saw, even after a reload edits or removes it)."""
        if post.question:
            return Question.from_json(post.question)
        question = self.kb.questions.get(post.question_id)  # posts from before migration 0003
        if question is None:
            raise KeyError(post.question_id)
        return question

    def shown(self, post: Post) -> Shown:
        return present(self.question_of(post), post.choice_order, post.id)

    async def interrupted(self) -> list[tuple[Post, Shown, GuildSettings, bool]]:
        """Posts left in ``sending`` by a crash: (post, question, settings, expired). Those of the
        current local day must be adopted (the message exists) or resent with the same nonce;
        expired ones (their day is over) are given up (marked failed, the admin told)."""
        now = self.clock()
        out = []
        for post in await self.storage.posts.with_status(PostStatus.SENDING):
            settings = await self.storage.guilds.get(post.guild_id)
            if settings is not None:
                expired = schedule.local_date(now, settings.zone) != post.local_date
                out.append((post, self.shown(post), settings, expired))
        return out

    def closes_at(self, settings: GuildSettings) -> datetime:
        return schedule.close_time(self.clock(), settings.post_time, settings.zone, settings.close_hour)

    async def posted(self, post: Post, message_id: int, settings: GuildSettings) -> None:
        now = self.clock()
        await self.storage.posts.set(
            post.id, status=PostStatus.POSTED, message_id=message_id, posted_at=now, closes_at=self.closes_at(settings)
        )
        await self.storage.guilds.update(settings.guild_id, now, last_error=None)
        self._forget()

    async def failed(self, post: Post, reason: str) -> None:
        """Sending failed (channel gone, no permission): keep the schedule, free the question."""
        await self.storage.posts.set(post.id, status=PostStatus.FAILED, error=reason[:500])
        await self.storage.guilds.update(post.guild_id, self.clock(), last_error=reason[:500])

    async def current(self, guild_id: int) -> Shown | None:
        """The guild's live question, if any."""
        post = await self.storage.posts.latest(guild_id)
        return self.shown(post) if post else None

    # answering ---------------------------------------------------------------------------------

    async def answer(
        self,
        post_id: int,
        user_id: int,
        *,
        guild_id: int,
        index: int | None = None,
        text: str | None = None,
        picks: Sequence[int] | None = None,
    ) -> AnswerOutcome:
        """A member's daily answer: a shown position (``index``), the shown positions of a
        multi-response pick (``picks``) or typed text. The post must belong to ``guild_id`` (the
        interaction's guild): a button copied from another server is refused."""
        post, settings = await self._post_and_settings(post_id)
        if post is None or post.guild_id != guild_id:
            return AnswerOutcome(AnswerStatus.MISSING)
        try:
            question = self.question_of(post)
        except KeyError:
            return AnswerOutcome(AnswerStatus.MISSING)
        mode = settings.reveal_mode if settings else RevealMode.AT_CLOSE
        if post.status is not PostStatus.POSTED:
            return AnswerOutcome(AnswerStatus.CLOSED, question, reveal_mode=mode)
        shown = present(question, post.choice_order, post.id)
        judged = judge(shown, index, picks, text)
        if isinstance(judged, AnswerStatus):
            return AnswerOutcome(judged, question, shown=shown)
        choice, chosen, correct = judged
        result = await self.storage.answers.record(
            NewAnswer(
                post_id=post.id,
                guild_id=post.guild_id,
                user_id=user_id,
                question_id=question.id,
                choice=choice,
                correct=correct,
                answered_at=self.clock(),
                local_date=post.local_date,
            )
        )
        if not result.recorded:
            on_record = multi.decode(question, result.choice) if shown.is_multi else ()
            return AnswerOutcome(AnswerStatus.ALREADY, question, result.choice, result.correct, mode, shown, on_record)
        return AnswerOutcome(AnswerStatus.RECORDED, question, choice, correct, mode, shown, chosen)

    # closing and reveal ------------------------------------------------------------------------

    async def closing(self) -> list[Reveal]:
        """Posts whose close time has passed, each claimed (posted -> closing) by this process."""
        out = []
        for post in await self.storage.posts.to_close(self.clock()):
            self._forget()
            if await self.storage.posts.set(post.id, expect=PostStatus.POSTED, status=PostStatus.CLOSING):
                out.append(await self.reveal(post))
        return out

    async def close_now(self, guild_id: int) -> Reveal | None:
        """The admin closes the live question now; None when there is none."""
        post = await self.storage.posts.latest(guild_id)
        self._forget()
        if post is None or not await self.storage.posts.set(
            post.id, expect=PostStatus.POSTED, status=PostStatus.CLOSING
        ):
            return None
        return await self.reveal(post)

    async def stuck_closing(self) -> list[Reveal]:
        """Posts left in ``closing`` (a crash or an error mid-reveal): revealed again."""
        return [await self.reveal(post) for post in await self.storage.posts.with_status(PostStatus.CLOSING)]

    async def closed(self, post: Post) -> None:
        await self.storage.posts.set(post.id, status=PostStatus.CLOSED, closed_at=self.clock())

    async def reveal(self, post: Post) -> Reveal:
        shown = self.shown(post)
        question = shown.question
        answered, right = await self.storage.answers.count(post.id)
        correct = question.correct_choice or " / ".join(question.answers or question.accepted[:3])
        distribution = await self.storage.answers.distribution(post.id)
        if shown.is_multi:
            distribution = multi.option_counts(question, distribution)
        elif question.type is QuestionType.CHOICE:  # an answer keeps CHOICE_MAX characters of its option
            distribution = {c: distribution.get(c[:CHOICE_MAX], 0) for c in shown.choices}
        return Reveal(post, question, shown.choices, correct, distribution, answered, right, question.correct_choices)

    # practice and review -----------------------------------------------------------------------

    def topics(self) -> list[tuple[str, str]]:
        return [(tp.id, tp.title) for tp in sorted(self.kb.topics.values(), key=lambda tp: tp.order)]

    async def member_questions(self, guild_id: int) -> list[Question]:
        """The guild's approved member questions (``/quiz suggest``), part of its bank."""
        return [Question.from_json(row.question) for row in await self.storage.contributions.questions(guild_id)]

    async def bank(self, guild_id: int) -> dict[str, Question]:
        """Every question of a guild's bank by id: the shipped ones and its members' approved ones."""
        out = {q.id: q for q in await self.member_questions(guild_id)}
        out.update(self.kb.questions)
        return out

    async def question(self, guild_id: int, question_id: str) -> Question | None:
        question = self.kb.questions.get(question_id)
        if question is None and question_id.startswith("m-"):
            question = (await self.bank(guild_id)).get(question_id)
        return question

    async def practice_question(
        self, guild_id: int, user_id: int, topic_id: str | None = None, seed: int | None = None
    ) -> Shown | None:
        """A practice question for one member from the guild's bank (its members' approved
        questions included), its option order stored behind a fresh token."""
        guild_id = await self.personal_guild(guild_id, user_id)
        rng = random.Random(seed) if seed is not None else SHUFFLE
        extra = await self.member_questions(guild_id)
        pool = [q for q in playable(self.kb, extra) if topic_id in (None, q.topic_id)]
        if not pool:
            return None
        return await self._serve(guild_id, user_id, StudyKind.PRACTICE, rng.choice(pool), rng)

    async def _serve(
        self, guild_id: int, user_id: int, kind: StudyKind, question: Question, rng: random.Random
    ) -> Shown:
        """Store the order this member is shown under an opaque token (the buttons carry only the
        token and shown positions, never which option is which)."""
        now = self.clock()
        if time.monotonic() - self._pruned >= PRUNE_EVERY:
            self._pruned = time.monotonic()
            await self.storage.study.prune(now - STUDY_KEEP)
        order = choice_order(question, rng)
        token = secrets.token_urlsafe(12)
        await self.storage.study.serve(
            token=token,
            guild_id=guild_id,
            user_id=user_id,
            kind=str(kind),
            question_id=question.id,
            choice_order=order,
            now=now,
        )
        return present(question, order, token=token)

    async def answer_study(
        self,
        token: str,
        user_id: int,
        *,
        guild_id: int,
        index: int | None = None,
        text: str | None = None,
        picks: Sequence[int] | None = None,
    ) -> AnswerOutcome:
        """An answer to a practice or review question served under ``token`` (only to the member
        it was served to, in the guild it was served in): immediate feedback, not counted."""
        served = await self.storage.study.get(token)
        if served is None:
            return AnswerOutcome(AnswerStatus.EXPIRED)
        # in DMs (0) the question answers in the server it was served in (the member's home server
        # then, which may have changed since: they answered in another server meanwhile)
        guild_id = served.guild_id if guild_id == 0 else guild_id
        question = await self.question(served.guild_id, served.question_id)
        if served.user_id != user_id or served.guild_id != guild_id or question is None:
            return AnswerOutcome(AnswerStatus.MISSING)
        if not valid_order(question, served.choice_order):  # a reload changed its options
            return AnswerOutcome(AnswerStatus.MISSING)
        shown = present(question, served.choice_order, token=token)
        judged = judge(shown, index, picks, text)
        if isinstance(judged, AnswerStatus):
            return AnswerOutcome(judged, question, shown=shown)
        choice, chosen, correct = judged
        # one answer per served question: the token is used up in the answer's own transaction,
        # so a second click (or a race of two) is never rated again (it would turn a miss into Good)
        if not await self._study(guild_id, user_id, question, StudyKind(served.kind), correct, token=token):
            return AnswerOutcome(AnswerStatus.EXPIRED, question, shown=shown)
        return AnswerOutcome(AnswerStatus.RECORDED, question, choice, correct, RevealMode.IMMEDIATE, shown, chosen)

    async def _study(
        self, guild_id: int, user_id: int, question: Question, kind: StudyKind, correct: bool, token: str | None = None
    ) -> bool:
        return await self.storage.reviews.study(
            guild_id,
            user_id,
            question.id,
            question.topic_id,
            kind,
            correct,
            self.clock(),
            review.after_answer,
            token=token,
        )

    async def check_practice(
        self, guild_id: int, user_id: int, question_id: str, choice: str, kind: StudyKind
    ) -> AnswerOutcome:
        """Immediate feedback for a practice/review answer given as text (an option, O/X or a
        short answer; a short-answer modal opened before tokens existed); not counted in
        standings, logged as activity with the review card in one transaction."""
        question = await self.question(guild_id, question_id)
        if question is None:
            return AnswerOutcome(AnswerStatus.MISSING)
        if question.type is QuestionType.MULTI:
            return AnswerOutcome(AnswerStatus.INVALID, question)
        choice = user_text(choice)
        correct = is_correct(question, choice)
        guild_id = await self.personal_guild(guild_id, user_id)
        await self._study(guild_id, user_id, question, kind, correct)
        return AnswerOutcome(AnswerStatus.RECORDED, question, choice, correct, RevealMode.IMMEDIATE)

    async def next_review(
        self, guild_id: int, user_id: int, seed: int | None = None
    ) -> tuple[Shown | None, datetime | None]:
        """A due review question, or (None, when the next one is due) when none is due now."""
        guild_id = await self.personal_guild(guild_id, user_id)
        now = self.clock()
        bank = await self.bank(guild_id)
        due = [q for q in await self.storage.reviews.due(guild_id, user_id, now) if q in bank]
        if not due and self.early_due is not None:  # the exam date brings some forward
            due = [q for q in await self.early_due(guild_id, user_id, now) if q in bank]
        if not due:  # (a card whose question left the bank is never served, so never named)
            return None, await self.storage.reviews.next_due(guild_id, user_id, among=bank.keys())
        question = bank[due[0]]
        rng = random.Random(seed) if seed is not None else SHUFFLE
        return await self._serve(guild_id, user_id, StudyKind.REVIEW, question, rng), None
