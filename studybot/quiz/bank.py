"""Quiz rules, pure: choosing the day's question, shuffling its options, judging answers."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from studybot.lookup import KnowledgeBase, Question
from studybot.text import jamo, squash, words
from studybot.vocab import QuestionType


def choice_order(question: Question, rng: random.Random) -> list[int]:
    """Shuffled option indexes (true/false keeps O, X; short answers have none). A daily post
    stores its order; a practice or review question stores it behind an opaque token."""
    if question.type not in (QuestionType.CHOICE, QuestionType.MULTI):
        return list(range(len(question.choices)))
    order = list(range(len(question.options)))
    rng.shuffle(order)
    return order


PLAYABLE = frozenset(QuestionType)


def playable(kb: KnowledgeBase, extra: Iterable[Question] = ()) -> list[Question]:
    """The questions the quiz serves (every type: choice, true/false, short, multi), by id: the
    shipped bank and ``extra`` (a guild's approved member questions; a shipped question of the
    same id wins)."""
    pool = {q.id: q for q in extra}
    pool.update(kb.questions)
    return sorted((q for q in pool.values() if q.type in PLAYABLE), key=lambda q: q.id)


def pick_question(
    kb: KnowledgeBase, used: list[tuple[str, str]], rng: random.Random, extra: Iterable[Question] = ()
) -> Question:
    """No repeat until the bank is exhausted; topics take turns in proportion to their size."""
    bank = playable(kb, extra)
    cycle_len = len(used) % len(bank)
    cycle = used[len(used) - cycle_len :] if cycle_len else []
    seen = {qid for qid, _ in cycle}
    fresh = [q for q in bank if q.id not in seen] or bank
    size = Counter(q.topic_id for q in bank)
    asked = Counter(topic for _, topic in cycle)
    by_topic: dict[str, list[Question]] = {}
    for q in fresh:
        by_topic.setdefault(q.topic_id, []).append(q)
    topic = min(by_topic, key=lambda t: ((asked[t] + 1) / size[t], rng.random()))
    return rng.choice(by_topic[topic])


def judge_short(answer: str, accepted: tuple[str, ...]) -> bool:
    """Forgiving of case, spacing, particles and a small typo; never of a different term.

    Terms with digits must match exactly (``sc1`` is not ``st1``), short terms too; longer ones
    may differ by one jamo or letter per six.
    """
    given = squash(answer)
    if not given:
        return False
    candidates = {given}
    parts = words(answer)
    candidates.update(jamo(w) for w in parts)
    candidates.update(jamo(a + b) for a, b in pairwise(parts))
    for target in (squash(a) for a in accepted):
        for cand in candidates:
            if cand == target:
                return True
            if any(c.isdigit() for c in target) or len(target) < 5:
                continue
            if Levenshtein.distance(cand, target) <= len(target) // 6:
                return True
    return False


def is_correct(question: Question, choice: str) -> bool:
    if question.type is QuestionType.SHORT:
        return judge_short(choice, question.accepted)
    return choice == question.correct_choice


@dataclass(frozen=True)
class Shown:
    """A question as a member sees it: the options in this post's order."""

    post_id: int | None
    question: Question
    choices: tuple[str, ...]
    token: str = ""  # a practice or review question: the opaque id its order is stored under

    @property
    def is_short(self) -> bool:
        return self.question.type is QuestionType.SHORT

    @property
    def is_multi(self) -> bool:
        return self.question.type is QuestionType.MULTI

    @property
    def needed(self) -> int:
        """How many options a multi-response answer picks (every correct one)."""
        return len(self.question.answers)


def present(
    question: Question, order: list[int] | tuple[int, ...], post_id: int | None = None, token: str = ""
) -> Shown:
    choices = tuple(question.choices[i] for i in order) if question.type is not QuestionType.SHORT else ()
    return Shown(post_id, question, choices, token)


def valid_order(question: Question, order: Sequence[int]) -> bool:
    """Whether a stored order still fits the question (a reload may have changed its options)."""
    return sorted(order) == list(range(len(question.choices)))
