"""Multiple-response questions in the core: the all-or-nothing judge, the stored set, the
per-option distribution, typed picks, and the quiz service (daily, practice, review) over a real
store (SQLite file and PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest

from studybot.lookup import KnowledgeBase, Question
from studybot.quiz import AnswerOutcome, QuizService, multi, present
from studybot.quiz import text as quiz_text
from studybot.vocab import AnswerStatus, QuestionType, RevealMode, StudyKind

GUILD = 111
CHANNEL = 222
OPTIONS = ("a", "b", "c", "d", "e", "f")
Q3 = Question(
    "m3", (), QuestionType.MULTI, 2, "prompt (세 개를 고르시오)", "why", "t", OPTIONS, answers=("a", "c", "f")
)
Q2 = Question("m2", (), QuestionType.MULTI, 2, "prompt (두 개를 고르시오)", "why", "t", OPTIONS[:5], answers=("b", "e"))


# -- pure rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picked", "right"),
    [
        (("a", "c", "f"), True),
        (("f", "a", "c"), True),  # order does not matter
        (("a", "c"), False),  # too few: no partial credit
        (("a", "c", "f", "b"), False),  # too many
        (("a", "c", "b"), False),  # one wrong
        (("a", "a", "c"), False),  # a repeat is not a third pick
        (("a", "c", "f", "f"), False),
        ((), False),
    ],
)
def test_judge_is_all_or_nothing(picked, right):
    assert multi.judge(Q3, picked) is right


def test_check_picks_names_what_is_wrong():
    assert multi.check_picks(Q3, [0, 2, 5], 6) is None
    assert multi.check_picks(Q3, [0, 2], 6) is AnswerStatus.WRONG_COUNT
    assert multi.check_picks(Q3, [0, 1, 2, 3], 6) is AnswerStatus.WRONG_COUNT
    assert multi.check_picks(Q3, [0, 0, 2], 6) is AnswerStatus.INVALID
    assert multi.check_picks(Q3, [0, 2, 6], 6) is AnswerStatus.INVALID
    assert multi.check_picks(Q3, [-1, 0, 2], 6) is AnswerStatus.INVALID
    single = Question("c", (), QuestionType.CHOICE, 1, "p", "w", "t", ("x", "y"), answer="x")
    assert multi.check_picks(single, [0], 2) is AnswerStatus.INVALID


def test_the_stored_set_is_canonical_and_survives_any_garbage():
    assert multi.encode(Q3, ["f", "a", "c"]) == multi.encode(Q3, ["a", "c", "f"]) == "0,2,5"
    assert multi.decode(Q3, "0,2,5") == ("a", "c", "f")
    assert multi.decode(Q3, "5,x,,9,6,2,2") == ("f", "c")  # parts that name no option are dropped
    assert multi.decode(Q3, "") == ()
    long = Question(
        "l", (), QuestionType.MULTI, 1, "p", "w", "t", tuple("보기" * 60 + str(i) for i in range(6)), answers=()
    )
    assert len(multi.encode(long, long.options[:3])) <= 200  # fits answers.choice whatever the options' length


def test_option_counts_split_each_set_over_its_options():
    distribution = {"0,2,5": 3, "0,1,2": 2, "3,4,5": 1, "junk": 4}
    assert multi.option_counts(Q3, distribution) == {"a": 5, "b": 2, "c": 5, "d": 1, "e": 1, "f": 4}
    assert multi.option_counts(Q3, {}) == dict.fromkeys(OPTIONS, 0)


def test_typed_picks_accept_letters_digits_and_say_what_is_wrong():
    shown = present(Q2, [4, 3, 2, 1, 0])  # shown: e d c b a
    assert quiz_text.picks_of("a d", shown) == (0, 3)
    assert quiz_text.picks_of("AD", shown) == (0, 3)
    assert quiz_text.picks_of("d, a", shown) == (3, 0)
    assert quiz_text.picks_of(" 1 / 4 ", shown) == (0, 3)
    assert quiz_text.picks_of("14", shown) == (0, 3)
    assert "두 개" in quiz_text.picks_of("a", shown)
    assert "두 개" in quiz_text.picks_of("a b c", shown)
    assert "'F'" in quiz_text.picks_of("a f", shown) and "A~E" in quiz_text.picks_of("a f", shown)
    assert "'가'" in quiz_text.picks_of("a 가", shown)
    assert "두 번" in quiz_text.picks_of("a a", shown)
    assert "예: `/answer b d`" in quiz_text.picks_of("  ", shown)
    three = present(Q3, range(6))
    assert "세 개" in quiz_text.picks_of("a b", three)


def test_the_question_and_its_feedback_say_how_many_to_pick():
    shown = present(Q3, [5, 4, 3, 2, 1, 0])
    lines = quiz_text.choice_lines(shown)
    assert lines[0] == "**A.** f" and "세 개 고르세요" in lines[-1]
    assert quiz_text.pick_names(("a", "f"), shown) == "A, F"  # by the letters shown, in letter order
    assert "세 개" in quiz_text.feedback(AnswerOutcome(AnswerStatus.WRONG_COUNT, Q3))


# -- the service over a real store ------------------------------------------------------------------


def multi_only(kb: KnowledgeBase) -> KnowledgeBase:
    questions = {q.id: q for q in kb.questions.values() if q.type is QuestionType.MULTI}
    return KnowledgeBase(kb.subjects, kb.topics, kb.sections, questions, kb.synonyms)


async def daily_multi(kb, store, clock) -> tuple[QuizService, int]:
    svc = QuizService(multi_only(kb), store, clock)
    await svc.setup(GUILD, CHANNEL, "09:00", "Asia/Seoul", admin_id=333)
    [due] = await svc.due()
    post, shown = await svc.claim(due.settings)
    assert shown.is_multi
    await svc.posted(post, 10_000 + post.id, due.settings)
    return svc, post.id


def positions(shown, options) -> list[int]:
    return [shown.choices.index(o) for o in options]


async def test_daily_multi_answer_is_stored_once_and_revealed_per_option(kb, store, clock):
    svc, post_id = await daily_multi(kb, store, clock)
    shown = svc.shown(await store.posts.get(post_id))
    q = shown.question
    right = positions(shown, q.answers)
    wrong_option = next(o for o in q.options if o not in q.answers)
    wrong = positions(shown, (*q.answers[1:], wrong_option))
    first = await svc.answer(post_id, 1, guild_id=GUILD, picks=right)
    assert first.status is AnswerStatus.RECORDED and first.correct and set(first.picks) == set(q.answers)
    assert (await svc.answer(post_id, 2, guild_id=GUILD, picks=list(reversed(right)))).correct
    second = await svc.answer(post_id, 3, guild_id=GUILD, picks=wrong)
    assert second.status is AnswerStatus.RECORDED and not second.correct
    # the member's first answer stays; a second one says what is on record, by the letters shown
    again = await svc.answer(post_id, 3, guild_id=GUILD, picks=right)
    assert (
        again.status is AnswerStatus.ALREADY and not again.correct and set(positions(shown, again.picks)) == set(wrong)
    )
    assert quiz_text.feedback(again).startswith(f"이미 '{quiz_text.pick_names(again.picks, shown)}'")
    # wrong count, a single button, typed text: refused, nothing stored
    assert (await svc.answer(post_id, 4, guild_id=GUILD, picks=right[:1])).status is AnswerStatus.WRONG_COUNT
    assert (await svc.answer(post_id, 4, guild_id=GUILD, picks=[*right, wrong[-1]])).status is AnswerStatus.WRONG_COUNT
    assert (await svc.answer(post_id, 4, guild_id=GUILD, index=0)).status is AnswerStatus.WRONG_COUNT
    assert (await svc.answer(post_id, 4, guild_id=GUILD, text="a b")).status is AnswerStatus.INVALID
    assert (await svc.answer(post_id, 4, guild_id=GUILD, picks=[right[0], right[0], 9])).status is AnswerStatus.INVALID
    await svc.drain()
    assert await store.answers.count(post_id) == (3, 2)
    clock.advance(days=1)
    [reveal] = await svc.closing()
    assert (reveal.answered, reveal.right) == (3, 2)
    assert set(reveal.correct_choices) == set(q.answers)
    expected = Counter({o: 0 for o in q.options}) + Counter([*q.answers, *q.answers])
    expected.update([*q.answers[1:], wrong_option])
    assert reveal.distribution == {o: expected[o] for o in q.options}
    lines = quiz_text.distribution_lines(reveal)
    assert len(lines) == len(q.options) + 1 and lines[-1] == "3명 참여 · 2명 정답"
    assert sum("✅" in line for line in lines) == len(q.answers)
    label = quiz_text.correct_label(reveal)
    assert label.count("\n") == len(q.answers) - 1 and all(a in label for a in q.answers)
    # the wrong answer went into the review queue (due the next day, which it now is)
    review, _ = await svc.next_review(GUILD, 3)
    assert review is not None and review.question.id == q.id and review.is_multi
    assert await svc.next_review(GUILD, 1) == (None, None)  # a right answer queues nothing


async def test_immediate_feedback_names_the_picks_and_the_answer_by_letter(kb, store, clock):
    svc, post_id = await daily_multi(kb, store, clock)
    await svc.update(GUILD, reveal_mode=RevealMode.IMMEDIATE)
    shown = svc.shown(await store.posts.get(post_id))
    q = shown.question
    wrong_option = next(o for o in q.options if o not in q.answers)
    outcome = await svc.answer(post_id, 1, guild_id=GUILD, picks=positions(shown, (*q.answers[1:], wrong_option)))
    text = quiz_text.feedback(outcome)
    assert text.startswith("❌") and f"정답: '{quiz_text.pick_names(q.answers, shown)}'" in text
    assert "복습 목록" in text


async def test_practice_and_review_of_a_multi_question_by_token(kb, store, clock):
    svc = QuizService(multi_only(kb), store, clock)
    shown = await svc.practice_question(GUILD, 9, seed=1)
    assert shown is not None and shown.is_multi and shown.token and shown.post_id is None
    q = shown.question
    right = positions(shown, q.answers)
    wrong = positions(shown, (*q.answers[1:], next(o for o in q.options if o not in q.answers)))
    short = await svc.answer_study(shown.token, 9, guild_id=GUILD, picks=right[:-1])
    assert short.status is AnswerStatus.WRONG_COUNT
    assert (await svc.answer_study(shown.token, 10, guild_id=GUILD, picks=right)).status is AnswerStatus.MISSING
    assert (await svc.answer_study(shown.token, 9, guild_id=GUILD + 1, picks=right)).status is AnswerStatus.MISSING
    assert (await svc.answer_study("no-such-token-here", 9, guild_id=GUILD, picks=right)).status is AnswerStatus.EXPIRED
    outcome = await svc.answer_study(shown.token, 9, guild_id=GUILD, picks=wrong)
    assert outcome.status is AnswerStatus.RECORDED and not outcome.correct
    assert "아쉬워요" in quiz_text.feedback(outcome)
    # a restart: a new service on the same store maps the same token to the same order
    restarted = QuizService(multi_only(kb), store, clock)
    clock.advance(days=2)
    review, _ = await restarted.next_review(GUILD, 9, seed=5)
    assert review is not None and review.question.id == q.id and review.token != shown.token
    again = await restarted.answer_study(shown.token, 9, guild_id=GUILD, picks=right)
    assert again.status is AnswerStatus.EXPIRED  # answered once already: the first answer stands
    outcome = await restarted.answer_study(review.token, 9, guild_id=GUILD, picks=positions(review, q.answers))
    assert outcome.correct and "정답이에요" in quiz_text.feedback(outcome)
    kinds = Counter(kind for kind in await study_kinds(store, 9))
    assert kinds == Counter({StudyKind.PRACTICE: 1, StudyKind.REVIEW: 1})


async def study_kinds(store, user: int) -> list[str]:
    from sqlalchemy import select

    from studybot.storage.tables import activity

    async with store.db.connect() as conn:
        return list((await conn.execute(select(activity.c.kind).where(activity.c.user_id == user))).scalars())


async def test_served_questions_expire_after_a_week(kb, store, clock):
    svc = QuizService(kb, store, clock)
    old = await svc.practice_question(GUILD, 9, seed=2)
    clock.advance(days=8)
    svc._pruned = float("-inf")  # the next serve sweeps (once an hour in a running bot)
    new = await svc.practice_question(GUILD, 9, seed=3)
    assert await store.study.get(old.token) is None and await store.study.get(new.token) is not None
    outcome = await svc.answer_study(old.token, 9, guild_id=GUILD, index=0)
    assert outcome.status is AnswerStatus.EXPIRED and "오래된 문제" in quiz_text.feedback(outcome)


async def test_a_reload_that_changes_the_options_refuses_an_old_order(kb, store, clock):
    svc = QuizService(multi_only(kb), store, clock)
    shown = await svc.practice_question(GUILD, 9, seed=4)
    q = shown.question
    fewer = Question(
        q.id,
        q.section_ids,
        q.type,
        q.difficulty,
        q.prompt,
        q.explanation,
        q.topic_id,
        q.options[:-1],
        answers=q.answers[:2],
    )
    svc.kb = KnowledgeBase(kb.subjects, kb.topics, kb.sections, {q.id: fewer}, kb.synonyms)
    outcome = await svc.answer_study(shown.token, 9, guild_id=GUILD, picks=[0, 1])
    assert outcome.status is AnswerStatus.MISSING


async def test_every_type_is_drawn_for_the_daily_post(kb, store, clock):
    svc = QuizService(kb, store, clock)
    await svc.setup(GUILD, CHANNEL, "09:00", "Asia/Seoul", admin_id=None)
    kinds = Counter()
    for _ in range(60):
        for due in await svc.due():
            _, shown = await svc.claim(due.settings)
            kinds[shown.question.type] += 1
        clock.advance(days=1)
    assert set(kinds) == set(QuestionType) and sum(kinds.values()) == 60, kinds


def test_the_weekly_recap_names_every_correct_option_of_a_missed_multi_question():
    from datetime import date

    from studybot.board import text as board_text
    from studybot.board.service import Recap
    from studybot.guild import GuildSettings

    settings = GuildSettings(GUILD, CHANNEL, "09:00", "Asia/Seoul", False, RevealMode.AT_CLOSE, None, None)
    lines = board_text.recap_lines(Recap(settings, date(2026, 11, 23), [], (Q3, 4, 1)), str)
    assert "정답: **a / c / f**" in lines, lines
