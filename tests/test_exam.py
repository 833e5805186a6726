"""The mock exam's rules and service over a real store (SQLite file and PostgreSQL): the draw
(domain weights, unseen first, no repeats), timing with an injected clock (expiry, refusal,
resume after a restart), scoring (multiple response all-or-nothing), review cards for misses,
one running exam per member, and nothing on the leaderboard."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from studybot.exam import ExamService, rules
from studybot.lookup import KnowledgeBase, Question
from studybot.storage import NewItem, Storage
from studybot.vocab import DOMAIN_WEIGHTS, Domain, ExamOutcome, ExamStatus, QuestionType
from tests.conftest import FakeClock

GUILD, USER = 111, 222


# -- rules ----------------------------------------------------------------------------------------


def test_default_size_follows_the_bank(kb: KnowledgeBase):
    assert rules.default_questions(kb) == 20  # week 1: 20 questions ...
    assert rules.default_questions(kb) * rules.MINUTES_PER_QUESTION == 40  # ... in 40 minutes
    assert rules.max_questions(kb) == 65
    assert all(q.type is not QuestionType.SHORT for q in rules.examinable(kb))
    assert any(q.type is QuestionType.MULTI for q in rules.examinable(kb))


@pytest.mark.parametrize("n", [20, 40, 65])
def test_draw_follows_the_domain_weights_without_repeats(kb: KnowledgeBase, n: int):
    drawn = rules.draw(rules.examinable(kb), n, set(), random.Random(n))
    assert len(drawn) == n == len({q.id for q in drawn})
    counts = Counter(q.domain for q in drawn)
    for domain, weight in DOMAIN_WEIGHTS.items():
        assert abs(counts[domain] - n * weight / 100) < 1, (domain, counts)
    assert len({q.topic_id for q in drawn}) >= min(n, len(kb.topics)) - 1  # topics spread inside domains


def test_quotas_move_what_a_domain_lacks_to_the_others():
    weights = {Domain.SECURE: 30.0, Domain.RESILIENT: 26.0, Domain.PERFORMANCE: 24.0, Domain.COST: 20.0}
    got = rules.quotas(
        20, weights, {Domain.SECURE: 100, Domain.RESILIENT: 100, Domain.PERFORMANCE: 100, Domain.COST: 1}
    )
    assert got[Domain.COST] == 1 and sum(got.values()) == 20
    assert got[Domain.SECURE] >= got[Domain.RESILIENT] >= got[Domain.PERFORMANCE]
    assert sum(rules.quotas(50, weights, {Domain.SECURE: 3, Domain.COST: 4}).values()) == 7


def test_draw_prefers_questions_the_member_has_not_seen(kb: KnowledgeBase):
    pool = rules.examinable(kb)
    seen = {q.id for q in pool[: len(pool) // 2]}
    drawn = rules.draw(pool, 20, seen, random.Random(3))
    assert not {q.id for q in drawn} & seen
    # when the unseen questions of a domain run out, seen ones fill in (still no repeat)
    everything_but_two = {q.id for q in pool} - {pool[0].id, pool[1].id}
    drawn = rules.draw(pool, 20, everything_but_two, random.Random(3))
    assert len({q.id for q in drawn}) == 20


def test_a_bank_without_domains_is_drawn_by_topic():
    questions = [
        Question(f"{topic}-{i}", (), QuestionType.TRUEFALSE, 1, "p", "e", topic, answer=True)
        for topic, size in (("a", 30), ("b", 10))
        for i in range(size)
    ]
    drawn = rules.draw(questions, 20, set(), random.Random(1))
    assert Counter(q.topic_id for q in drawn) == {"a": 15, "b": 5}


def test_scaled_score_is_an_estimate_on_the_exam_scale():
    assert rules.scaled_score(0, 20) == 100
    assert rules.scaled_score(14, 20) == 720  # 70% right: the passing line
    assert rules.scaled_score(20, 20) == 1000
    values = [rules.scaled_score(c, 65) for c in range(66)]
    assert values == sorted(values) and len(set(values)) == 66
    assert rules.passed(720) and not rules.passed(719)


def test_multiple_response_is_all_or_nothing(kb: KnowledgeBase):
    multi = next(q for q in kb.questions.values() if q.type is QuestionType.MULTI)
    right = multi.correct_choices
    wrong = [o for o in multi.options if o not in right]
    assert rules.judge(multi, right)
    assert rules.judge(multi, tuple(reversed(right)))
    assert not rules.judge(multi, right[:-1])  # some of the right ones
    assert not rules.judge(multi, (*right[:-1], wrong[0]))  # a wrong one among them
    assert not rules.judge(multi, ())


# -- the service ----------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    from datetime import UTC, datetime

    return FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))


@pytest.fixture
def exams(kb, store, clock) -> ExamService:
    return ExamService(kb, store, clock)


def right_indexes(page) -> list[int]:
    q = page.shown.question
    return [i for i, c in enumerate(page.shown.choices) if c in q.correct_choices]


def wrong_indexes(page) -> list[int]:
    q = page.shown.question
    wrong = [i for i, c in enumerate(page.shown.choices) if c not in q.correct_choices]
    return (wrong + right_indexes(page))[: rules.picks(q)]


async def test_start_answer_finish_scores_and_queues_misses(exams: ExamService, store: Storage, clock):
    view = await exams.start(GUILD, USER, seed=1)
    assert view.outcome is ExamOutcome.STARTED
    page = view.page
    assert page.exam.questions == 20 and page.exam.minutes == 40
    assert page.exam.ends_at == clock.now + timedelta(minutes=40)
    missed: set[str] = set()
    for n in range(20):
        assert page.position == n
        if n < 15:
            view = await exams.answer(page.exam.id, GUILD, USER, n, right_indexes(page))
        elif n < 18:
            view = await exams.answer(page.exam.id, GUILD, USER, n, wrong_indexes(page))
            missed.add(page.shown.question.id)
        else:  # two left unanswered
            missed.add(page.shown.question.id)
            view = await exams.show(page.exam.id, GUILD, USER, min(n + 1, 19))
        assert view.outcome is ExamOutcome.PAGE
        page = view.page
        clock.advance(seconds=30)
    done = await exams.finish(GUILD, USER)
    result = done.result
    assert done.outcome is ExamOutcome.RESULT
    assert (result.correct, result.total, result.answered) == (15, 20, 18)
    assert result.scaled == rules.scaled_score(15, 20) and result.passed
    assert {m.shown.question.id for m in result.misses} == missed
    assert sum(d.total for d in result.domains) == 20 == sum(x.total for x in result.topics)
    assert not result.exam.timed_out and result.exam.status is ExamStatus.FINISHED
    # every miss is in the review queue, due about a day later
    cards = await store.reviews.cards([(GUILD, USER, q) for q in missed])
    assert len(cards) == 5
    clock.advance(days=1)
    assert set(await store.reviews.due(GUILD, USER, clock.now)) == missed
    # finishing again changes nothing; the history keeps it
    again = await exams.finish(GUILD, USER, exam_id=page.exam.id)
    assert again.result.correct == 15 and again.result.exam.finished_at == result.exam.finished_at
    [kept] = await exams.history(GUILD, USER)
    assert kept.id == page.exam.id and kept.correct == 15 and kept.scaled == result.scaled


async def test_a_multi_question_needs_exactly_its_number_of_picks(exams: ExamService, kb):
    view = await exams.start(GUILD, USER, questions=65, seed=5)
    page = view.page
    position = None
    for n in range(65):
        page = (await exams.show(page.exam.id, GUILD, USER, n)).page
        if page.shown.question.type is QuestionType.MULTI:
            position = n
            break
    assert position is not None
    k = rules.picks(page.shown.question)
    short = await exams.answer(page.exam.id, GUILD, USER, position, right_indexes(page)[:-1])
    assert short.outcome is ExamOutcome.INVALID and str(k) in short.detail
    partly = [*right_indexes(page)[:-1], next(i for i in range(6) if i not in right_indexes(page))]
    await exams.answer(page.exam.id, GUILD, USER, position, partly)
    result = (await exams.finish(GUILD, USER)).result
    assert page.shown.question.id in {m.shown.question.id for m in result.misses}  # partly right is wrong


async def test_an_answer_after_the_time_limit_is_refused_and_the_exam_finishes(exams: ExamService, clock):
    page = (await exams.start(GUILD, USER, questions=5, minutes=10, seed=2)).page
    await exams.answer(page.exam.id, GUILD, USER, 0, right_indexes(page))
    clock.advance(minutes=10, seconds=1)
    late = await exams.answer(page.exam.id, GUILD, USER, 1, [0])
    assert late.outcome is ExamOutcome.EXPIRED
    result = late.result
    assert result.exam.timed_out and result.answered == 1
    assert result.exam.finished_at == page.exam.ends_at  # it ended at the deadline
    assert (await exams.flag(page.exam.id, GUILD, USER, 1)).outcome is ExamOutcome.RESULT  # handed in already


async def test_the_store_refuses_a_late_answer_even_when_asked_directly(store: Storage, exams: ExamService, clock):
    page = (await exams.start(GUILD, USER, questions=3, minutes=3, seed=2)).page
    assert await store.exams.answer(page.exam.id, 0, ["x"], False, clock.now, 1)
    assert not await store.exams.answer(page.exam.id, 0, ["x"], False, page.exam.ends_at, 1)


async def test_one_running_exam_per_member(exams: ExamService, store: Storage, clock):
    first = (await exams.start(GUILD, USER, questions=5, seed=1)).page
    again = await exams.start(GUILD, USER, questions=10)
    assert again.outcome is ExamOutcome.RESUMED and again.page.exam.id == first.exam.id
    # the database itself refuses a second running exam
    item = NewItem("q", "t", None, "{}", [])
    assert await store.exams.start(GUILD, USER, [item], 5, clock.now, clock.now + timedelta(minutes=5)) is None
    with pytest.raises(IntegrityError):
        from studybot.storage.tables import exams as table

        async with store.db.begin() as conn:
            values = {
                "guild_id": GUILD, "user_id": USER, "status": "running", "live": True, "questions": 1,
                "minutes": 1, "position": 0, "started_at": clock.now, "ends_at": clock.now,
            }  # fmt: skip
            await conn.execute(table.insert().values(**values))
    # another member, or the same member in another server, may start one
    assert (await exams.start(GUILD, USER + 1, questions=5)).outcome is ExamOutcome.STARTED
    assert (await exams.start(GUILD + 1, USER, questions=5)).outcome is ExamOutcome.STARTED
    # once finished, a new one starts
    await exams.finish(GUILD, USER)
    assert (await exams.start(GUILD, USER, questions=5)).outcome is ExamOutcome.STARTED


async def test_a_restart_resumes_with_the_time_that_was_left(kb, db_url, clock):
    store = await Storage.open(db_url)
    exams = ExamService(kb, store, clock)
    page = (await exams.start(GUILD, USER, questions=10, minutes=20, seed=4)).page
    for n in range(3):
        page = (await exams.answer(page.exam.id, GUILD, USER, n, right_indexes(page))).page
    await exams.flag(page.exam.id, GUILD, USER, 3)
    clock.advance(minutes=5)
    await store.close()  # the process stops; a new one opens the same database
    store = await Storage.open(db_url)
    exams = ExamService(kb, store, clock)
    view = await exams.start(GUILD, USER)
    assert view.outcome is ExamOutcome.RESUMED
    assert view.page.position == 3 and view.page.flagged and view.page.answered == 3
    assert view.page.exam.ends_at - clock.now == timedelta(minutes=15)
    result = (await exams.finish(GUILD, USER)).result
    assert result.correct == 3
    await store.close()


async def test_expired_exams_are_finished_by_the_clock_alone(exams: ExamService, store: Storage, clock):
    page = (await exams.start(GUILD, USER, questions=4, minutes=8, seed=9)).page
    assert await exams.finish_expired() == []
    clock.advance(minutes=8)
    assert await exams.finish_expired() == [page.exam.id]
    assert await exams.finish_expired() == []
    [done] = await exams.history(GUILD, USER)
    assert done.timed_out and done.correct == 0
    clock.advance(days=1)
    assert len(await store.reviews.due(GUILD, USER, clock.now)) == 4  # unanswered: all four to review


async def test_a_question_left_the_bank_mid_exam_still_scores(exams: ExamService, kb):
    page = (await exams.start(GUILD, USER, questions=3, seed=6)).page
    smaller = KnowledgeBase(kb.subjects, kb.topics, kb.sections, {}, kb.synonyms)
    exams.kb = smaller  # a reload removed every question
    view = await exams.answer(page.exam.id, GUILD, USER, 0, right_indexes(page))
    assert view.outcome is ExamOutcome.PAGE
    assert (await exams.finish(GUILD, USER)).result.correct == 1


async def test_bad_input_and_other_members(exams: ExamService):
    assert (await exams.start(GUILD, USER, questions=0)).outcome is ExamOutcome.INVALID
    assert (await exams.start(GUILD, USER, questions=66)).outcome is ExamOutcome.INVALID
    assert (await exams.start(GUILD, USER, questions=5, minutes=131)).outcome is ExamOutcome.INVALID
    page = (await exams.start(GUILD, USER, questions=5)).page
    assert (await exams.answer(page.exam.id, GUILD, USER + 1, 0, [0])).outcome is ExamOutcome.MISSING
    assert (await exams.answer(page.exam.id, GUILD + 1, USER, 0, [0])).outcome is ExamOutcome.MISSING
    assert (await exams.answer(page.exam.id, GUILD, USER, 0, [9])).outcome is ExamOutcome.INVALID
    assert (await exams.show(page.exam.id, GUILD, USER, 99)).outcome is ExamOutcome.INVALID
    assert (await exams.finish(GUILD, USER + 1)).outcome is ExamOutcome.MISSING


async def test_the_exam_never_counts_on_the_leaderboard(kb, store: Storage, exams: ExamService, clock):
    from studybot.board import BoardService
    from studybot.vocab import Period

    page = (await exams.start(GUILD, USER, questions=5, seed=3)).page
    for n in range(5):
        view = await exams.answer(page.exam.id, GUILD, USER, n, right_indexes(page))
        page = view.page
    await exams.finish(GUILD, USER)
    board = await BoardService(kb, store, clock).board(GUILD, Period.ALL, caller=USER)
    assert board.standings == []
