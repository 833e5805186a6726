"""Readiness, pure: how likely the member is to get each question of the bank right today, per
domain and per topic, and one figure for the whole exam.

Per question, the chance p of getting it right on the day that matters: the member's exam day, or
a week from now when none is set (``horizon``):
- the member has a review card for it: FSRS's retrievability of that card on that day (its
  predicted chance of recall, from the card's stability and the days since the last review; a
  question missed a minute ago has a fresh card that "remembers" it now, but not a week later);
- no card, but answered before (daily, practice, review or a mock exam): the share of those
  answers that were right;
- never seen: 0 (nothing says the member knows it yet).

A domain's (or topic's) readiness is the mean p over its questions in the bank; the readiness
figure is the mean of the domains weighted like the exam (30/26/24/20), or, for a bank without
domains, the mean over every question. Alongside: recall (mean retrievability of the cards),
accuracy (right answers / answers) and coverage (questions seen / questions in the bank). The
topics to study next are those where the figure has most to gain: the sum over the topic's
questions of (1 - p) times the question's weight in the figure."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from fsrs import Card

from studybot.lookup import KnowledgeBase, Question
from studybot.quiz import SCHEDULER
from studybot.vocab import DOMAIN_WEIGHTS, Domain

READY_SHARE = 0.70  # the share the mock exam scales to 720 (rules.PASS_SHARE)


@dataclass(frozen=True)
class Group:
    """One domain's or topic's figures."""

    key: str
    questions: int  # in the bank
    seen: int
    cards: int
    recall: float | None  # mean FSRS retrievability of the member's cards; None without cards
    answered: int
    correct: int
    readiness: float  # mean chance of a right answer over the group's questions

    @property
    def coverage(self) -> float:
        return self.seen / self.questions if self.questions else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class Readiness:
    user_id: int
    figure: float
    domains: list[Group]
    topics: list[Group]
    study_next: list[str]  # topic ids, most to gain first
    kinds: dict[str, tuple[int, int]]  # answer kind -> (answered, right)
    cards: int
    exam_date: date | None = None
    days_left: int | None = None

    @property
    def ready(self) -> bool:
        return self.figure >= READY_SHARE


def retrievability(card_json: str, now: datetime) -> float:
    card = Card.from_dict(json.loads(card_json))
    return float(SCHEDULER.get_card_retrievability(card, now))


def chances(
    questions: Iterable[Question], answers: Sequence[tuple[str, bool, str]], cards: dict[str, str], now: datetime
) -> dict[str, float]:
    """question id -> the chance of a right answer now (see the module docstring)."""
    tally: dict[str, list[int]] = {}
    for qid, right, _ in answers:
        c = tally.setdefault(qid, [0, 0])
        c[0] += 1
        c[1] += int(right)
    out = {}
    for q in questions:
        if q.id in cards:
            out[q.id] = retrievability(cards[q.id], now)
        elif q.id in tally:
            times, right_times = tally[q.id]
            out[q.id] = right_times / times
        else:
            out[q.id] = 0.0
    return out


def _group(
    key: str,
    qs: list[Question],
    p: dict[str, float],
    answers_by_q: dict[str, list[int]],
    cards: dict[str, str],
    now: datetime,
) -> Group:
    recalls = [retrievability(cards[q.id], now) for q in qs if q.id in cards]
    answered = sum(answers_by_q.get(q.id, [0, 0])[0] for q in qs)
    correct = sum(answers_by_q.get(q.id, [0, 0])[1] for q in qs)
    seen = sum(1 for q in qs if q.id in answers_by_q or q.id in cards)
    return Group(
        key,
        len(qs),
        seen,
        len(recalls),
        sum(recalls) / len(recalls) if recalls else None,
        answered,
        correct,
        sum(p[q.id] for q in qs) / len(qs) if qs else 0.0,
    )


HORIZON = timedelta(days=7)  # without an exam date, readiness looks this far ahead


def horizon(now: datetime, exam_date: date | None) -> datetime:
    """When recall is predicted for: the exam day (noon UTC) when it is still ahead, else a week on."""
    if exam_date is not None:
        day = datetime.combine(exam_date, time(12), tzinfo=UTC)
        if day > now:
            return day
    return now + HORIZON


def readiness(
    kb: KnowledgeBase,
    user_id: int,
    answers: Sequence[tuple[str, bool, str]],
    cards: dict[str, str],
    now: datetime,
    exam_date: date | None = None,
    today: date | None = None,
    extra: Iterable[Question] = (),
) -> Readiness:
    """``extra``: the server's approved member questions, part of its bank (a shipped id wins)."""
    pool = {q.id: q for q in extra}
    pool.update(kb.questions)
    bank = sorted(pool.values(), key=lambda q: q.id)
    now = horizon(now, exam_date)  # recall on the day that matters, not this minute
    p = chances(bank, answers, cards, now)
    by_q: dict[str, list[int]] = {}
    kinds: dict[str, tuple[int, int]] = {}
    for qid, right, kind in answers:
        c = by_q.setdefault(qid, [0, 0])
        c[0] += 1
        c[1] += int(right)
        n, r = kinds.get(kind, (0, 0))
        kinds[kind] = (n + 1, r + int(right))
    by_domain: dict[str, list[Question]] = {}
    by_topic: dict[str, list[Question]] = {}
    for q in bank:
        if q.domain:
            by_domain.setdefault(str(q.domain), []).append(q)
        by_topic.setdefault(q.topic_id, []).append(q)
    domains = [_group(d, by_domain[str(d)], p, by_q, cards, now) for d in Domain if str(d) in by_domain]
    order = {tp.id: tp.order for tp in kb.topics.values()}
    topics = [
        _group(t, qs, p, by_q, cards, now) for t, qs in sorted(by_topic.items(), key=lambda kv: order.get(kv[0], 0))
    ]
    # each question's weight in the figure
    weight: dict[str, float] = {}
    if domains:
        total = sum(DOMAIN_WEIGHTS[Domain(g.key)] for g in domains)
        for g in domains:
            for q in by_domain[g.key]:
                weight[q.id] = DOMAIN_WEIGHTS[Domain(g.key)] / total / g.questions
        figure = sum(DOMAIN_WEIGHTS[Domain(g.key)] / total * g.readiness for g in domains)
    else:
        weight = {q.id: 1 / len(bank) for q in bank} if bank else {}
        figure = sum(p.values()) / len(bank) if bank else 0.0
    gain = {t: sum((1 - p[q.id]) * weight.get(q.id, 0.0) for q in qs) for t, qs in by_topic.items()}
    study_next = [t for t in sorted(gain, key=lambda t: (-gain[t], order.get(t, 0))) if gain[t] > 0][:3]
    days_left = (exam_date - today).days if exam_date is not None and today is not None else None
    return Readiness(user_id, figure, domains, topics, study_next, kinds, len(cards), exam_date, days_left)
