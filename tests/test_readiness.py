"""Readiness from known card states and answers (the formula of studybot/exam/readiness.py), its
service over a real store, and the Korean chart: drawn with the packaged font and no missing glyph."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating

from studybot.exam import ExamService
from studybot.exam import readiness as ready_mod
from studybot.exam.chart import FONT, readiness_png
from studybot.lookup import KnowledgeBase, Question
from studybot.quiz import SCHEDULER, after_answer
from studybot.vocab import Domain, QuestionType, StudyKind
from tests.conftest import FakeClock

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def question(qid: str, topic: str, domain: Domain | None) -> Question:
    return Question(qid, (), QuestionType.TRUEFALSE, 1, "p", "e", topic, answer=True, domain=domain)


def small_bank() -> KnowledgeBase:
    qs = [
        question("s1", "iam", Domain.SECURE),
        question("s2", "iam", Domain.SECURE),
        question("r1", "ebs", Domain.RESILIENT),
        question("r2", "ebs", Domain.RESILIENT),
        question("p1", "ec2", Domain.PERFORMANCE),
        question("c1", "ec2", Domain.COST),
    ]
    return KnowledgeBase(questions={q.id: q for q in qs})


def card_reviewed(days_ago: float, ratings: list[Rating]) -> str:
    when = NOW - timedelta(days=days_ago)
    card = Card(card_id=1, due=when)
    for r in ratings:
        card, _ = SCHEDULER.review_card(card, r, when)
    return json.dumps(card.to_dict())


def test_readiness_from_known_card_states_and_answers():
    kb = small_bank()
    card = card_reviewed(3, [Rating.Again])
    # recall is predicted for a week ahead (no exam date set): a fresh miss is not counted as known
    recall = SCHEDULER.get_card_retrievability(Card.from_dict(json.loads(card)), ready_mod.horizon(NOW, None))
    assert 0 < recall < SCHEDULER.get_card_retrievability(Card.from_dict(json.loads(card)), NOW) <= 1
    answers = [("s1", False, "daily"), ("s2", True, "practice"), ("r1", True, "exam"), ("r1", False, "review")]
    got = ready_mod.readiness(kb, 7, answers, {"s1": card}, NOW)
    domains = {g.key: g for g in got.domains}
    # secure: s1 has a card (its retrievability counts, not its answers), s2 answered right once
    assert domains["secure"].readiness == pytest.approx((recall + 1.0) / 2)
    assert domains["secure"].recall == pytest.approx(recall) and domains["secure"].cards == 1
    assert domains["secure"].accuracy == 0.5 and domains["secure"].coverage == 1.0
    # resilient: r1 right once of twice, r2 never seen (0)
    assert domains["resilient"].readiness == pytest.approx(0.25)
    assert domains["resilient"].coverage == 0.5 and domains["resilient"].recall is None
    assert domains["performance"].readiness == 0 == domains["cost"].readiness
    expected = 0.30 * (recall + 1) / 2 + 0.26 * 0.25
    assert got.figure == pytest.approx(expected)
    assert got.kinds == {"daily": (1, 0), "practice": (1, 1), "exam": (1, 1), "review": (1, 0)}
    # the three topics to study next: the most to gain first (ec2: two unseen questions of heavy domains)
    assert got.study_next[0] == "ec2" and set(got.study_next) == {"ec2", "ebs", "iam"}
    assert not got.ready


def test_readiness_looks_ahead_to_the_exam_day():
    kb = small_bank()
    card = card_reviewed(0, [Rating.Again])  # missed just now
    cards = {"s1": card}
    soon = ready_mod.readiness(kb, 7, [], cards, NOW, exam_date=(NOW + timedelta(days=2)).date(), today=NOW.date())
    far = ready_mod.readiness(kb, 7, [], cards, NOW, exam_date=(NOW + timedelta(days=40)).date(), today=NOW.date())
    week = ready_mod.readiness(kb, 7, [], cards, NOW)
    past = ready_mod.readiness(kb, 7, [], cards, NOW, exam_date=(NOW - timedelta(days=1)).date(), today=NOW.date())
    assert 0 < far.figure < week.figure < soon.figure < 1  # the further the day, the less is left of it
    assert past.figure == week.figure  # an exam day gone by: a week ahead again
    assert ready_mod.horizon(NOW, None) == NOW + ready_mod.HORIZON


def test_recall_fades_with_time_and_a_well_known_bank_is_ready():
    kb = small_bank()
    fresh = ready_mod.readiness(kb, 7, [], {q: card_reviewed(1, [Rating.Good] * 3) for q in kb.questions}, NOW)
    later = ready_mod.readiness(kb, 7, [], {q: card_reviewed(60, [Rating.Good] * 3) for q in kb.questions}, NOW)
    assert fresh.figure > later.figure > 0
    assert fresh.ready and fresh.study_next  # still something to gain, however little
    nothing = ready_mod.readiness(kb, 7, [], {}, NOW)
    assert nothing.figure == 0 and all(g.coverage == 0 for g in nothing.topics)


def test_a_bank_without_domains_uses_every_question():
    qs = [question("a", "t1", None), question("b", "t2", None)]
    kb = KnowledgeBase(questions={q.id: q for q in qs})
    got = ready_mod.readiness(kb, 1, [("a", True, "daily")], {}, NOW)
    assert got.domains == [] and got.figure == 0.5 and got.study_next == ["t2"]


def test_exam_date_counts_down():
    got = ready_mod.readiness(small_bank(), 1, [], {}, NOW, NOW.date() + timedelta(days=12), NOW.date())
    assert got.days_left == 12


async def test_service_reads_every_kind_of_answer(kb, store):
    clock = FakeClock(NOW)
    exams = ExamService(kb, store, clock)
    q = next(iter(kb.questions.values()))
    await store.reviews.study(1, 2, q.id, q.topic_id, StudyKind.PRACTICE, False, NOW, after_answer)
    page = (await exams.start(1, 2, questions=3, seed=1)).page
    right = [i for i, c in enumerate(page.shown.choices) if c in page.shown.question.correct_choices]
    await exams.answer(page.exam.id, 1, 2, 0, right)
    await exams.finish(1, 2)
    got = await exams.readiness(1, 2)
    assert got.kinds["practice"] == (1, 0) and got.kinds["exam"] == (1, 1)
    assert got.cards >= 3  # the practice miss and the exam's two unanswered questions
    assert 0 < got.figure < 0.2
    assert (await exams.readiness(None, 2)).kinds == got.kinds  # in DMs: every server
    assert (await exams.readiness(9, 2)).kinds == {}


def glyph_warnings(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]


def test_the_chart_draws_hangul_with_the_packaged_font(kb):
    assert FONT == "NanumGothic"
    answers = [(q, i % 3 != 0, "daily") for i, q in enumerate(list(kb.questions)[:80])]
    ready = ready_mod.readiness(kb, 1, answers, {}, NOW)
    found: list[bytes] = []
    assert glyph_warnings(lambda: found.append(readiness_png(ready, kb, "멤버"))) == []
    assert found[0].startswith(b"\x89PNG")


def test_the_glyph_check_catches_a_font_without_hangul():
    """The check above can fail: the same text in a font without Hangul warns."""
    import io

    from matplotlib.figure import Figure

    def draw() -> None:
        fig = Figure()
        fig.suptitle("시험 준비도", family="DejaVu Sans")
        fig.savefig(io.BytesIO(), format="png")

    assert glyph_warnings(draw)


def test_the_stats_chart_speaks_korean_with_topic_titles(kb):
    from datetime import date

    from studybot.board import Stats
    from studybot.board.chart import stats_png

    topics = [(tid, 4, 3) for tid in list(kb.topics)[:6]]
    stats = Stats(1, 30, 1, 5, 24, 18, 2, 3, topics, 1, [(date(2026, 11, d), d % 4) for d in range(1, 31)])
    titles = {tid: kb.topic_title(tid) for tid, _, _ in topics}
    found: list[bytes] = []
    assert glyph_warnings(lambda: found.append(stats_png(stats, titles))) == []
    assert found[0].startswith(b"\x89PNG")
    empty = Stats(1, 0, None, 0, 0, 0, 0, 0, [], 0, [(date(2026, 11, d), 0) for d in range(1, 31)])
    assert glyph_warnings(lambda: stats_png(empty)) == []  # "아직 답한 문제가 없어요"
