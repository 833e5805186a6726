"""Quiz rules, pure: choosing the day's question, shuffling its options, judging answers."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from studybot.lookup import KnowledgeBase, Question
from studybot.text import jamo, squash, words
from studybot.vocab import QuestionType


def choice_order(question: Question, rng: random.Random) -> list[int]:
    """Shuffled option indexes for a post (true/false keeps O, X; short answers have none)."""
    if question.type is not QuestionType.CHOICE:
        return list(range(len(question.choices)))
    order = list(range(len(question.options)))
    rng.shuffle(order)
    return order


PLAYABLE = frozenset({QuestionType.CHOICE, QuestionType.TRUEFALSE, QuestionType.SHORT})


def playable(kb: KnowledgeBase, extra: Iterable[Question] = ()) -> list[Question]:
    """The questions the quiz can serve today, by id: the shipped bank and ``extra`` (a guild's
    approved member questions; a shipped question of the same id wins). Multi-response questions
    are validated and reported by ``check`` but wait for their select-menu answer (issue 10)."""
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

    @property
    def is_short(self) -> bool:
        return self.question.type is QuestionType.SHORT


def present(question: Question, order: list[int] | tuple[int, ...], post_id: int | None = None) -> Shown:
    choices = tuple(question.choices[i] for i in order) if question.type is not QuestionType.SHORT else ()
    return Shown(post_id, question, choices)
