"""Mock-exam rules, pure: how many questions, which ones (the exam's domain weights, unseen
first), judging (multiple response all-or-nothing) and the estimated scaled score."""

from __future__ import annotations

import random
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from studybot.lookup import KnowledgeBase, Question
from studybot.vocab import DOMAIN_WEIGHTS, Domain, QuestionType

EXAM_MAX_QUESTIONS = 65  # the real SAA-C03: 65 questions in 130 minutes
MINUTES_PER_QUESTION = 2
QUESTIONS_PER_WEEK = 20  # the default exam grows with the bank: 20 for week 1, 40 for two weeks, ...
EXAM_MAX_MINUTES = EXAM_MAX_QUESTIONS * MINUTES_PER_QUESTION
EXAMINABLE = frozenset({QuestionType.CHOICE, QuestionType.TRUEFALSE, QuestionType.MULTI})
PASS_SCALED = 720  # the real exam's passing scaled score
PASS_SHARE = 0.70  # assumed share of right answers that scales to 720 (AWS does not publish it)
SCALE_MIN, SCALE_MAX = 100, 1000


def examinable(kb: KnowledgeBase, extra: Iterable[Question] = ()) -> list[Question]:
    """The questions an exam can serve (no short answers: the real exam has none), by id: the
    shipped bank and ``extra`` (a guild's approved member questions; a shipped id wins)."""
    pool = {q.id: q for q in extra}
    pool.update(kb.questions)
    return sorted((q for q in pool.values() if q.type in EXAMINABLE), key=lambda q: q.id)


def default_questions(kb: KnowledgeBase, pool: list[Question] | None = None) -> int:
    """20 questions per week of the bank's topics, at most 65 and at most the bank (``pool``:
    what the exam draws from, the shipped bank by default)."""
    pool = examinable(kb) if pool is None else pool
    weeks = {kb.topics[q.topic_id].week for q in pool if q.topic_id in kb.topics} or {1}
    return min(EXAM_MAX_QUESTIONS, QUESTIONS_PER_WEEK * len(weeks), len(pool))


def max_questions(kb: KnowledgeBase, pool: list[Question] | None = None) -> int:
    return min(EXAM_MAX_QUESTIONS, len(examinable(kb) if pool is None else pool))


def quotas(n: int, weights: Mapping[Hashable, float], available: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """``n`` split by ``weights`` (largest remainder), never more than a group has; what a group
    cannot take goes to the others in proportion to their weights."""
    out = {g: 0 for g in weights}
    left = min(n, sum(available.get(g, 0) for g in weights))
    while left > 0:
        open_ = {g: w for g, w in weights.items() if available.get(g, 0) > out[g] and w > 0}
        if not open_:
            break
        total = sum(open_.values())
        shares = {g: left * w / total for g, w in open_.items()}
        whole = {g: min(int(s), available[g] - out[g]) for g, s in shares.items()}
        given = sum(whole.values())
        if given < left:
            # the largest remainders get one more (ties: the heavier weight, then the group's order)
            order = sorted(open_, key=lambda g: (-(shares[g] - int(shares[g])), -open_[g]))
            for g in order:
                if given >= left:
                    break
                if available[g] - out[g] - whole[g] > 0:
                    whole[g] += 1
                    given += 1
        if given == 0:
            break
        for g, k in whole.items():
            out[g] += k
        left -= given
    return out


def _spread(questions: list[Question], rng: random.Random) -> list[Question]:
    """The questions in an order that takes the topics in turn (each topic's own order random)."""
    by_topic: dict[str, list[Question]] = {}
    for q in questions:
        by_topic.setdefault(q.topic_id, []).append(q)
    for qs in by_topic.values():
        rng.shuffle(qs)
    topics = sorted(by_topic)
    rng.shuffle(topics)
    out: list[Question] = []
    while any(by_topic.values()):
        for topic in topics:
            if by_topic[topic]:
                out.append(by_topic[topic].pop())
    return out


def draw(pool: Iterable[Question], n: int, seen: Collection[str], rng: random.Random) -> list[Question]:
    """``n`` different questions following the exam's domain weights (30/26/24/20), questions the
    member has not seen first, the topics taken in turn inside a domain; shuffled. Questions
    without a domain fill in when a domain runs short; a bank without domains is drawn by topic,
    in proportion to each topic's size."""
    pool = list(pool)
    groups: dict[Hashable, list[Question]] = {}
    if any(q.domain for q in pool):
        weights: dict[Hashable, float] = {d: float(w) for d, w in DOMAIN_WEIGHTS.items()}
        for q in pool:
            groups.setdefault(q.domain, []).append(q)
        weights[None] = 0.0  # no domain: only a filler
    else:
        for q in pool:
            groups.setdefault(q.topic_id, []).append(q)
        weights = {topic: float(len(qs)) for topic, qs in groups.items()}
    available = {g: len(qs) for g, qs in groups.items()}
    counts = quotas(n, weights, available)
    short = min(n, len(pool)) - sum(counts.values())
    if short > 0 and None in groups:  # the domains ran out: questions without one fill the rest
        counts[None] = min(short, available[None])
    chosen: list[Question] = []
    for group in sorted(groups, key=str):
        qs = groups[group]
        fresh = [q for q in qs if q.id not in seen]
        old = [q for q in qs if q.id in seen]
        chosen += (_spread(fresh, rng) + _spread(old, rng))[: counts.get(group, 0)]
    rng.shuffle(chosen)
    return chosen


def option_order(question: Question, rng: random.Random) -> list[int]:
    """Shuffled option indexes (true/false keeps O, X)."""
    order = list(range(len(question.choices)))
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        rng.shuffle(order)
    return order


def picks(question: Question) -> int:
    """How many options the member picks: the number of correct ones (the real exam says it)."""
    return len(question.correct_choices)


def judge(question: Question, chosen: Collection[str]) -> bool:
    """Right only when exactly the correct options are chosen (multiple response: all or nothing)."""
    correct = set(question.correct_choices)
    return bool(correct) and len(chosen) == len(correct) and set(chosen) == correct


def scaled_score(correct: int, total: int) -> int:
    """An estimate of the exam's 100-1000 scaled score: linear from 100 (none right) to 720 at 70%
    right, then to 1000 (all right). AWS scales with unpublished per-form equating, so this is
    only an estimate."""
    if total <= 0:
        return SCALE_MIN
    share = min(max(correct / total, 0.0), 1.0)
    if share <= PASS_SHARE:
        value = SCALE_MIN + (PASS_SCALED - SCALE_MIN) * share / PASS_SHARE
    else:
        value = PASS_SCALED + (SCALE_MAX - PASS_SCALED) * (share - PASS_SHARE) / (1 - PASS_SHARE)
    return round(value)


def passed(scaled: int) -> bool:
    return scaled >= PASS_SCALED


@dataclass(frozen=True)
class Tally:
    """Right answers out of questions for one domain or topic."""

    key: str
    total: int
    correct: int

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0


def tally(pairs: Iterable[tuple[str, bool]], order: Iterable[str] = ()) -> list[Tally]:
    """(key, right?) pairs -> one Tally per key, keys of ``order`` first (in that order)."""
    counts: dict[str, list[int]] = {key: [0, 0] for key in order}
    for key, right in pairs:
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += int(right)
    return [Tally(k, n, c) for k, (n, c) in counts.items() if n]


def domain_label_order() -> list[str]:
    return [str(d) for d in Domain]
