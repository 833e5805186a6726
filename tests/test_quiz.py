"""Quiz rules and the quiz service over a real store (SQLite file and PostgreSQL)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from studybot.lookup import KnowledgeBase, Question
from studybot.quiz import QuizService
from studybot.quiz.bank import choice_order, is_correct, judge_short, pick_question, playable, present
from studybot.storage import Storage
from studybot.vocab import QuestionType

GUILD = 111
CHANNEL = 222


# -- the bank -------------------------------------------------------------------------------------


def test_bank_covers_every_topic(kb: KnowledgeBase):
    assert len(kb.questions) >= 60
    per_topic = Counter(q.topic_id for q in kb.questions.values())
    assert set(per_topic) == set(kb.topics), f"topics without questions: {set(kb.topics) - set(per_topic)}"
    for q in kb.questions.values():
        assert all(s in kb.sections for s in q.section_ids)
        if q.type == "choice":
            assert q.answer in q.options and 2 <= len(q.options) <= 5
        if q.type == "short":
            assert all(judge_short(a, q.accepted) for a in q.accepted), q.id
        assert q.explanation and q.prompt


def test_no_repeat_until_exhausted_and_topics_balanced(kb: KnowledgeBase):
    rng = random.Random(7)
    used: list[tuple[str, str]] = []
    bank = playable(kb)
    n = len(bank)
    for _ in range(n):
        q = pick_question(kb, used, rng)
        used.append((q.id, q.topic_id))
    assert len({qid for qid, _ in used}) == n  # every question once before any repeats
    # in the first half of the cycle every topic has had its turn, in proportion to its size
    half = Counter(topic for _, topic in used[: n // 2])
    size = Counter(q.topic_id for q in bank)
    for topic, total in size.items():
        assert abs(half[topic] - total / 2) <= 1.5, (topic, half[topic], total)
    assert {q.type for q in bank} == set(QuestionType)  # every type is served, multi-response too
    nxt = pick_question(kb, used, rng)  # the second cycle starts over
    assert nxt.id in kb.questions


def bank_of(sizes: dict[str, int]) -> KnowledgeBase:
    """A bank with ``sizes[topic]`` short questions per topic."""
    questions = [
        Question(f"{topic}-{i}", (), QuestionType.SHORT, 1, "prompt", "why", topic, accepted=("x",))
        for topic, n in sizes.items()
        for i in range(n)
    ]
    return KnowledgeBase(questions={q.id: q for q in questions})


def test_each_pick_goes_to_the_topic_furthest_below_its_share():
    # the pick goes where (asked + 1) / size is lowest: "b" at 1/5 and 2/5, then "a" at 1/2 before "b" at 3/5
    kb = bank_of({"a": 2, "b": 5})
    for seed in range(10):
        rng = random.Random(seed)
        used: list[tuple[str, str]] = []
        for _ in range(3):
            q = pick_question(kb, used, rng)
            used.append((q.id, q.topic_id))
        assert [topic for _, topic in used] == ["b", "b", "a"], seed


def test_options_are_shuffled_per_post_and_stable(kb: KnowledgeBase):
    q = next(q for q in kb.questions.values() if q.type == "choice" and len(q.options) >= 4)
    orders = {tuple(choice_order(q, random.Random(seed))) for seed in range(20)}
    assert len(orders) > 1
    assert choice_order(q, random.Random(3)) == choice_order(q, random.Random(3))


def test_present_shows_the_options_in_the_post_order_with_its_id():
    q = Question("q", (), QuestionType.CHOICE, 1, "prompt", "why", "t", options=("a", "b", "c"), answer="b")
    shown = present(q, [2, 0, 1], post_id=42)
    assert (shown.post_id, shown.choices, shown.is_short) == (42, ("c", "a", "b"), False)


def test_a_short_question_shows_no_options_even_with_a_stale_order():
    # a knowledge reload may turn a posted choice question into a short one: its stored order is stale
    q = Question("q", (), QuestionType.SHORT, 1, "prompt", "why", "t", accepted=("sc1",))
    shown = present(q, [2, 0, 1], post_id=42)
    assert (shown.choices, shown.is_short) == ((), True)


@pytest.mark.parametrize(
    ("given", "accepted", "ok"),
    [
        ("sc1", ("sc1", "Cold HDD"), True),
        ("SC1", ("sc1",), True),
        ("st1", ("sc1", "Cold HDD"), False),
        ("sc2", ("sc1",), False),
        ("cold hdd", ("Cold HDD",), True),
        ("coldhdd", ("Cold HDD",), True),
        ("자격 증명 보고서요", ("자격 증명 보고서",), True),
        ("자격증명보고서", ("자격 증명 보고서",), True),
        ("credentail report", ("credential report",), True),
        ("access advisor", ("credential report",), False),
        ("클러스터", ("cluster", "클러스터"), True),
        ("파티션", ("cluster", "클러스터"), False),
        ("정답은 sc1", ("sc1",), True),
        ("route 53", ("Route 53",), True),
        ("route 54", ("Route 53",), False),  # a term with digits needs an exact match, however long
        ("bucjet", ("bucket",), True),  # one typo per six letters
        ("bucjez", ("bucket",), False),
        ("", ("sc1",), False),
        ("🔥", ("sc1",), False),
    ],
)
def test_short_answers(given, accepted, ok):
    assert judge_short(given, accepted) is ok


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("제 생각에 정답은 아마 sc1 같습니다", "sc1"),
        ("콜드 스토리지라면 역시 sc1 볼륨이 제일 싸요", "SC1"),
        ("음 잘 모르겠지만 gp3 볼륨을 고르겠습니다 아마도", "gp3"),
        ("처리량이 중요하면 st1 하드디스크 쪽이 맞을 것 같아요", "st1"),
        ("아마 route 53 서비스로 도메인을 관리하겠죠", "Route 53"),
    ],
)
def test_a_term_with_digits_is_found_anywhere_in_a_sentence(sentence, term):
    assert judge_short(sentence, (term,))


def test_true_false_and_choice_judging(kb: KnowledgeBase):
    tf = next(q for q in kb.questions.values() if q.type == "truefalse")
    assert is_correct(tf, "O" if tf.answer else "X")
    assert not is_correct(tf, "X" if tf.answer else "O")


# -- the service over a real store ----------------------------------------------------------------


def service(kb, store, clock) -> QuizService:
    return QuizService(kb, store, clock)


async def configure(svc: QuizService, time="09:00", zone="Asia/Seoul"):
    return await svc.setup(GUILD, CHANNEL, time, zone, admin_id=333)


async def post_due(svc: QuizService) -> list[int]:
    posted = []
    for due in await svc.due():
        claimed = await svc.claim(due.settings)
        if claimed:
            post, _ = claimed
            await svc.posted(post, 10_000 + post.id, due.settings)
            posted.append(post.id)
    return posted


async def test_posts_once_at_local_time_and_never_a_missed_day(kb, store, clock):
    clock.now = datetime(2026, 11, 25, 23, 59, tzinfo=UTC)  # 08:59 Seoul
    svc = service(kb, store, clock)
    await configure(svc)
    assert await post_due(svc) == []  # just before post time
    clock.now = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 Seoul
    assert len(await post_due(svc)) == 1
    assert await post_due(svc) == []  # the loop runs again: nothing more today
    clock.now = datetime(2026, 11, 26, 14, 59, tzinfo=UTC)  # 23:59 Seoul
    assert await post_due(svc) == []
    # the bot is down all of the 27th and comes back on the 28th at 08:00: the 27th is never posted
    clock.now = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 08:00 on the 28th in Seoul
    assert await post_due(svc) == []
    clock.now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # 12:00: down at 09:00, posts on start-up
    assert len(await post_due(svc)) == 1


async def test_restart_just_after_post_time_does_not_double_post(kb, db_url, clock):
    clock.now = datetime(2026, 11, 26, 0, 0, 30, tzinfo=UTC)
    first = await Storage.open(db_url)
    svc = service(kb, first, clock)
    await configure(svc)
    due = await svc.due()
    claimed = await svc.claim(due[0].settings)  # claimed, then the process dies before sending
    assert claimed is not None
    await first.close()
    clock.advance(seconds=20)
    second = await Storage.open(db_url)  # restart
    try:
        assert await service(kb, second, clock).due() == []  # never re-sent: at most once
    finally:
        await second.close()


async def test_dst_change_posts_at_local_nine(kb, store, clock):
    svc = service(kb, store, clock)
    clock.now = datetime(2026, 3, 7, 13, 59, tzinfo=UTC)  # 08:59 EST
    await configure(svc, zone="America/New_York")
    assert await post_due(svc) == []
    clock.now = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    assert len(await post_due(svc)) == 1
    clock.now = datetime(2026, 3, 8, 12, 59, tzinfo=UTC)  # 08:59 EDT, the day after the change
    assert await post_due(svc) == []
    clock.now = datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert len(await post_due(svc)) == 1


async def test_two_processes_racing_post_exactly_once(kb, db_url, clock):
    clock.now = datetime(2026, 11, 26, 0, 1, tzinfo=UTC)
    a, b = await Storage.open(db_url), await Storage.open(db_url)
    try:
        sa, sb = service(kb, a, clock), service(kb, b, clock)
        await configure(sa)
        results = await asyncio.gather(*(post_due(s) for s in (sa, sb, sa, sb)))
        assert sum(len(r) for r in results) == 1
    finally:
        await a.close()
        await b.close()


async def test_paused_guild_does_not_post(kb, store, clock):
    svc = service(kb, store, clock)
    await configure(svc)
    await svc.update(GUILD, paused=True)
    assert await svc.due() == []
    await svc.update(GUILD, paused=False)
    assert len(await svc.due()) == 1


async def test_failed_post_keeps_schedule_and_frees_question(kb, store, clock):
    svc = service(kb, store, clock)
    await configure(svc)
    post, _ = await svc.claim((await svc.due())[0].settings)
    await svc.failed(post, "권한이 없어요")
    settings = await store.guilds.get(GUILD)
    assert settings.last_error == "권한이 없어요" and not settings.paused
    assert await store.posts.used_questions(GUILD) == []
    assert await svc.due() == []  # not retried the same day; an admin can /quiz now


async def test_500_concurrent_answers_each_recorded_once(kb, store, clock):
    svc = service(kb, store, clock)
    await configure(svc)
    [post_id] = await post_due(svc)
    post = await store.posts.get(post_id)
    q = kb.questions[post.question_id]
    n_choices = max(len(svc.shown(post).choices), 1)

    async def click(user: int):
        if q.type == "short":
            return await svc.answer(post_id, user, guild_id=GUILD, text="sc1")
        return await svc.answer(post_id, user, guild_id=GUILD, index=user % n_choices)

    users = list(range(1, 501))
    outcomes = await asyncio.gather(*(click(u) for u in users + users[:100]))  # 100 double clicks
    assert Counter(o.status for o in outcomes) == Counter({"recorded": 500, "already": 100})
    answered, _ = await store.answers.count(post_id)
    assert answered == 500
    assert sum((await store.answers.distribution(post_id)).values()) == 500


async def test_second_click_keeps_first_answer_and_close_refuses(kb, store, clock):
    svc = service(kb, store, clock)
    await configure(svc)
    [post_id] = await post_due(svc)
    post = await store.posts.get(post_id)
    shown = svc.shown(post)
    if shown.is_short:
        first = await svc.answer(post_id, 5, guild_id=GUILD, text="x")
        second = await svc.answer(post_id, 5, guild_id=GUILD, text="y")
    else:
        first = await svc.answer(post_id, 5, guild_id=GUILD, index=0)
        second = await svc.answer(post_id, 5, guild_id=GUILD, index=1)
    assert first.status == "recorded" and second.status == "already" and second.choice == first.choice
    clock.advance(days=1)  # the next day's post time closes it
    reveals = await svc.closing()
    assert [r.post.id for r in reveals] == [post_id]
    assert reveals[0].answered == 1
    await svc.closed(reveals[0].post)
    late = (
        await svc.answer(post_id, 6, guild_id=GUILD, index=0)
        if not shown.is_short
        else await svc.answer(post_id, 6, guild_id=GUILD, text="x")
    )
    assert late.status == "closed"
    assert await svc.closing() == []  # closed once


async def test_wrong_answer_enters_review_and_comes_back(kb, store, clock):
    svc = service(kb, store, clock)
    q = next(q for q in kb.questions.values() if q.type == "choice")
    wrong = next(o for o in q.options if o != q.answer)
    outcome = await svc.check_practice(GUILD, 9, q.id, wrong, "practice")
    assert outcome.status == "recorded" and not outcome.correct
    shown, next_due = await svc.next_review(GUILD, 9)
    assert shown is None and next_due is not None and next_due > clock.now
    clock.now = next_due + timedelta(minutes=1)
    shown, _ = await svc.next_review(GUILD, 9)
    assert shown is not None and shown.question.id == q.id
    await svc.check_practice(GUILD, 9, q.id, q.answer, "review")  # right this time: spaced further out
    _, later = await svc.next_review(GUILD, 9)
    assert later is not None and later - clock.now >= timedelta(days=1)
    # a right answer to a question not in the queue adds nothing
    other = next(x for x in kb.questions.values() if x.type == "choice" and x.id != q.id)
    await svc.check_practice(GUILD, 10, other.id, other.answer, "practice")
    assert await svc.next_review(GUILD, 10) == (None, None)


async def test_wrong_daily_answer_enters_review_after_ack(kb, store, clock):
    svc = service(kb, store, clock)
    await configure(svc)
    [post_id] = await post_due(svc)
    post = await store.posts.get(post_id)
    shown = svc.shown(post)
    q = shown.question
    if shown.is_short:
        outcome = await svc.answer(post_id, 77, guild_id=GUILD, text="전혀 다른 답")
    else:
        wrong = next(i for i, c in enumerate(shown.choices) if c != q.correct_choice)
        outcome = await svc.answer(post_id, 77, guild_id=GUILD, index=wrong)
    assert outcome.status == "recorded" and not outcome.correct
    await svc.drain()
    _, due = await svc.next_review(GUILD, 77)
    assert due is not None


async def test_nul_and_control_characters_never_fail_a_batch(kb, store, clock):
    """A NUL in one member's short answer (PostgreSQL refuses NUL in text) is stripped at the
    boundary; a row that still cannot be written fails alone, the rest of its batch is recorded."""
    from studybot.storage import NewAnswer

    svc = service(kb, store, clock)
    await configure(svc)
    [post_id] = await post_due(svc)
    post = await store.posts.get(post_id)
    outcomes = await asyncio.gather(
        *(svc.answer(post_id, u, guild_id=GUILD, text=f"sc\x001\x07 {u}", index=None) for u in range(1, 301))
    )
    assert all(o.status in ("recorded", "invalid") for o in outcomes)
    bad = NewAnswer(10**9, GUILD, 999_999, post.question_id, "x", False, clock(), post.local_date)  # no such post

    def good(u: int) -> NewAnswer:
        return NewAnswer(post_id, GUILD, 5000 + u, post.question_id, "y", False, clock(), post.local_date)

    results = await asyncio.gather(
        *(store.answers.record(good(u)) for u in range(50)), store.answers.record(bad), return_exceptions=True
    )
    assert sum(isinstance(r, Exception) for r in results) == 1 and isinstance(results[-1], Exception)
    assert (await store.answers.count(post_id))[0] >= 350
