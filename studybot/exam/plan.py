"""The member's study plan: the exam date that review aims at, and opt-in review reminders.

Review aims at the exam date when deciding what is due (``/quiz review``, reminders), on top of
FSRS's own due date, with ``d`` the days left until the exam day (the member's local date):

- **brought forward**: a card whose due date falls after the start of the exam day is due from
  the eve of the exam (local midnight the day before), unless it was reviewed since then, so every
  card is seen once more before the exam;
- **rising retention**: the desired retention is r(d) = 0.90 + 0.07 x (1 - min(d, 30) / 30)
  (0.90 a month or more ahead, 0.935 at 15 days, 0.97 on the day); a card is due as soon as FSRS
  predicts its recall below r(d), i.e. earlier as the exam nears (FSRS alone makes it due at 0.90).

Reminders: at most one DM a member's local day, in the hour they chose, only when reviews are
due; claimed in the database (one row per member and local day) before the DM is sent."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fsrs import Card

from studybot.clock import Clock, utcnow
from studybot.guild import DEFAULT_TZ, SettingError, parse_zone
from studybot.messages import t
from studybot.quiz import SCHEDULER
from studybot.storage import Plan, Storage

BASE_RETENTION = 0.90
PEAK_RETENTION = 0.97
RAMP_DAYS = 30
MAX_DAYS_AHEAD = 366
DEFAULT_REMIND_HOUR = 20


def desired_retention(days_left: int | None) -> float:
    """r(d): 0.90 a month or more before the exam (or with no exam date), rising to 0.97 on the day."""
    if days_left is None or days_left >= RAMP_DAYS:
        return BASE_RETENTION
    d = max(days_left, 0)
    return BASE_RETENTION + (PEAK_RETENTION - BASE_RETENTION) * (1 - d / RAMP_DAYS)


def exam_start(exam_date: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(exam_date, time(0), tzinfo=zone).astimezone(UTC)


def due_for_exam(card_json: str, due: datetime, now: datetime, exam_date: date | None, zone: ZoneInfo) -> bool:
    """Is the card due now, FSRS's due date and the exam date together (see the module docstring)?"""
    now = now.astimezone(UTC)
    if due <= now:
        return True
    if exam_date is None:
        return False
    today = now.astimezone(zone).date()
    if exam_date < today:
        return False  # the exam is over: plain FSRS again
    card = Card.from_dict(json.loads(card_json))
    start = exam_start(exam_date, zone)
    eve = exam_start(exam_date - timedelta(days=1), zone)
    last = card.last_review
    if due > start and now >= eve and (last is None or last < eve):
        return True
    return float(SCHEDULER.get_card_retrievability(card, now)) < desired_retention((exam_date - today).days)


DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})\.?"),
    re.compile(r"(?P<m>\d{1,2})[-./](?P<d>\d{1,2})"),
    re.compile(r"(?:(?P<y>\d{4})\s*년\s*)?(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일?"),
)


def parse_exam_date(text: str, today: date) -> date:
    """``2026-12-20``, ``2026.12.20``, ``12/20``, ``12월 20일`` (without a year: the next such day).
    From today up to a year ahead; anything else is a SettingError with a Korean message."""
    value = (text or "").strip()
    for form in DATE_FORMS:
        m = form.fullmatch(value)
        if not m:
            continue
        try:
            if m.groupdict().get("y"):
                day = date(int(m["y"]), int(m["m"]), int(m["d"]))
            else:
                day = date(today.year, int(m["m"]), int(m["d"]))
                if day < today:
                    day = date(today.year + 1, day.month, day.day)
        except ValueError:
            break
        if day < today:
            raise SettingError(t("plan.date_past", date=day.isoformat()))
        if (day - today).days > MAX_DAYS_AHEAD:
            raise SettingError(t("plan.date_far"))
        return day
    raise SettingError(t("plan.bad_date", text=value[:40]))


@dataclass(frozen=True)
class Reminder:
    """A reminder DM to send now: the member, their server (the review runs there) and the count."""

    user_id: int
    guild_id: int
    local_date: date
    due: int


class PlanService:
    def __init__(self, storage: Storage, clock: Clock = utcnow):
        self.storage = storage
        self.clock = clock
        # set by the app: a guild's bank by question id (QuizService.bank), what review can serve
        self.bank: Callable[[int], Awaitable[Mapping[str, object]]] | None = None

    async def zone_for(self, guild_id: int, plan: Plan | None = None) -> str:
        """The member's time zone: the one on their plan, else their server's quiz zone, else Seoul."""
        if plan is not None and plan.timezone:
            return plan.timezone
        settings = await self.storage.guilds.get(guild_id) if guild_id else None
        return settings.timezone if settings is not None else DEFAULT_TZ

    async def plan(self, user_id: int) -> Plan | None:
        return await self.storage.plans.get(user_id)

    async def home_guild(self, user_id: int) -> int | None:
        """Where a member's personal review lives when they use it in DMs: the server of their plan
        (where they set their exam date or reminders), else the one they last answered in."""
        plan = await self.storage.plans.get(user_id)
        if plan is not None and plan.guild_id:
            return plan.guild_id
        return await self.storage.plans.latest_guild(user_id)

    def _zone(self, plan: Plan | None) -> ZoneInfo:
        try:
            return parse_zone(plan.timezone if plan and plan.timezone else DEFAULT_TZ)
        except SettingError:
            return ZoneInfo(DEFAULT_TZ)

    def days_left(self, plan: Plan | None) -> int | None:
        if plan is None or plan.exam_date is None:
            return None
        return (plan.exam_date - self.clock().astimezone(self._zone(plan)).date()).days

    # the exam date -----------------------------------------------------------------------------

    async def set_date(self, user_id: int, guild_id: int, text: str) -> Plan:
        current = await self.storage.plans.get(user_id)
        home = guild_id or (await self.home_guild(user_id) or 0)
        zone = await self.zone_for(home, current)
        today = self.clock().astimezone(parse_zone(zone)).date()
        day = parse_exam_date(text, today)
        return await self.storage.plans.save(user_id, home, self.clock(), exam_date=day, timezone=zone)

    async def clear_date(self, user_id: int) -> bool:
        current = await self.storage.plans.get(user_id)
        if current is None or current.exam_date is None:
            return False
        await self.storage.plans.save(user_id, current.guild_id, self.clock(), exam_date=None)
        return True

    async def early_due(self, guild_id: int, user_id: int, now: datetime) -> list[str]:
        """Cards that FSRS has not made due yet but the exam date does (QuizService asks this)."""
        plan = await self.storage.plans.get(user_id)
        if plan is None or plan.exam_date is None:
            return []
        zone = self._zone(plan)
        return [
            qid
            for qid, card, due in await self.storage.plans.cards(guild_id, user_id)
            if _aware(due) > now and due_for_exam(card, _aware(due), now, plan.exam_date, zone)
        ]

    async def due_count(self, guild_id: int, user_id: int) -> int:
        """Reviews due now that ``/quiz review`` serves (a card whose question left the bank, e.g.
        removed by a reload, is not counted: it is never served)."""
        now = self.clock()
        due = {*await self.storage.reviews.due(guild_id, user_id, now), *await self.early_due(guild_id, user_id, now)}
        if self.bank is not None:
            due &= (await self.bank(guild_id)).keys()
        return len(due)

    # reminders ---------------------------------------------------------------------------------

    async def remind(self, user_id: int, guild_id: int, on: bool, hour: int | None = None) -> Plan | None:
        """Opt in (at ``hour`` local, default 20) or out. None when switching off what was never on."""
        current = await self.storage.plans.get(user_id)
        if not on:
            if current is None or current.remind_hour is None:
                return None
            return await self.storage.plans.save(user_id, current.guild_id, self.clock(), remind_hour=None)
        if hour is not None and not 0 <= hour <= 23:
            raise SettingError(t("plan.bad_hour"))
        home = guild_id or (await self.home_guild(user_id) or 0)  # in DMs: the member's home server
        zone = await self.zone_for(home, current)
        chosen = hour if hour is not None else DEFAULT_REMIND_HOUR
        return await self.storage.plans.save(user_id, home, self.clock(), remind_hour=chosen, timezone=zone)

    async def reminders_due(self) -> list[Reminder]:
        """Members whose reminder hour is now (their local time, DST-correct), with reviews due,
        each claimed for today in the database (a restart or a second process never sends twice)."""
        now = self.clock()
        out = []
        for plan in await self.storage.plans.with_reminders():
            assert plan.remind_hour is not None
            zone = self._zone(plan)
            local_day = now.astimezone(zone).date()
            # a local hour that does not exist (spring forward) is taken an hour later, like the quiz
            start = datetime.combine(local_day, time(plan.remind_hour), tzinfo=zone).astimezone(UTC)
            if not start <= now < start + timedelta(hours=1):
                continue
            if await self.storage.plans.reminder_sent(plan.user_id, local_day) is not None:
                continue
            # the server the review runs in (a plan saved in a DM before any server has none)
            guild_id = plan.guild_id or await self.home_guild(plan.user_id) or 0
            due = await self.due_count(guild_id, plan.user_id)
            if due == 0:
                continue
            if await self.storage.plans.claim_reminder(plan.user_id, guild_id, local_day, now):
                out.append(Reminder(plan.user_id, guild_id, local_day, due))
        return out

    async def reminder_sent(self, reminder: Reminder) -> None:
        await self.storage.plans.reminder_done(reminder.user_id, reminder.local_date, "sent")

    async def reminder_blocked(self, reminder: Reminder) -> None:
        """The member does not take DMs from the bot: reminders off, quietly."""
        await self.storage.plans.reminder_done(reminder.user_id, reminder.local_date, "blocked")
        await self.storage.plans.reminders_off(reminder.user_id)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
