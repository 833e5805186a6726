"""Multiple-response questions, pure rules: a member picks exactly as many options as are correct
and is right only when the picked set equals the correct set (all or nothing, like the exam).

A daily answer stores the picked set in the ``answers.choice`` text column (one row per member per
post, so the unique constraint keeps meaning "one answer"): the authored indexes of the picked
options, sorted, joined by commas (``"1,3,4"``). The post's stored question (its snapshot) turns
them back into options, so the encoding never depends on how long the options are, on the order
they were shown in, or on the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from studybot.lookup import Question
from studybot.vocab import AnswerStatus, QuestionType


def needed(question: Question) -> int:
    """How many options a member must pick: every correct one."""
    return len(question.answers)


def judge(question: Question, picked: Collection[str]) -> bool:
    """All or nothing: exactly the correct options, no more, no fewer, no repeats."""
    return len(picked) == len(set(picked)) and set(picked) == set(question.answers)


def check_picks(question: Question, positions: Sequence[int], shown: int) -> AnswerStatus | None:
    """Why shown positions are not a valid pick (None when they are): each a shown option, no
    repeats, exactly as many as the question has correct options."""
    if question.type is not QuestionType.MULTI:
        return AnswerStatus.INVALID
    if any(not 0 <= p < shown for p in positions) or len(set(positions)) != len(positions):
        return AnswerStatus.INVALID
    if len(positions) != needed(question):
        return AnswerStatus.WRONG_COUNT
    return None


def encode(question: Question, picked: Iterable[str]) -> str:
    """The stored form of a picked set: sorted authored indexes, ``"1,3"``."""
    return ",".join(str(i) for i in sorted({question.options.index(p) for p in picked}))


def decode(question: Question, stored: str) -> tuple[str, ...]:
    """The options of a stored set, in authored order (parts that name no option are dropped)."""
    out = []
    for part in stored.split(","):
        if part.isdigit() and int(part) < len(question.options):
            out.append(question.options[int(part)])
    return tuple(dict.fromkeys(out))


def option_counts(question: Question, distribution: Mapping[str, int]) -> dict[str, int]:
    """How many members picked each option, from the stored sets and their member counts."""
    counts: Counter[str] = Counter({option: 0 for option in question.options})
    for stored, members in distribution.items():
        for option in decode(question, stored):
            counts[option] += members
    return dict(counts)
