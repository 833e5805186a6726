"""How a test member answers a shown daily question right or wrong, whatever its type."""

from __future__ import annotations

from typing import Any

from studybot.quiz import Shown


def answer_kwargs(shown: Shown, right: bool) -> dict[str, Any]:
    """Keyword arguments for ``QuizService.answer``: typed text, a shown position, or (multi) shown positions."""
    q = shown.question
    if shown.is_short:
        return {"text": q.accepted[0] if right else "전혀 다른 답"}
    correct = [i for i, c in enumerate(shown.choices) if c in q.correct_choices]
    if shown.is_multi:
        wrong = [i for i in range(len(shown.choices)) if i not in correct]
        return {"picks": correct if right else sorted(correct[1:] + wrong[:1])}
    good = correct[0]
    return {"index": good if right else (good + 1) % len(shown.choices)}


def any_kwargs(shown: Shown, n: int) -> dict[str, Any]:
    """A valid answer that varies with ``n`` (a crowd clicking): a position, or for multi as many as needed."""
    if shown.is_short:
        return {"text": "오답" if n % 2 else "sc1"}
    size = len(shown.choices)
    if shown.is_multi:
        return {"picks": sorted({(n + k) % size for k in range(shown.needed)})}
    return {"index": n % size}
