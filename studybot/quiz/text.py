"""Words and lines of the quiz that both front ends (Discord and console) show."""

from __future__ import annotations

import re

from studybot.messages import t
from studybot.quiz import multi
from studybot.quiz.bank import Shown
from studybot.quiz.service import AnswerOutcome, Reveal
from studybot.vocab import AnswerStatus, QuestionType, RevealMode

LABELS = "ABCDEF"


def label(index: int, shown: Shown) -> str:
    return shown.choices[index] if shown.question.type is QuestionType.TRUEFALSE else LABELS[index]


def choice_lines(shown: Shown, *, hint: bool = True) -> list[str]:
    """The options as shown (``**A.** …``); a multi-response question adds how many to pick."""
    if shown.question.type is QuestionType.TRUEFALSE:
        return [t("quiz.true_line"), t("quiz.false_line")]
    lines = [f"**{LABELS[i]}.** {c}" for i, c in enumerate(shown.choices)]
    if shown.is_multi and hint:
        lines += ["", t("quiz.multi_hint", count=count_word(shown.needed))]
    return lines


def count_word(n: int) -> str:
    """``2`` -> ``두`` (as in "두 개를 고르시오"); digits beyond the words the catalogue has."""
    return t(f"quiz.count.{n}") if 1 <= n <= 6 else str(n)


def pick_names(picks: tuple[str, ...], shown: Shown | None) -> str:
    """Picked options by the letters the member saw, in letter order: ``B, D``."""
    if shown is None:
        return ", ".join(picks)
    positions = sorted(shown.choices.index(p) for p in picks if p in shown.choices)
    return ", ".join(LABELS[i] for i in positions)


def pick_example(shown: Shown) -> str:
    """How a typed multi-response answer looks, with as many letters as the question needs: ``b d``."""
    return " ".join(LABELS[1::2][: shown.needed].lower())


def picks_of(answer: str, shown: Shown) -> tuple[int, ...] | str:
    """Typed letters of a multi-response pick (``b d``, ``bd``, ``B, D``, ``2 4``) -> shown
    positions; a Korean sentence saying what is wrong when they are not a valid pick."""
    n, count = len(shown.choices), count_word(shown.needed)
    labels = f"{LABELS[0]}~{LABELS[n - 1]}"
    parts: list[str] = []
    for token in re.split(r"[\s,;/+·、]+", answer.strip().upper()):
        parts.extend(token if token.isascii() and token.isalnum() else [token] if token else [])
    if not parts:
        return t("quiz.multi_how", count=count, example=pick_example(shown))
    positions: list[int] = []
    for part in parts:
        if part in LABELS[:n]:
            index = LABELS.index(part)
        elif part.isdigit() and 1 <= int(part) <= n:
            index = int(part) - 1
        else:
            return t("quiz.multi_unknown", given=part[:20], labels=labels)
        if index in positions:
            return t("quiz.multi_twice", given=LABELS[index], count=count)
        positions.append(index)
    if len(positions) != shown.needed:
        return t("quiz.wrong_count", count=count)
    return tuple(positions)


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * (3 - difficulty)


def index_of(answer: str, shown: Shown) -> int | None:
    """``B`` / ``b`` / ``2`` / ``O`` -> the position of that choice; None if it is not one."""
    text = answer.strip().upper()
    if shown.question.type is QuestionType.TRUEFALSE:
        mapping = {"O": 0, "X": 1, "TRUE": 0, "FALSE": 1, "맞다": 0, "틀리다": 1}
        return mapping.get(text)
    if len(text) == 1 and text in LABELS[: len(shown.choices)]:
        return LABELS.index(text)
    if text.isdigit() and 1 <= int(text) <= len(shown.choices):
        return int(text) - 1
    return None


def feedback(outcome: AnswerOutcome) -> str:
    """The ephemeral reply to an answer."""
    question = outcome.question
    is_multi = question is not None and question.type is QuestionType.MULTI
    choice = pick_names(outcome.picks, outcome.shown) if is_multi else outcome.choice
    if outcome.status is AnswerStatus.ALREADY:
        return t("quiz.already", choice=choice)
    if outcome.status is AnswerStatus.WRONG_COUNT and question is not None:
        return t("quiz.wrong_count", count=count_word(multi.needed(question)))
    if outcome.status is not AnswerStatus.RECORDED:
        return t(f"quiz.{outcome.status}")
    assert question is not None
    if outcome.reveal_mode is not RevealMode.IMMEDIATE:
        return t("quiz.recorded", choice=choice)
    if is_multi:
        answer = pick_names(question.answers, outcome.shown)
    else:
        answer = question.correct_choice or " / ".join(question.accepted[:3])
    head = t("quiz.right", choice=choice) if outcome.correct else t("quiz.wrong", choice=choice, answer=answer)
    tail = "" if outcome.correct else "\n" + t("quiz.review_added")
    return f"{head}\n\n{t('quiz.explanation')}: {question.explanation}{tail}"


def distribution_lines(reveal: Reveal) -> list[str]:
    if not reveal.answered:
        return [t("quiz.reveal_none")]
    lines = []
    if reveal.question.type is QuestionType.SHORT:
        for choice, count in sorted(reveal.distribution.items(), key=lambda kv: -kv[1])[:5]:
            lines.append(t("quiz.short_count", choice=choice[:40], count=count))
    else:
        correct = set(reveal.correct_choices) or {reveal.correct_choice}
        for i, choice in enumerate(reveal.choices):
            count = reveal.distribution.get(choice, 0)
            mark = " ✅" if choice in correct else ""
            name = choice if reveal.question.type is QuestionType.TRUEFALSE else LABELS[i]
            lines.append(t("quiz.choice_count", name=name, count=count, share=100 * count // reveal.answered) + mark)
    lines.append(t("quiz.reveal_counts", answered=reveal.answered, right=reveal.right))
    return lines


def correct_label(reveal: Reveal) -> str:
    if reveal.question.type is QuestionType.MULTI:
        return "\n".join(f"{LABELS[i]}. {c}" for i, c in enumerate(reveal.choices) if c in reveal.correct_choices)
    if reveal.question.type is QuestionType.CHOICE and reveal.correct_choice in reveal.choices:
        return f"{LABELS[reveal.choices.index(reveal.correct_choice)]}. {reveal.correct_choice}"
    return reveal.correct_choice
