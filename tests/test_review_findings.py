"""Integration bugs found in review (member questions, multi-response questions, DMs), each
reproduced where the features meet."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from studybot.board import BoardService
from studybot.community import CommunityService
from studybot.exam import InsightService
from studybot.quiz import multi
from studybot.storage import NewAnswer
from studybot.vocab import QuestionType
from tests.conftest import FakeClock
from tests.test_community import form

GUILD = 321
AUTHOR = 41
MOD = 42
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def a_multi(kb):
    return sorted((q for q in kb.questions.values() if q.type is QuestionType.MULTI), key=lambda q: q.id)[0]


async def daily_post(store, question, when: datetime, guild: int = GUILD):
    return await store.posts.claim(
        guild_id=guild, local_date=when.date(), slot="daily", question_id=question.id, topic_id=question.topic_id,
        choice_order=list(range(len(question.choices))), channel_id=1, now=when, snapshot=question.to_json(),
    )  # fmt: skip


async def test_insights_name_the_most_chosen_wrong_pick_of_a_multi_question_by_its_options(kb, store):
    """The stored form of a multi-response answer is authored indexes ("0,2"); the leader's
    insights showed those digits as the "most-chosen wrong option" (embed and CSV)."""
    q = a_multi(kb)
    when = NOW - timedelta(days=1)
    post = await daily_post(store, q, when)
    wrong = tuple(o for o in q.options if o not in q.answers)[: len(q.answers)]
    for user in range(10, 14):
        await store.answers.record(
            NewAnswer(post.id, GUILD, user, q.id, multi.encode(q, wrong), False, when, when.date())
        )
    service = InsightService(kb, store, FakeClock(NOW))
    ins = await service.insights(GUILD)
    [figures] = [f for f in ins.questions if f.question_id == q.id]
    assert figures.top_wrong_count == 4
    assert figures.top_wrong == ", ".join(wrong)
    assert ", ".join(wrong) in service.csv(ins)


async def test_weekly_recap_names_a_missed_member_question(kb, store):
    """The week's most-missed daily question was a member's approved question (m-<id>): the recap
    looked it up in the shipped bank only and silently dropped the "most missed" part."""
    clock = FakeClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # Tuesday in Seoul
    community = CommunityService(kb, store, clock)
    sid = (await community.suggest(GUILD, AUTHOR, "작성자", form(kb))).suggestion.id
    moderated = await community.approve(GUILD, sid, MOD)
    member_q = moderated.question
    board = BoardService(kb, store, clock)
    from studybot.quiz import QuizService

    await QuizService(kb, store, clock).setup(GUILD, 2, "09:00", "Asia/Seoul", 3)
    shipped = next(q for q in kb.questions.values() if q.type is QuestionType.CHOICE)
    for n, (q, right) in enumerate(((shipped, True), (member_q, False))):
        when = clock.now + timedelta(days=n)
        post = await daily_post(store, q, when)
        choice = q.answer if right else next(o for o in q.options if o != q.answer)
        await store.answers.record(NewAnswer(post.id, GUILD, 10, q.id, choice, right, when, when.date()))
    clock.now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # Monday 00:00 in Seoul
    [recap] = await board.recaps_due(lambda g: {})
    assert recap.missed is not None
    assert recap.missed[0].id == member_q.id and recap.missed[1:] == (1, 0)


def test_the_board_benchmark_writes_multi_answers_in_their_stored_form(kb):
    """bench/bench_board.py's choice_text returned None for a multi-response question (the
    benchmark crashed on the shipped bank with ``'NoneType' object is not subscriptable``)."""
    from bench.bench_board import choice_text

    q = a_multi(kb)
    rng = random.Random(1)
    right = choice_text(q, True, rng)
    assert right == multi.encode(q, q.answers)
    wrong = choice_text(q, False, rng)
    assert isinstance(wrong, str) and wrong != right
    picked = multi.decode(q, wrong)
    assert len(picked) == len(q.answers) and not multi.judge(q, picked)
