"""Questions leaving and entering the bot, pure: a member's missed questions as an Anki deck
(``genanki``) and a spreadsheet-safe CSV, a guild's approved questions as bank YAML (what
``bot.py check`` loads), and a CSV of questions turned into bank YAML with every row checked.

Anki ids are stable, so importing a newer export updates the deck instead of doubling it: the
model id is a constant, the deck id comes from the guild, each note's guid from the question."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki
import yaml

from studybot.community.forms import QuestionForm, lines_of, to_mapping
from studybot.lookup import KnowledgeBase, Problem, Question, validate_question
from studybot.messages import t
from studybot.text import spreadsheet_safe
from studybot.vocab import QuestionType

ANKI_MODEL_ID = 1_733_050_112  # never change: Anki recognises the note type by it
CSV_COLUMNS = ("front", "back", "section", "topic")
LETTERS = "ABCDEF"
IMPORT_COLUMNS = (
    "id",
    "section",
    "type",
    "domain",
    "difficulty",
    "source",
    "prompt",
    "options",
    "answer",
    "explanation",
)
REQUIRED_COLUMNS = ("section", "prompt", "answer", "explanation")
OPTION_SPLIT = re.compile(r"\s*\|\s*|\n")
MAX_CSV_BYTES = 1 << 20


@dataclass(frozen=True)
class Card:
    """One exported card: what the front and the back say, and where it comes from."""

    question_id: str
    front: str
    back: str
    section: str
    topic: str


def card_of(question: Question, kb: KnowledgeBase) -> Card:
    front = [question.prompt]
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        front += [f"{LETTERS[i]}. {option}" for i, option in enumerate(question.options)]
    elif question.type is QuestionType.TRUEFALSE:
        front.append("O / X")
    if question.type is QuestionType.SHORT:
        answer = " / ".join(question.accepted[:3])
    else:
        answer = ", ".join(question.correct_choices)
    back = [t("community.card_answer", answer=answer), "", question.explanation]
    if question.source:
        back += ["", question.source]
    sid = question.section_ids[0] if question.section_ids else ""
    section = kb.sections[sid].title if sid in kb.sections else sid
    return Card(question.id, "\n".join(front), "\n".join(back), section, kb.topic_title(question.topic_id))


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def deck_id(guild_id: int) -> int:
    """A guild's deck id, the same on every export (below 2**63, as Anki wants)."""
    return int.from_bytes(hashlib.sha256(f"studybot-deck:{guild_id}".encode()).digest()[:8], "big") >> 2


MODEL = genanki.Model(
    ANKI_MODEL_ID,
    "StudyBot question",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Section"}, {"name": "Topic"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<br><br><small>{{Topic}} › {{Section}}</small>',
        }
    ],
)


def apkg(cards: list[Card], guild_id: int, deck_name: str) -> bytes:
    """The cards as an Anki package (a zip holding a SQLite collection). Blocking: run it in a thread."""
    deck = genanki.Deck(deck_id(guild_id), deck_name)
    for card in cards:
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[_html(card.front), _html(card.back), html.escape(card.section), html.escape(card.topic)],
                guid=genanki.guid_for("studybot", guild_id, card.question_id),
            )
        )
    fd, name = tempfile.mkstemp(suffix=".apkg")
    os.close(fd)
    try:
        genanki.Package(deck).write_to_file(name)
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


def cards_csv(cards: list[Card]) -> str:
    """front, back, section, topic; no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        writer.writerow([spreadsheet_safe(x) for x in (card.front, card.back, card.section, card.topic)])
    return out.getvalue()


# -- bank YAML --------------------------------------------------------------------------------


def question_mapping(question: Question) -> dict:
    """A question as the bank writes it (the keys in the order of the format's example)."""
    data: dict = {
        "id": question.id,
        "sections": list(question.section_ids),
        "type": str(question.type),
        "difficulty": question.difficulty,
        "domain": str(question.domain) if question.domain else None,
        "source": question.source,
        "prompt": question.prompt,
    }
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        data["options"] = list(question.options)
    if question.type is QuestionType.MULTI:
        data["answers"] = list(question.answers)
    elif question.type is QuestionType.SHORT:
        data["answer"] = question.accepted[0] if question.accepted else question.answer
        data["accepted"] = list(question.accepted[1:]) or list(question.accepted)
    else:
        data["answer"] = question.answer
    data["explanation"] = question.explanation
    return {k: v for k, v in data.items() if v is not None}


class _BankDumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks, like the hand-written bank."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BankDumper.add_representer(str, _text)


def bank_yaml(questions: list[Question], header: str = "") -> str:
    body = yaml.dump(
        {"questions": [question_mapping(q) for q in questions]},
        Dumper=_BankDumper,
        allow_unicode=True,
        sort_keys=False,
        width=120,
    )
    return (header + "\n" if header else "") + body


# -- CSV into the bank ------------------------------------------------------------------------


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: UTF-8 (a BOM or none), UTF-16 with its BOM
    (Excel's "Unicode text"), or CP949 (Excel's Korean CSV). Raises ValueError otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return raw.decode("cp949"), "CP949"
    except UnicodeDecodeError:
        raise ValueError(t("community.csv_encoding", byte=first_bad)) from None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:30] or "csv"


def csv_questions(name: str, raw: bytes, kb: KnowledgeBase) -> tuple[list[Question], list[Problem]]:
    """Every row of a CSV of questions, checked by the bank's rules: the questions, or every
    problem as ``FILE:line: column: message`` (the line where the row starts). Nothing is
    returned when anything is wrong, so an import is all or nothing."""
    problems: list[Problem] = []
    if len(raw) > MAX_CSV_BYTES:
        return [], [Problem(name, 1, "(file)", t("knowledge.too_big", size=len(raw), limit=MAX_CSV_BYTES))]
    try:
        text, _encoding = decode_csv(raw)
    except ValueError as exc:
        return [], [Problem(name, 1, "(file)", str(exc))]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [Problem(name, 1, "(file)", t("community.csv_empty"))]
    except csv.Error as exc:
        return [], [Problem(name, 1, "(csv)", str(exc))]
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    missing = [h for h in REQUIRED_COLUMNS if h not in header]
    if unknown or missing or len(set(header)) != len(header):
        message = t(
            "community.csv_header",
            unknown=", ".join(unknown) or "-",
            missing=", ".join(missing) or "-",
            allowed=", ".join(IMPORT_COLUMNS),
        )
        return [], [Problem(name, 1, "(header)", message)]
    questions: list[Question] = []
    seen: dict[str, int] = {}
    stem = _slug(Path(name).stem)
    start = reader.line_num + 1
    row_number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, start, "(csv)", str(exc)))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        row_number += 1
        if len(row) != len(header):
            problems.append(Problem(name, line, "(row)", t("community.csv_cells", count=len(row), want=len(header))))
            continue
        cells = dict(zip(header, row, strict=True))
        question, row_problems = _row_question(cells, name, line, kb, f"q-{stem}-{row_number:03d}")
        for p in row_problems:  # the bank's field names become the file's column names
            column = "section" if p.field.startswith("sections") else re.sub(r"\[\d+\]$", "", p.field)
            problems.append(Problem(p.file, p.line, column, p.message))
        if question is None:
            continue
        if question.id in kb.questions or question.id in seen:
            first = f"{name}:{seen[question.id]}" if question.id in seen else t("community.csv_in_bank")
            problems.append(Problem(name, line, "id", t("community.csv_duplicate_id", id=question.id, first=first)))
            continue
        seen[question.id] = line
        questions.append(question)
    if not problems and not questions:
        problems.append(Problem(name, 1, "(file)", t("community.csv_empty")))
    return ([] if problems else questions), problems


def _row_question(
    cells: dict[str, str], name: str, line: int, kb: KnowledgeBase, default_id: str
) -> tuple[Question | None, list[Problem]]:
    options = cells.get("options", "")
    qtype = cells.get("type", "").strip().lower()
    if not qtype:
        qtype = str(QuestionType.CHOICE) if options.strip() else str(QuestionType.TRUEFALSE)
    difficulty_text = cells.get("difficulty", "").strip() or "2"
    form = QuestionForm(
        section_id=cells.get("section", "").strip(),
        type=qtype,
        domain=cells.get("domain", "").strip(),
        difficulty=int(difficulty_text) if difficulty_text.isdigit() else 0,
        prompt=cells.get("prompt", ""),
        options="\n".join(lines_of("\n".join(OPTION_SPLIT.split(options)))),
        answer="\n".join(OPTION_SPLIT.split(cells.get("answer", "")))
        if qtype == QuestionType.MULTI
        else cells.get("answer", ""),
        explanation=cells.get("explanation", ""),
        source=cells.get("source", ""),
    )
    data = to_mapping(form)
    sections = [x for x in OPTION_SPLIT.split(cells.get("section", "")) if x.strip()]
    data["sections"] = [x.strip() for x in sections] or data["sections"]  # "a|b": a question on two sections
    data["id"] = cells.get("id", "").strip() or default_id
    return validate_question(data, kb.sections, name=name, line=line)
