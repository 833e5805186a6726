"""Load and validate the YAML knowledge base.

Data is read with ``yaml.safe_load``; line numbers for error messages come from ``yaml.compose``
(which builds only the node tree, never Python objects), so every mistake is reported as
``file:line: field: message``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from studybot.vocab import QuestionType

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ``iam.draft.yaml``, ``iam.draft-2.yaml``: what ``bot.py import`` wrote beside an existing file, to review
DRAFT_FILE_RE = re.compile(r"\.draft(?:-\d+)?\.ya?ml$")
BODY_MAX = 3500
QUESTION_TYPES = tuple(QuestionType)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str
    topic_id: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source: str = ""
    draft: bool = False  # a stub the author still has to write: loaded and checked, never answered


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    subject_id: str
    week: int
    order: int
    section_ids: tuple[str, ...]


@dataclass(frozen=True)
class Subject:
    id: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    section_ids: tuple[str, ...]
    type: QuestionType
    difficulty: int
    prompt: str
    explanation: str
    topic_id: str
    options: tuple[str, ...] = ()
    answer: str | bool | None = None
    accepted: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """What a member can pick: the options, or O/X for a true/false question."""
        if self.type is QuestionType.TRUEFALSE:
            return ("O", "X")
        return self.options

    @property
    def correct_choice(self) -> str | None:
        if self.type is QuestionType.TRUEFALSE:
            return "O" if self.answer else "X"
        if self.type is QuestionType.CHOICE:
            return str(self.answer)
        return None

    def to_json(self) -> str:
        """The question as stored with a post (it reveals even after leaving the bank)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Question:
        data = json.loads(text)
        for key in ("section_ids", "options", "accepted"):
            data[key] = tuple(data.get(key) or ())
        data["type"] = QuestionType(data["type"])
        return cls(**data)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class KnowledgeBase:
    subjects: dict[str, Subject] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)

    def topic_title(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.title if topic else topic_id

    def topic_of(self, section_id: str) -> Topic:
        return self.topics[self.sections[section_id].topic_id]

    def path(self, section_id: str) -> str:
        """``AWS Solutions Architect Associate › EFS › EFS 처리량 모드``."""
        topic = self.topic_of(section_id)
        subject = self.subjects[topic.subject_id]
        return f"{subject.title} › {topic.title} › {self.sections[section_id].title}"

    def ordered_sections(self) -> list[Section]:
        topics = sorted(self.topics.values(), key=lambda t: (t.subject_id, t.order, t.id))
        return [self.sections[s] for t in topics for s in t.section_ids]


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class _Doc:
    """One YAML file: its data and a way to find the line of any field path."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]):
        self.name = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
        self.problems = problems
        self.data: Any = None
        self.node: yaml.Node | None = None
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.error(1, "(file)", f"UTF-8이 아닌 파일입니다 (byte {exc.start})")
            return
        try:
            self.data = yaml.safe_load(text)
            self.node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(line, "(yaml)", f"YAML 문법 오류: {problem}")
            self.data = None

    def error(self, line: int, field_: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field_, message))

    def line(self, *path: str | int) -> int:
        node = self.node
        for key in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == key), node)
                if node is None:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                break
        return node.start_mark.line + 1 if node is not None else 1


def _label(*path: str | int) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


class _Checker:
    """Typed field access that records a Problem instead of raising."""

    def __init__(self, doc: _Doc):
        self.doc = doc

    def fail(self, path: tuple[str | int, ...], message: str) -> None:
        self.doc.error(self.doc.line(*path), _label(*path), message)

    def text(self, obj: dict, path: tuple[str | int, ...], *, required: bool = True, max_len: int = 0) -> str:
        value = obj.get(path[-1])
        if value is None:
            if required:
                self.fail(path, "필수 항목이 없습니다")
            return ""
        if not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            else:
                self.fail(path, f"문자열이어야 합니다 (지금: {type(value).__name__})")
                return ""
        if required and not value.strip():
            self.fail(path, "비어 있습니다")
        if max_len and len(value) > max_len:
            self.fail(path, f"{max_len}자 이하여야 합니다 (지금 {len(value)}자)")
        return value.strip()

    def ident(self, obj: dict, path: tuple[str | int, ...]) -> str:
        value = self.text(obj, path)
        if value and not ID_RE.match(value):
            self.fail(path, f"id '{value}'는 소문자, 숫자, '-'만 쓸 수 있습니다")
        return value

    def strings(self, obj: dict, path: tuple[str | int, ...], *, required: bool = False) -> tuple[str, ...]:
        value = obj.get(path[-1])
        if value is None:
            if required:
                self.fail(path, "필수 항목이 없습니다")
            return ()
        if not isinstance(value, list):
            self.fail(path, "목록이어야 합니다")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.fail((*path, i), "비어 있지 않은 문자열이어야 합니다")
            else:
                out.append(str(item).strip())
        if required and not out:
            self.fail(path, "적어도 하나가 필요합니다")
        return tuple(out)

    def flag(self, obj: dict, path: tuple[str | int, ...]) -> bool:
        value = obj.get(path[-1], False)
        if not isinstance(value, bool):
            self.fail(path, "true 또는 false여야 합니다")
            return False
        return value

    def integer(self, obj: dict, path: tuple[str | int, ...], default: int, lo: int, hi: int) -> int:
        value = obj.get(path[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.fail(path, f"{lo}~{hi} 사이의 정수여야 합니다")
            return default
        return value

    def mapping(self, obj: Any, path: tuple[str | int, ...]) -> dict | None:
        if not isinstance(obj, dict):
            self.fail(path, "매핑(key: value)이어야 합니다")
            return None
        return obj

    def sequence(self, obj: dict, path: tuple[str | int, ...]) -> list:
        value = obj.get(path[-1])
        if not isinstance(value, list):
            self.fail(path, "목록이어야 합니다" if value is not None else "필수 항목이 없습니다")
            return []
        return value


def load(root: Path | str) -> KnowledgeBase:
    """Load every subject under ``root``; raise KnowledgeError listing every problem found."""
    kb, problems = check(root)
    if problems:
        raise KnowledgeError(problems)
    return kb


def check(root: Path | str) -> tuple[KnowledgeBase, list[Problem]]:
    root = Path(root)
    kb = KnowledgeBase()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 1, "(folder)", "지식 폴더가 없습니다"))
        return kb, problems
    section_where: dict[str, tuple[_Doc, tuple]] = {}
    related_refs: list[tuple[_Doc, tuple, str]] = []
    question_refs: list[tuple[_Doc, tuple, str]] = []
    for subject_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        subject = _load_subject(subject_dir, root, kb, problems)
        if subject is None:
            continue
        for path in _data_files(subject_dir / "topics"):
            _load_topic(_Doc(path, root, problems), subject, kb, section_where, related_refs)
        for path in _data_files(subject_dir / "questions"):
            _load_questions(_Doc(path, root, problems), kb, question_refs)
        glossary = subject_dir / "glossary.yaml"
        if glossary.exists():
            _load_glossary(_Doc(glossary, root, problems), kb)
    for doc, field_path, ref in related_refs + question_refs:
        if ref not in kb.sections:
            doc.error(doc.line(*field_path), _label(*field_path), f"없는 섹션 id '{ref}'를 가리킵니다")
    for qid, q in kb.questions.items():
        first = kb.sections.get(q.section_ids[0]) if q.section_ids else None
        kb.questions[qid] = replace(q, topic_id=first.topic_id if first else "")
    return kb, problems


def _data_files(folder: Path) -> list[Path]:
    """The YAML files of a folder, leaving out drafts waiting for review (``*.draft.yaml``)."""
    return sorted(p for p in folder.glob("*.y*ml") if not DRAFT_FILE_RE.search(p.name))


def draft_files(root: Path | str) -> list[Path]:
    """Drafts that ``bot.py import`` left beside existing files and that are not loaded yet."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*/*/*.y*ml") if DRAFT_FILE_RE.search(p.name))


def _load_subject(subject_dir: Path, root: Path, kb: KnowledgeBase, problems: list[Problem]) -> Subject | None:
    path = subject_dir / "subject.yaml"
    if not path.exists():
        problems.append(Problem(str(path.relative_to(root.parent)), 1, "(file)", "subject.yaml이 없습니다"))
        return None
    doc = _Doc(path, root, problems)
    c = _Checker(doc)
    data = c.mapping(doc.data, ("(document)",)) if doc.data is not None or not doc.problems else None
    if data is None:
        return None
    subject = Subject(id=c.ident(data, ("id",)), title=c.text(data, ("title",)))
    kb.subjects[subject.id] = subject
    return subject


def _root(doc: _Doc) -> tuple[_Checker, dict | None]:
    """The file's top-level mapping (None when it is missing or the YAML did not parse)."""
    c = _Checker(doc)
    if doc.data is None and doc.problems and doc.problems[-1].file == doc.name:
        return c, None
    return c, c.mapping(doc.data, ("(document)",))


def _load_topic(doc: _Doc, subject: Subject, kb: KnowledgeBase, where: dict, related_refs: list) -> None:
    c, data = _root(doc)
    if data is None:
        return
    meta = c.mapping(data.get("topic"), ("topic",))
    if meta is None:
        return
    topic_id = c.ident(meta, ("topic", "id"))
    title = c.text(meta, ("topic", "title"), max_len=100)
    week = c.integer(meta, ("topic", "week"), 1, 1, 52)
    order = c.integer(meta, ("topic", "order"), 0, 0, 10_000)
    if topic_id in kb.topics:
        c.fail(("topic", "id"), f"토픽 id '{topic_id}'가 중복됩니다")
    ids = []
    for i, raw in enumerate(c.sequence(data, ("sections",))):
        path = ("sections", i)
        sec = c.mapping(raw, path)
        if sec is None:
            continue
        unknown = set(sec) - {"id", "title", "body", "aliases", "keywords", "related", "source", "draft"}
        for key in sorted(unknown):
            c.fail((*path, key), "알 수 없는 항목입니다")
        section = Section(
            id=c.ident(sec, (*path, "id")),
            title=c.text(sec, (*path, "title"), max_len=200),
            body=c.text(sec, (*path, "body"), max_len=BODY_MAX),
            topic_id=topic_id,
            aliases=c.strings(sec, (*path, "aliases")),
            keywords=c.strings(sec, (*path, "keywords")),
            related=c.strings(sec, (*path, "related")),
            source=c.text(sec, (*path, "source"), required=False),
            draft=c.flag(sec, (*path, "draft")),
        )
        if not section.id:
            continue
        if section.id in where:
            other, other_path = where[section.id]
            c.fail((*path, "id"), f"섹션 id '{section.id}'가 중복됩니다 (처음: {other.name}:{other.line(*other_path)})")
            continue
        where[section.id] = (doc, (*path, "id"))
        related_refs.extend((doc, (*path, "related", j), r) for j, r in enumerate(section.related))
        kb.sections[section.id] = section
        ids.append(section.id)
    if topic_id and topic_id not in kb.topics:
        kb.topics[topic_id] = Topic(topic_id, title, subject.id, week, order, tuple(ids))


def _load_questions(doc: _Doc, kb: KnowledgeBase, refs: list) -> None:
    c, data = _root(doc)
    if data is None:
        return
    for i, raw in enumerate(c.sequence(data, ("questions",))):
        path = ("questions", i)
        q = c.mapping(raw, path)
        if q is None:
            continue
        qid = c.ident(q, (*path, "id"))
        qtype = c.text(q, (*path, "type"))
        if qtype and qtype not in QUESTION_TYPES:
            c.fail((*path, "type"), f"type은 {', '.join(QUESTION_TYPES)} 중 하나여야 합니다")
        sections = c.strings(q, (*path, "sections"), required=True)
        refs.extend((doc, (*path, "sections", j), s) for j, s in enumerate(sections))
        options: tuple[str, ...] = ()
        accepted: tuple[str, ...] = ()
        answer: str | bool | None = None
        if qtype == "choice":
            options = c.strings(q, (*path, "options"), required=True)
            if options and not 2 <= len(options) <= 5:
                c.fail((*path, "options"), f"보기는 2~5개여야 합니다 (지금 {len(options)}개)")
            if len(set(options)) != len(options):
                c.fail((*path, "options"), "같은 보기가 두 번 있습니다")
            answer = c.text(q, (*path, "answer"))
            if answer and options and answer not in options:
                c.fail((*path, "answer"), "정답이 options 중 하나와 글자 그대로 같아야 합니다")
        elif qtype == "truefalse":
            answer = q.get("answer")
            if not isinstance(answer, bool):
                c.fail((*path, "answer"), "true 또는 false여야 합니다")
        elif qtype == "short":
            accepted = c.strings(q, (*path, "accepted"), required=True)
        question = Question(
            id=qid,
            section_ids=sections,
            type=QuestionType(qtype) if qtype in QUESTION_TYPES else QuestionType.CHOICE,
            difficulty=c.integer(q, (*path, "difficulty"), 2, 1, 3),
            prompt=c.text(q, (*path, "prompt"), max_len=1500),
            explanation=c.text(q, (*path, "explanation"), max_len=1500),
            topic_id="",
            options=options,
            answer=answer,
            accepted=accepted,
        )
        if not qid:
            continue
        if qid in kb.questions:
            c.fail((*path, "id"), f"문제 id '{qid}'가 중복됩니다")
            continue
        kb.questions[qid] = question


def _load_glossary(doc: _Doc, kb: KnowledgeBase) -> None:
    c, data = _root(doc)
    if data is None:
        return
    for i, raw in enumerate(c.sequence(data, ("synonyms",))):
        group = c.strings({i: raw}, ("synonyms", i), required=True)
        if len(group) == 1:
            c.fail(("synonyms", i), "같은 뜻의 단어가 두 개 이상 있어야 합니다")
        elif group:
            kb.synonyms.append(group)
