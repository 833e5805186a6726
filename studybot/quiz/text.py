"""Words and lines of the quiz that both front ends (Discord and console) show."""

from __future__ import annotations

from studybot.messages import t
from studybot.quiz.bank import Shown
from studybot.quiz.service import AnswerOutcome, Reveal
from studybot.vocab import AnswerStatus, QuestionType, RevealMode

LABELS = "ABCDE"


def label(index: int, shown: Shown) -> str:
    return shown.choices[index] if shown.question.type is QuestionType.TRUEFALSE else LABELS[index]


def choice_lines(shown: Shown) -> list[str]:
    if shown.question.type is QuestionType.TRUEFALSE:
        return [t("quiz.true_line"), t("quiz.false_line")]
    return [f"**{LABELS[i]}.** {c}" for i, c in enumerate(shown.choices)]


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
    if outcome.status is AnswerStatus.ALREADY:
        return t("quiz.already", choice=outcome.choice)
    if outcome.status in (AnswerStatus.CLOSED, AnswerStatus.MISSING, AnswerStatus.INVALID):
        return t(f"quiz.{outcome.status}")
    question = outcome.question
    assert question is not None
    if outcome.reveal_mode is not RevealMode.IMMEDIATE:
        return t("quiz.recorded", choice=outcome.choice)
    answer = question.correct_choice or " / ".join(question.accepted[:3])
    head = (
        t("quiz.right", choice=outcome.choice)
        if outcome.correct
        else t("quiz.wrong", choice=outcome.choice, answer=answer)
    )
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
        for i, choice in enumerate(reveal.choices):
            count = reveal.distribution.get(choice, 0)
            mark = " ✅" if choice == reveal.correct_choice else ""
            name = choice if reveal.question.type is QuestionType.TRUEFALSE else LABELS[i]
            lines.append(t("quiz.choice_count", name=name, count=count, share=100 * count // reveal.answered) + mark)
    lines.append(t("quiz.reveal_counts", answered=reveal.answered, right=reveal.right))
    return lines


def correct_label(reveal: Reveal) -> str:
    if reveal.question.type is QuestionType.CHOICE and reveal.correct_choice in reveal.choices:
        return f"{LABELS[reveal.choices.index(reveal.correct_choice)]}. {reveal.correct_choice}"
    return reveal.correct_choice
