"""A member's question as typed into a form (the Discord modal, a console line, a CSV row),
turned into the bank's mapping, pure. The rules and the messages are the bank's own
(``lookup.validate_question``): this module only reads what people type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybot.text import user_text
from studybot.vocab import QuestionType

TRUE_WORDS = frozenset({"o", "true", "참", "맞다", "맞음", "예", "yes", "t", "1"})
FALSE_WORDS = frozenset({"x", "false", "거짓", "틀리다", "틀림", "아니오", "no", "f", "0"})
LETTERS = "ABCDEF"
SPLIT_ANSWERS = re.compile(r"[\n,]")

# what the modal allows, kept at the bank's own limits (Discord enforces them as max_length)
PROMPT_MAX = 1500
EXPLANATION_MAX = 1500
OPTIONS_MAX = 1200
ANSWER_MAX = 300
SOURCE_MAX = 500


@dataclass(frozen=True)
class QuestionForm:
    """What a member typed: one text per modal field, and the choices made before it opened."""

    section_id: str
    type: str
    domain: str
    difficulty: int
    prompt: str
    options: str  # one option per line (choice, multi); accepted answers per line (short)
    answer: str  # the correct option (its text, letter or number), O/X, or the short answer
    explanation: str
    source: str


KEEP = 20_000  # never cut what was typed: an overlong field is the validator's to report


def _clean(text: str) -> str:
    """A member's text with NUL and control characters removed, lines kept."""
    return user_text(text, KEEP)


def lines_of(text: str) -> list[str]:
    return [line for line in (user_text(x, KEEP) for x in (text or "").splitlines()) if line]


def _pick(answer: str, options: list[str]) -> str:
    """An option named by its text, its letter (A-F) or its number (1-6)."""
    if answer in options or not options:
        return answer
    key = answer.strip().rstrip(".)").strip()
    if len(key) == 1 and key.upper() in LETTERS[: len(options)]:
        return options[LETTERS.index(key.upper())]
    if key.isdigit() and 1 <= int(key) <= len(options):
        return options[int(key) - 1]
    return answer


def _letter(answer: str, options: list[str]) -> str:
    """An option's letter (``C``), or the text itself when it is not one of the options."""
    return LETTERS[options.index(answer)] if answer in options and options.index(answer) < len(LETTERS) else answer


def to_mapping(form: QuestionForm) -> dict:
    """The bank's mapping of a form (``validate_question`` then says what is wrong with it)."""
    qtype = form.type
    data: dict = {
        "sections": [form.section_id],
        "type": qtype,
        "domain": form.domain,
        "difficulty": form.difficulty,
        "source": user_text(form.source, KEEP),
        "prompt": _clean(form.prompt),
    }
    answer = user_text(form.answer, KEEP)
    options = lines_of(form.options)
    if qtype == QuestionType.CHOICE:
        data["options"] = options
        data["answer"] = _pick(answer, options)
    elif qtype == QuestionType.MULTI:
        data["options"] = options
        data["answers"] = [_pick(a.strip(), options) for a in SPLIT_ANSWERS.split(form.answer) if a.strip()]
    elif qtype == QuestionType.TRUEFALSE:
        word = answer.lower()
        data["answer"] = True if word in TRUE_WORDS else False if word in FALSE_WORDS else answer
    else:  # short: the canonical answer, and what else counts (one per line)
        data["answer"] = answer
        data["accepted"] = [a for a in options if a != answer] or [answer]
    data["explanation"] = _clean(form.explanation)
    return data


def to_form(data: dict) -> QuestionForm:
    """The texts a form shows for a stored mapping (the moderator's Edit modal)."""
    qtype = str(data.get("type", ""))
    options = list(data.get("options") or [])
    if qtype == QuestionType.MULTI:
        # the answer input is one line of at most ANSWER_MAX characters: the options' letters
        # (what the form accepts), never their texts joined by newlines
        answer = ", ".join(_letter(a, options) for a in data.get("answers") or [])
    elif qtype == QuestionType.TRUEFALSE:
        answer = "O" if data.get("answer") is True else "X" if data.get("answer") is False else str(data.get("answer"))
    else:
        answer = str(data.get("answer") or "")
        if qtype == QuestionType.CHOICE and (len(answer) > ANSWER_MAX or "\n" in answer):
            answer = _letter(answer, options)
    if qtype == QuestionType.SHORT:
        options = [a for a in data.get("accepted") or [] if a != answer]
    sections = data.get("sections") or [""]
    return QuestionForm(
        section_id=str(sections[0]),
        type=qtype,
        domain=str(data.get("domain", "")),
        difficulty=int(data.get("difficulty") or 2),
        prompt=str(data.get("prompt", "")),
        options="\n".join(options),
        answer=answer,
        explanation=str(data.get("explanation", "")),
        source=str(data.get("source", "")),
    )
