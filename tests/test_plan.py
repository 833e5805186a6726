"""The exam date and review reminders: the retention formula, cards brought forward, what
/quiz review serves as the day nears, date parsing, and reminders (opt-in, once a day, DST,
blocked DMs) over a real store."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating

from studybot.exam import PlanService, desired_retention
from studybot.exam.plan import due_for_exam, parse_exam_date
from studybot.guild import GuildSettings, SettingError
from studybot.quiz import SCHEDULER, QuizService, after_answer
from studybot.vocab import StudyKind
from tests.conftest import FakeClock

SEOUL = ZoneInfo("Asia/Seoul")
G, U = 5, 6


def test_desired_retention_rises_as_the_exam_nears():
    assert desired_retention(None) == desired_retention(30) == desired_retention(90) == 0.90
    assert desired_retention(15) == pytest.approx(0.935)
    assert desired_retention(0) == pytest.approx(0.97) == desired_retention(-3)
    values = [desired_retention(d) for d in range(31)]
    assert values == sorted(values, reverse=True)


def reviewed(at: datetime, times: int = 4) -> tuple[str, datetime]:
    """A card reviewed Good ``times`` times, each on its due day, the last one at ``at``."""
    card = Card(card_id=1, due=at)
    moments = [at]
    for _ in range(times - 1):
        card, _ = SCHEDULER.review_card(card, Rating.Good, moments[-1])
        moments.append(card.due)
    shift = at - moments[-1]
    card = Card(card_id=1, due=moments[0] + shift)
    for m in moments:
        card, _ = SCHEDULER.review_card(card, Rating.Good, m + shift)
    assert card.last_review == at
    return json.dumps(card.to_dict()), card.due


def test_a_card_due_after_the_exam_is_brought_forward_to_the_eve():
    last = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    card, due = reviewed(last)
    assert due - last > timedelta(days=10)
    exam = due.astimezone(SEOUL).date() - timedelta(days=3)  # FSRS would show it after the exam
    eve = datetime.combine(exam - timedelta(days=1), datetime.min.time(), tzinfo=SEOUL).astimezone(UTC)
    before_eve = eve - timedelta(hours=2)
    assert due_for_exam(card, due, before_eve, None, SEOUL) is False  # no exam date: plain FSRS
    assert due_for_exam(card, due, eve + timedelta(minutes=1), exam, SEOUL) is True
    # reviewed on the eve: not brought forward again
    card2, due2 = reviewed(eve + timedelta(minutes=5))
    assert due_for_exam(card2, max(due2, due), eve + timedelta(hours=3), exam, SEOUL) is False
    # after the exam: plain FSRS again
    after = datetime.combine(exam + timedelta(days=1), datetime.min.time(), SEOUL).astimezone(UTC)
    assert due_for_exam(card, due, after, exam, SEOUL) is False


def test_rising_retention_makes_a_card_due_earlier_near_the_exam():
    last = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    card, due = reviewed(last)
    r = Card.from_dict(json.loads(card))
    # a moment when FSRS predicts ~94% recall: not due with a far exam, due with the exam in 2 days
    moment = last
    while SCHEDULER.get_card_retrievability(r, moment) > 0.94:
        moment += timedelta(hours=6)
    assert moment < due
    far = moment.astimezone(SEOUL).date() + timedelta(days=60)
    near = moment.astimezone(SEOUL).date() + timedelta(days=2)
    assert due_for_exam(card, due, moment, far, SEOUL) is False
    assert due_for_exam(card, due, moment, near, SEOUL) is True


def test_exam_dates_are_parsed_in_korean_and_iso_forms():
    today = date(2026, 12, 1)
    assert parse_exam_date("2026-12-20", today) == date(2026, 12, 20)
    assert parse_exam_date("2026.12.20", today) == date(2026, 12, 20)
    assert parse_exam_date("12/20", today) == date(2026, 12, 20)
    assert parse_exam_date("12월 20일", today) == date(2026, 12, 20)
    assert parse_exam_date("1월 5일", today) == date(2027, 1, 5)  # no year: the next one
    assert parse_exam_date("12/1", today) == today
    for bad in ("2026-11-30", "2026-02-30", "내일", "", "2028-01-01"):
        with pytest.raises(SettingError):
            parse_exam_date(bad, today)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # 10:00 in Seoul


@pytest.fixture
def services(kb, store, clock):
    plans = PlanService(store, clock)
    quiz = QuizService(kb, store, clock)
    quiz.early_due, quiz.home_guild = plans.early_due, plans.home_guild
    return plans, quiz


async def test_review_serves_cards_the_exam_date_brings_forward(services, kb, store, clock):
    plans, quiz = services
    q = next(iter(kb.questions.values()))
    await store.reviews.study(G, U, q.id, q.topic_id, StudyKind.REVIEW, False, clock.now, after_answer)
    clock.advance(days=1)
    shown, _ = await quiz.next_review(G, U)
    assert shown.question.id == q.id
    await quiz.check_practice(G, U, q.id, q.correct_choice or q.accepted[0], StudyKind.REVIEW)
    shown, next_due = await quiz.next_review(G, U)
    assert shown is None and next_due > clock.now + timedelta(days=1)
    # an exam two days ahead: the card is due again before FSRS would show it
    await plans.set_date(U, G, (clock.now + timedelta(days=2)).astimezone(SEOUL).date().isoformat())
    clock.advance(days=1)
    assert clock.now < next_due
    shown, _ = await quiz.next_review(G, U)
    assert shown is not None and shown.question.id == q.id
    assert await plans.due_count(G, U) == 1
    assert await plans.clear_date(U) and not await plans.clear_date(U)
    assert (await quiz.next_review(G, U))[0] is None


async def test_in_dms_personal_review_runs_in_the_home_server(services, kb, store, clock):
    plans, quiz = services
    q = next(iter(kb.questions.values()))
    assert await plans.home_guild(U) is None
    await store.reviews.study(G + 1, U, q.id, q.topic_id, StudyKind.PRACTICE, True, clock.now, after_answer)
    assert await plans.home_guild(U) == G + 1  # no plan: where they last studied
    await plans.remind(U, G, True, 21)
    await quiz.check_practice(0, U, q.id, "definitely wrong", StudyKind.PRACTICE)  # in a DM
    assert await store.reviews.cards([(G, U, q.id)])  # the card is in the home server
    clock.advance(days=1)
    shown, _ = await quiz.next_review(0, U)
    assert shown.question.id == q.id


async def test_reminders_opt_in_once_a_day_at_the_local_hour(services, kb, store, clock):
    plans, _ = services
    q = next(iter(kb.questions.values()))
    await store.reviews.study(G, U, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
    await store.reviews.study(G, U + 1, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
    await plans.remind(U, G, True, 20)  # U opts in; U + 1 never does
    clock.now = datetime(2026, 12, 2, 10, 59, tzinfo=UTC)  # 19:59 in Seoul
    assert await plans.reminders_due() == []
    clock.now = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 20:00
    [reminder] = await plans.reminders_due()
    assert (reminder.user_id, reminder.guild_id, reminder.local_date, reminder.due) == (U, G, date(2026, 12, 2), 1)
    await plans.reminder_sent(reminder)
    clock.advance(minutes=30)
    assert await plans.reminders_due() == []  # once a day
    # a second process (or a restart) on the same database never claims it again
    other = PlanService(store, clock)
    assert await other.reminders_due() == []
    clock.now = datetime(2026, 12, 3, 11, 10, tzinfo=UTC)  # the next day
    assert len(await plans.reminders_due()) == 1
    # nothing due: no DM
    clock.now = datetime(2026, 12, 4, 11, 10, tzinfo=UTC)
    await store.reviews.study(
        G, U, q.id, q.topic_id, StudyKind.REVIEW, True, clock.now - timedelta(hours=1), after_answer
    )
    assert await plans.reminders_due() == []
    # off: never again
    assert await plans.remind(U, G, False) is not None
    assert await plans.remind(U, G, False) is None
    clock.now = datetime(2026, 12, 10, 11, 10, tzinfo=UTC)
    assert await plans.reminders_due() == []


async def test_a_blocked_member_is_switched_off(services, kb, store, clock):
    plans, _ = services
    q = next(iter(kb.questions.values()))
    await store.reviews.study(G, U, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
    await plans.remind(U, G, True, 10)
    clock.now = datetime(2026, 12, 2, 1, 5, tzinfo=UTC)  # 10:05 in Seoul
    [reminder] = await plans.reminders_due()
    await plans.reminder_blocked(reminder)
    assert (await plans.plan(U)).remind_hour is None


async def test_reminders_follow_dst(services, kb, store, clock):
    """New York, 2027-03-14: 02:00-03:00 does not exist; a 02:00 reminder goes at 03:00 that day,
    and a 20:00 reminder stays at 20:00 local on both sides of the change."""
    plans, _ = services
    q = next(iter(kb.questions.values()))
    await store.guilds.save(GuildSettings(G, 1, "09:00", "America/New_York"), clock.now)
    await store.reviews.study(G, U, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
    await plans.remind(U, G, True, 20)
    assert (await plans.plan(U)).timezone == "America/New_York"
    clock.now = datetime(2027, 3, 13, 1, 0, tzinfo=UTC)  # 20:00 EST
    assert len(await plans.reminders_due()) == 1
    clock.now = datetime(2027, 3, 16, 0, 0, tzinfo=UTC)  # 20:00 EDT on the 15th (an hour earlier in UTC)
    assert len(await plans.reminders_due()) == 1
    await plans.remind(U, G, True, 2)
    clock.now = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # 03:00 EDT on the change day
    assert len(await plans.reminders_due()) == 1


async def test_reminders_turned_on_in_a_dm_use_the_server_last_studied_in(services, kb, store, clock):
    plans, _ = services
    q = next(iter(kb.questions.values()))
    await store.reviews.study(G, U, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
    plan = await plans.remind(U, 0, True, 21)  # from a DM
    assert plan.guild_id == G
    clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 21:00 in Seoul
    [reminder] = await plans.reminders_due()
    assert reminder.guild_id == G and reminder.due == 1
