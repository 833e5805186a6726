"""Load and validate the YAML knowledge base.

Every file is read once and parsed once: libyaml's C parser (``yaml.CSafeLoader``; the pure-Python
``SafeLoader`` when libyaml is missing) composes the node tree, and ``_Builder`` constructs plain
Python data from it while checking its shape. Line numbers come from the nodes, looked up only
for what is reported, so every mistake is ``file:line: field: message``.

A knowledge file is written by a person and may be broken or hostile; none of these ever raises,
hangs or takes unbounded memory, each becomes a Problem instead:

* only regular files are opened (``os.stat`` first: a FIFO, a directory named ``x.yaml``, a device
  or a dangling symbolic link is reported, never opened), at most ``MAX_FILE_BYTES`` each;
* UTF-8 only (a UTF-16/32 byte-order mark is named as such);
* nesting at most ``MAX_DEPTH`` levels (checked while composing, before libyaml's recursion);
* keys are strings, each once per mapping; no merge keys (``<<``); at most ``MAX_ALIASES`` alias
  uses (``*name``) per file and no alias inside its own anchor; an aliased node is constructed once
  and shared, so an alias bomb costs what its text costs;
* a strict schema: an unknown key anywhere is an error naming the key and where it is;
* at most ``MAX_PROBLEMS_PER_FILE`` problems are listed per file.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import stat
from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from studybot.lookup import forked
from studybot.messages import t
from studybot.vocab import Domain, QuestionType

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPACE = re.compile(r"\s")
# ``iam.draft.yaml``, ``iam.draft-2.yaml``: what ``bot.py import`` wrote beside an existing file, to review
DRAFT_FILE_RE = re.compile(r"\.draft(?:-\d+)?\.ya?ml$")
BODY_MAX = 3500
QUESTION_TYPES = tuple(QuestionType)
DOMAINS = tuple(Domain)
MAX_FILE_BYTES = 1 << 20  # 1 MiB: the largest shipped file is 28 KB
MAX_DEPTH = 20  # the format needs 5 (questions > list > question > options > option)
MAX_NODES = 50_000  # keys, values and items per file; the largest shipped file has under 1,000
MAX_ALIASES = 100
MAX_PROBLEMS_PER_FILE = 50
CHOICE_OPTIONS = (2, 5)
MULTI_OPTIONS = (5, 6)
MULTI_ANSWERS = (2, 3)

# What each mapping may hold (the strict schema).
SUBJECT_KEYS = ("id", "title", "language")
TOPIC_FILE_KEYS = ("topic", "sections")
TOPIC_KEYS = ("id", "title", "week", "order")
SECTION_KEYS = ("id", "title", "aliases", "keywords", "mentions", "related", "source", "body", "draft")
QUESTION_FILE_KEYS = ("questions",)
QUESTION_KEYS = (
    "id",
    "sections",
    "type",
    "domain",
    "difficulty",
    "source",
    "prompt",
    "options",
    "answer",
    "answers",
    "accepted",
    "explanation",
)
QUESTION_TYPE_KEYS = {  # keys only some types use, and the types that use them
    "options": (QuestionType.CHOICE, QuestionType.MULTI),
    "answer": (QuestionType.CHOICE, QuestionType.TRUEFALSE, QuestionType.SHORT),
    "answers": (QuestionType.MULTI,),
    "accepted": (QuestionType.SHORT,),
}
GLOSSARY_KEYS = ("synonyms",)
ASKS_KEYS = ("asks",)
ASK_MAX = 200  # characters of one example question

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TAG_PREFIX = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str
    topic_id: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # names the body mentions without explaining (CloudTrail in a pointer): a question about one of
    # them is not answered here, nor anywhere unless another section is named after it
    mentions: tuple[str, ...] = ()
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
    answer: str | bool | None = None  # choice: the option; truefalse: the bool; short: the canonical answer
    accepted: tuple[str, ...] = ()  # short: what counts as right (the canonical answer first)
    domain: Domain | None = None  # None only in a snapshot stored before domains existed
    source: str = ""
    answers: tuple[str, ...] = ()  # the correct options: one for choice, two or three for multi
    author_id: int | None = None  # a member's question approved in a guild (credited in the reveal)

    @property
    def choices(self) -> tuple[str, ...]:
        """What a member can pick: the options, or O/X for a true/false question."""
        if self.type is QuestionType.TRUEFALSE:
            return ("O", "X")
        return self.options

    @property
    def correct_choice(self) -> str | None:
        """The one correct choice of a choice or true/false question (None for short and multi)."""
        if self.type is QuestionType.TRUEFALSE:
            return "O" if self.answer else "X"
        if self.type is QuestionType.CHOICE:
            return str(self.answer)
        return None

    @property
    def correct_choices(self) -> tuple[str, ...]:
        """Every correct choice, for any type a member answers by picking (empty for short)."""
        if self.type is QuestionType.MULTI:
            return self.answers
        choice = self.correct_choice
        return (choice,) if choice is not None else ()

    def to_json(self) -> str:
        """The question as stored with a post (it reveals even after leaving the bank)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Question:
        data = json.loads(text)
        for key in ("section_ids", "options", "accepted", "answers"):
            data[key] = tuple(data.get(key) or ())
        data["type"] = QuestionType(data["type"])
        data["domain"] = Domain(data["domain"]) if data.get("domain") else None
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
    synonym_places: list[str] = field(default_factory=list)  # "file:line" of each group
    # questions members ask that a section answers (asks/<topic>.yaml): searched, never shown
    asks: dict[str, tuple[str, ...]] = field(default_factory=dict)

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


# -- reading a file -------------------------------------------------------------------------------


class _Refused(Exception):
    """The file is not read at all (message for its Problem)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return t("knowledge.kind.dir")
    if stat.S_ISFIFO(mode):
        return t("knowledge.kind.fifo")
    if stat.S_ISSOCK(mode):
        return t("knowledge.kind.socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("knowledge.kind.device")
    return t("knowledge.kind.other")


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; anything else raises _Refused.

    ``os.stat`` comes first so a FIFO is never opened (opening one for reading blocks until a
    writer comes); the descriptor is opened non-blocking and checked again in case the file was
    swapped in between, and never more than MAX_FILE_BYTES + 1 bytes are read.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _Refused(t("knowledge.dangling_link") if os.path.islink(path) else t("knowledge.missing_file")) from None
    except OSError as exc:  # a symbolic-link loop, no permission, a name too long
        raise _Refused(t("knowledge.unreadable", reason=exc.strerror or exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(t("knowledge.not_regular", kind=_kind(info.st_mode)))
    if info.st_size > MAX_FILE_BYTES:
        raise _Refused(t("knowledge.too_big", size=info.st_size, limit=MAX_FILE_BYTES))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _Refused(t("knowledge.unreadable", reason=exc.strerror or exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Refused(t("knowledge.not_regular", kind=_kind(mode)))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _Refused(t("knowledge.unreadable", reason=exc.strerror or exc)) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:  # it grew after the stat
        raise _Refused(t("knowledge.too_big", size=size, limit=MAX_FILE_BYTES))
    return b"".join(chunks)


_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def _decode(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise _Refused(t("knowledge.utf16", encoding=encoding))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(t("knowledge.not_utf8", byte=exc.start)) from None


# the first characters of the plain scalars the safe loaders' implicit resolvers may claim (bool,
# int, float, null, timestamp, merge, value, yaml); None if some resolver looks at every scalar.
# The loaders have no path resolvers, so a plain scalar no implicit resolver claims is a string
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_RESOLVED_FIRST = None if None in _IMPLICIT else frozenset(k for k in _IMPLICIT if k)


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting deeper than MAX_DEPTH, or more than MAX_NODES nodes (``problem`` says which)."""


class _Limits(yaml.resolver.Resolver):
    """Refuses nesting deeper than MAX_DEPTH and more than MAX_NODES nodes, while composing.

    Both composers (libyaml's and PyYAML's) call ``descend_resolver`` before composing each node
    and ``ascend_resolver`` after it, so counting there stops a deep document before the
    composer's recursion (libyaml's would overflow the C stack; PyYAML's the Python one), and a
    file of a million tiny nodes before it takes half a GiB. The knowledge format uses no path
    resolvers, so the base methods have nothing to do.
    """

    _depth = 0
    _nodes = 0

    def descend_resolver(self, parent: Node | None, index: Any) -> None:
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH or self._nodes > MAX_NODES:
            where = index if isinstance(index, Node) else parent
            mark = where.start_mark if where is not None else None
            if self._depth > MAX_DEPTH:
                raise _TooDeep(problem=t("knowledge.too_deep", limit=MAX_DEPTH), problem_mark=mark)
            raise _TooDeep(problem=t("knowledge.too_many_nodes", limit=MAX_NODES), problem_mark=mark)

    def ascend_resolver(self) -> None:
        self._depth -= 1

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # a plain scalar whose first character no implicit resolver looks at (a Korean sentence,
        # most words) is a string: the base method would find no resolver for it either
        if (
            _RESOLVED_FIRST is not None
            and kind is ScalarNode
            and implicit[0]
            and value
            and value[0] not in _RESOLVED_FIRST
        ):
            return _STR
        return super().resolve(kind, value, implicit)


class _PureLoader(_Limits, yaml.SafeLoader):
    """PyYAML's own parser (used when libyaml is missing)."""


_Loader: type[yaml.SafeLoader] = _PureLoader
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(_Limits, yaml.CSafeLoader):
        """libyaml's C parser: about ten times faster."""

    _Loader = _CLoader


def _compose(text: str) -> tuple[Node | None, Any]:
    loader = _Loader(text)
    try:
        return loader.get_single_node(), loader
    except BaseException:
        loader.dispose()
        raise


class _Abort(Exception):
    """Stop building this file (the reason is already recorded)."""


class _Builder:
    """Plain Python data from a node tree, checking its shape on the way.

    Strings (nearly every node) are taken straight from the node; other scalars go to PyYAML's
    safe constructor (int, bool, null, float, timestamp). An aliased node is built once and then
    shared, so the work is linear in the size of the file whatever its aliases.
    """

    def __init__(self, doc: _Doc, loader: Any):
        self.doc = doc
        self.loader = loader
        self.built: dict[int, Any] = {}
        self.active: set[int] = set()
        self.aliases = 0
        self.path: list[str | int] = []

    def fail(self, line: int, field_: str, message: str) -> None:
        self.doc.error(line, field_, message)

    def label(self, *more: str | int) -> str:
        return _label(*self.path, *more) or "(document)"

    def build(self, node: Node, line: int) -> Any:
        """``line``: where the node is used (an alias's node carries its anchor's position)."""
        key = id(node)
        if key in self.built:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                self.fail(line, self.label(), t("knowledge.too_many_aliases", limit=MAX_ALIASES))
                raise _Abort
            return self.built[key]
        if key in self.active:
            self.fail(line, self.label(), t("knowledge.recursive_alias"))
            raise _Abort
        if isinstance(node, ScalarNode):
            value = node.value if node.tag == _STR else self.scalar(node)
        elif isinstance(node, SequenceNode):
            value = self.sequence(node, key)
        elif isinstance(node, MappingNode):
            value = self.mapping(node, key)
        else:  # pragma: no cover - the composers make only these three
            value = None
        self.built[key] = value
        return value

    def scalar(self, node: ScalarNode) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            self.fail(node.start_mark.line + 1, self.label(), t("knowledge.bad_tag", tag=node.tag))
            return None

    def sequence(self, node: SequenceNode, key: int) -> list | None:
        if node.tag != _SEQ:
            self.fail(node.start_mark.line + 1, self.label(), t("knowledge.bad_tag", tag=node.tag))
            return None
        self.active.add(key)
        out = []
        path = self.path
        line = node.start_mark.line + 1
        for i, item in enumerate(node.value):
            if id(item) not in self.built:  # an alias's node carries its anchor's position: keep the last one
                line = item.start_mark.line + 1
            path.append(i)
            out.append(self.build(item, line))
            path.pop()
        self.active.discard(key)
        return out

    def mapping(self, node: MappingNode, key: int) -> dict | None:
        if node.tag != _MAP:
            self.fail(node.start_mark.line + 1, self.label(), t("knowledge.bad_tag", tag=node.tag))
            return None
        self.active.add(key)
        out: dict[str, Any] = {}
        path = self.path
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                self.bad_key(key_node, line)
                continue
            name = key_node.value
            if name in out:
                first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == name)
                self.fail(
                    line, self.label(name), t("knowledge.duplicate_key", name=name, first=first.start_mark.line + 1)
                )
                continue
            path.append(name)
            out[name] = self.build(value_node, line)
            path.pop()
        self.active.discard(key)
        return out

    def bad_key(self, key_node: Node, line: int) -> None:
        if key_node.tag == _MERGE:
            self.fail(line, self.label(), t("knowledge.merge_key"))
            return
        if isinstance(key_node, ScalarNode):
            text, kind = key_node.value, key_node.tag.removeprefix(_TAG_PREFIX)
        else:
            text, kind = (
                "…",
                t("knowledge.kind.list" if isinstance(key_node, SequenceNode) else "knowledge.kind.mapping"),
            )
        self.fail(line, self.label(), t("knowledge.key_not_string", name=text[:40], kind=kind))


class _Doc:
    """One YAML file: its data and a way to find the line of any field path.

    The node tree is kept only while the file is being checked (``release`` drops it); a line
    asked for after that, or of a file another process read (``read``), parses the file again:
    lines are needed only for what is reported.
    """

    def __init__(self, path: Path, root: Path, problems: list[Problem], read: _Read | None = None):
        self.name = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
        self.path = path
        self.problems = problems
        self.data: Any = None
        self.node: Node | None = None
        self.ok = False  # read, parsed and well-formed: the schema can be checked
        self.count = 0
        self.released = False
        if read is not None:  # read by the forked reader: its data and the problems it found
            self.data, found, self.ok, self.count = read
            problems.extend(found)
            return
        try:
            self._load(path)
        except _Abort:
            pass
        except _Refused as exc:
            self.error(1, "(file)", str(exc))
        except Exception as exc:  # a last resort: check must report, never crash
            self.error(1, "(file)", t("knowledge.internal", error=f"{type(exc).__name__}: {exc}"[:200]))

    def _load(self, path: Path) -> None:
        text = _decode(_read_bytes(path))
        try:
            node, loader = _compose(text)
        except _TooDeep as exc:
            self.error(_mark_line(exc, text), "(yaml)", str(exc.problem))
            return
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
            self.error(_mark_line(exc, text), "(yaml)", t("knowledge.yaml_syntax", problem=problem))
            return
        try:
            self.node = node
            if node is not None:
                builder = _Builder(self, loader)
                try:
                    self.data = builder.build(node, node.start_mark.line + 1)
                except _Abort:
                    self.data = None
        finally:
            loader.dispose()
        self.ok = self.count == 0

    def error(self, line: int, field_: str, message: str) -> None:
        """Record a problem; the MAX_PROBLEMS_PER_FILE-th stops the file (raises _Abort)."""
        if self.count >= MAX_PROBLEMS_PER_FILE:
            raise _Abort
        self.count += 1
        self.problems.append(Problem(self.name, line, field_, message))
        if self.count == MAX_PROBLEMS_PER_FILE:
            self.problems.append(
                Problem(self.name, line, "(file)", t("knowledge.too_many_problems", limit=MAX_PROBLEMS_PER_FILE))
            )
            raise _Abort

    def release(self) -> None:
        """Drop the node tree and the data (the file is done)."""
        self.node = None
        self.data = None
        self.released = True

    def read(self) -> _Read:
        """What another process needs of this file: its data, its problems, whether it is
        well-formed, how many problems it had."""
        return self.data, self.problems, self.ok, self.count

    def line(self, *path: str | int) -> int:
        node = self.node
        if node is None:  # released, or read by another process: parsed again, kept while checked
            node = _node_again(self.path)
            if not self.released:
                self.node = node
        return _line_of(node, path)


def _line_of(node: Node | None, path: FieldPath) -> int:
    """The line of the field at ``path`` in a node tree (of the nearest field there is)."""
    for key in path:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), node)
        elif isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1 if node is not None else 1


_Read = tuple[Any, list[Problem], bool, int]  # _Doc.read()


def _node_again(path: Path) -> Node | None:
    """A file's node tree parsed again, for a line (None if it no longer parses)."""
    try:
        node, loader = _compose(_decode(_read_bytes(path)))
    except Exception:
        return None
    loader.dispose()
    return node


def _mark_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)  # ReaderError: a character YAML does not allow
    if isinstance(position, int):  # PyYAML's reader counts characters, libyaml's bytes
        if getattr(exc, "encoding", None) == "unicode":
            return text.count("\n", 0, position) + 1
        return text.encode("utf-8").count(b"\n", 0, position) + 1
    return 1


def _label(*path: str | int) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


FieldPath = tuple[str | int, ...]  # ("questions", 3, "answer") is questions[3].answer


class _Checker:
    """Typed field access that records a Problem instead of raising."""

    def __init__(self, doc: _Doc | _MemoryDoc):
        self.doc = doc

    def fail(self, path: FieldPath, message: str) -> None:
        self.doc.error(self.doc.line(*path), _label(*path), message)

    def keys(self, obj: dict, path: FieldPath, allowed: tuple[str, ...]) -> None:
        """Every key of ``obj`` must be one of ``allowed`` (the strict schema)."""
        for key in obj:
            if key not in allowed:
                parent = _label(*path) or t("knowledge.top")
                self.fail((*path, key), t("knowledge.unknown_key", name=key, parent=parent, allowed=", ".join(allowed)))

    def text(self, obj: dict, path: FieldPath, *, required: bool = True, max_len: int = 0) -> str:
        value = obj.get(path[-1])
        if value is None:
            if required:
                self.fail(path, t("knowledge.required"))
            return ""
        if not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            else:
                self.fail(path, t("knowledge.not_string", kind=type(value).__name__))
                return ""
        if required and not value.strip():
            self.fail(path, t("knowledge.empty"))
        if max_len and len(value) > max_len:
            self.fail(path, t("knowledge.too_long", limit=max_len, length=len(value)))
        return value.strip()

    def ident(self, obj: dict, path: FieldPath) -> str:
        value = self.text(obj, path)
        if value and not ID_RE.match(value):
            self.fail(path, t("knowledge.bad_id", value=value))
        return value

    def one_of(self, obj: dict, path: FieldPath, allowed: tuple[str, ...], message: str) -> str:
        value = self.text(obj, path)
        if value and value not in allowed:
            self.fail(path, message)
            return ""
        return value

    def url(self, obj: dict, path: FieldPath) -> str:
        value = self.text(obj, path, max_len=500)
        if value:
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname or _SPACE.search(value):
                self.fail(path, t("knowledge.bad_url"))
                return ""
        return value

    def strings(self, obj: dict, path: FieldPath, *, required: bool = False) -> tuple[str, ...]:
        value = obj.get(path[-1])
        if value is None:
            if required:
                self.fail(path, t("knowledge.required"))
            return ()
        if not isinstance(value, list):
            self.fail(path, t("knowledge.not_list"))
            return ()
        out = []
        for i, item in enumerate(value):
            if type(item) is str:  # nearly every item: a keyword, an alias, a member's question
                text = item.strip()
            elif isinstance(item, int | float) and not isinstance(item, bool):
                text = str(item)
            else:
                text = ""
            if text:
                out.append(text)
            else:
                self.fail((*path, i), t("knowledge.item_not_string"))
        if required and not out:
            self.fail(path, t("knowledge.at_least_one"))
        return tuple(out)

    def flag(self, obj: dict, path: FieldPath) -> bool:
        value = obj.get(path[-1], False)
        if not isinstance(value, bool):
            self.fail(path, t("knowledge.truefalse_answer"))
            return False
        return value

    def integer(self, obj: dict, path: FieldPath, default: int, lo: int, hi: int) -> int:
        value = obj.get(path[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.fail(path, t("knowledge.int_range", lo=lo, hi=hi))
            return default
        return value

    def mapping(self, obj: Any, path: FieldPath) -> dict | None:
        if not isinstance(obj, dict):
            self.fail(path, t("knowledge.not_mapping"))
            return None
        return obj

    def sequence(self, obj: dict, path: FieldPath) -> list:
        value = obj.get(path[-1])
        if not isinstance(value, list):
            self.fail(path, t("knowledge.not_list") if value is not None else t("knowledge.required"))
            return []
        return value


@dataclass
class _Refs:
    """Section ids that files point to, checked once every file is read.

    A reference is recorded with its line only if it is still unknown when its file is done
    (a forward reference to a later file), so the node tree of a finished file can go.
    """

    pending: list[tuple[str, int, str, str]] = field(default_factory=list)  # file, line, field, id

    def settle(self, doc: _Doc, refs: list[tuple[FieldPath, str]], known: dict) -> None:
        for path, ref in refs:
            if ref not in known:
                self.pending.append((doc.name, doc.line(*path), _label(*path), ref))

    def report(self, known: dict, problems: list[Problem]) -> None:
        for name, line, label, ref in self.pending:
            if ref not in known:
                problems.append(Problem(name, line, label, t("knowledge.missing_section", id=ref)))


def load(root: Path | str, *, questions: bool = True) -> KnowledgeBase:
    """Load every subject under ``root``; raise KnowledgeError listing every problem found.
    ``questions=False`` leaves the question bank out (a look-up needs only the notes)."""
    kb, problems = check(root, questions=questions)
    if problems:
        raise KnowledgeError(problems)
    return kb


def _entries(folder: Path, root: Path, problems: list[Problem], *, dirs: bool) -> list[Path]:
    """Sub-folders (``dirs``) or ``*.yaml``/``*.yml`` names of ``folder``, sorted; hidden names skipped.

    Only names are listed here: what a name is (file, folder, FIFO, broken link) is _Doc's business.
    """
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except FileNotFoundError:
        return []
    except OSError as exc:
        name = str(folder.relative_to(root.parent)) if folder.is_relative_to(root.parent) else str(folder)
        problems.append(Problem(name, 1, "(folder)", t("knowledge.unreadable_folder", reason=exc.strerror or exc)))
        return []
    out = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if dirs:
            try:
                if entry.is_dir():
                    out.append(Path(entry.path))
            except OSError:
                continue
        elif entry.name.endswith((".yaml", ".yml")):
            out.append(Path(entry.path))
    return sorted(out)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a large, cycle-free structure is built (the knowledge
    base, the search index): its passes over the growing heap cost about a sixth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(
    root: Path | str, *, questions: bool = True, parallel: bool | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Everything under ``root`` that loads, and every problem found (never raises on a bad file);
    with ``questions=False`` the question files are not read. ``parallel``: a forked process
    parses the later files while this one parses the first (the same result); by
    default from ``PARALLEL_FILES`` files, when this process can fork safely."""
    with paused_gc():
        return _check(Path(root), questions, parallel)


PARALLEL_FILES = 200


def _check(root: Path, questions: bool, parallel: bool | None) -> tuple[KnowledgeBase, list[Problem]]:
    kb = KnowledgeBase()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 1, "(folder)", t("knowledge.no_folder")))
        return kb, problems
    where = _Where()
    refs = _Refs()
    # each subject's files in the order they are checked (what a file refers to is known first),
    # and the problems of a subject or a folder listing kept for their place among the files'
    files: list[tuple[Path, Subject, str]] = []
    before: dict[int, list[Problem]] = defaultdict(list)
    for subject_dir in _entries(root, root, problems, dirs=True):
        subject = _load_subject(subject_dir, root, kb, before[len(files)])
        if subject is None:
            continue
        files += [(path, subject, "topic") for path in _data_files(subject_dir / "topics", root, before[len(files)])]
        if questions:
            listed = _data_files(subject_dir / "questions", root, before[len(files)])
            files += [(path, subject, "questions") for path in listed]
        glossary = subject_dir / "glossary.yaml"
        if os.path.lexists(glossary):
            files.append((glossary, subject, "glossary"))
        files += [(path, subject, "asks") for path in _data_files(subject_dir / "asks", root, before[len(files)])]
    if parallel is None:
        parallel = len(files) >= PARALLEL_FILES and forked.can_fork()
    # closed however the loop ends, so a forked reader is never left behind
    with contextlib.closing(_read_files([path for path, _, _ in files], root, problems, parallel, before)) as docs:
        for (_, subject, kind), doc in zip(files, docs, strict=True):  # strict: docs runs to its end too
            if kind == "topic":
                _done(_load_topic, doc, subject, kb, where, refs)
            elif kind == "questions":
                _done(_load_questions, doc, kb, refs)
            elif kind == "glossary":
                _done(_load_glossary, doc, kb)
            else:
                _done(_load_asks, doc, kb, refs)
    refs.report(kb.sections, problems)
    for qid, q in kb.questions.items():
        first = kb.sections.get(q.section_ids[0]) if q.section_ids else None
        kb.questions[qid] = replace(q, topic_id=first.topic_id if first else "")
    return kb, problems


def _read_files(
    paths: list[Path], root: Path, problems: list[Problem], parallel: bool, before: dict[int, list[Problem]]
) -> Generator[_Doc, None, None]:
    """Each file parsed, in order, as it is checked, after the problems found ``before`` it (a
    folder's listing). ``parallel``: this process parses the first ``PARENT_SHARE`` of the bytes
    while a forked one parses the rest, sending the files' data and problems back a few files at a
    time, which this one checks as they come (checking every file is its share of the work); what
    the other process did not send, this one parses."""
    split = len(paths)
    if parallel and len(paths) > 1:
        sizes = [_size(path) for path in paths]
        mine, total = sum(sizes) * PARENT_SHARE, 0
        split = next(i for i, size in enumerate(sizes) if (total := total + size) >= mine) + 1
    later = paths[split:]
    with forked.elsewhere((lambda: _parsed(later, root)) if later else None) as stream:
        for i, path in enumerate(paths[:split]):
            problems.extend(before.get(i, ()))
            yield _Doc(path, root, problems)
        done = split
        for part in stream:
            for found in part:
                problems.extend(before.get(done, ()))
                yield _Doc(paths[done], root, problems, found)
                done += 1
    for i in range(done, len(paths)):  # what the other process did not send
        problems.extend(before.get(i, ()))
        yield _Doc(paths[i], root, problems)
    problems.extend(before.get(len(paths), ()))


PARENT_SHARE = 0.45  # this process also checks every file: it parses a little under half the bytes
PARSED_PART = 32  # files a part the forked reader sends holds


def _parsed(paths: list[Path], root: Path) -> Iterator[list[_Read]]:
    """The forked reader's work: the files parsed, a part at a time."""
    for at in range(0, len(paths), PARSED_PART):
        yield [_Doc(path, root, []).read() for path in paths[at : at + PARSED_PART]]


def _size(path: Path) -> int:
    try:
        return min(os.stat(path).st_size, MAX_FILE_BYTES + 1)
    except OSError:
        return 0


def _data_files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The YAML files of a folder, leaving out drafts waiting for review (``*.draft.yaml``)."""
    return [p for p in _entries(folder, root, problems, dirs=False) if not DRAFT_FILE_RE.search(p.name)]


def draft_files(root: Path | str) -> list[Path]:
    """Drafts that ``bot.py import`` left beside existing files and that are not loaded yet."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*/*/*.y*ml") if DRAFT_FILE_RE.search(p.name))


def _done(loader: Any, doc: _Doc, *args: Any) -> None:
    """Check one file's schema (if it was read and well-formed), then let its node tree go."""
    try:
        if doc.ok:
            loader(doc, *args)
    except _Abort:  # too many problems in this file: what it defined so far stays
        pass
    except Exception as exc:  # a last resort: check must report, never crash
        with contextlib.suppress(_Abort):
            doc.error(1, "(file)", t("knowledge.internal", error=f"{type(exc).__name__}: {exc}"[:200]))
    finally:
        doc.release()


def _load_subject(subject_dir: Path, root: Path, kb: KnowledgeBase, problems: list[Problem]) -> Subject | None:
    path = subject_dir / "subject.yaml"
    if not os.path.lexists(path):
        problems.append(Problem(str(path.relative_to(root.parent)), 1, "(file)", t("knowledge.no_subject")))
        return None
    doc = _Doc(path, root, problems)
    subject: list[Subject] = []

    def read(doc: _Doc) -> None:
        c = _Checker(doc)
        data = c.mapping(doc.data, ("(document)",))
        if data is None:
            return
        c.keys(data, (), SUBJECT_KEYS)
        c.text(data, ("language",), required=False)
        subject.append(Subject(id=c.ident(data, ("id",)), title=c.text(data, ("title",))))

    _done(read, doc)
    if not subject:
        return None
    kb.subjects[subject[0].id] = subject[0]
    return subject[0]


def _root(doc: _Doc, allowed: tuple[str, ...]) -> tuple[_Checker, dict | None]:
    """The file's top-level mapping, its keys checked."""
    c = _Checker(doc)
    data = c.mapping(doc.data, ("(document)",))
    if data is not None:
        c.keys(data, (), allowed)
    return c, data


class _Where(dict[str, tuple[_Doc, FieldPath]]):
    """Section id -> the file and field of its first definition. Its line is looked up only when a
    duplicate is reported, in the file parsed again if its tree is gone (the last one kept: the
    duplicates of a copied file come one after another)."""

    last: tuple[_Doc, Node | None] | None = None

    def place(self, section_id: str) -> str:
        doc, path = self[section_id]
        if doc.node is not None:
            return f"{doc.name}:{doc.line(*path)}"
        if self.last is None or self.last[0] is not doc:
            self.last = (doc, _node_again(doc.path))
        return f"{doc.name}:{_line_of(self.last[1], path)}"


def _load_topic(doc: _Doc, subject: Subject, kb: KnowledgeBase, where: _Where, refs: _Refs) -> None:
    c, data = _root(doc, TOPIC_FILE_KEYS)
    if data is None:
        return
    meta = c.mapping(data.get("topic"), ("topic",))
    if meta is None:
        return
    c.keys(meta, ("topic",), TOPIC_KEYS)
    topic_id = c.ident(meta, ("topic", "id"))
    title = c.text(meta, ("topic", "title"), max_len=100)
    week = c.integer(meta, ("topic", "week"), 1, 1, 52)
    order = c.integer(meta, ("topic", "order"), 0, 0, 10_000)
    if topic_id in kb.topics:
        c.fail(("topic", "id"), t("knowledge.duplicate_topic", id=topic_id))
    ids = []
    related: list[tuple[FieldPath, str]] = []
    for i, raw in enumerate(c.sequence(data, ("sections",))):
        path: FieldPath = ("sections", i)
        sec = c.mapping(raw, path)
        if sec is None:
            continue
        c.keys(sec, path, SECTION_KEYS)
        section = Section(
            id=c.ident(sec, (*path, "id")),
            title=c.text(sec, (*path, "title"), max_len=200),
            body=c.text(sec, (*path, "body"), max_len=BODY_MAX),
            topic_id=topic_id,
            aliases=c.strings(sec, (*path, "aliases")),
            keywords=c.strings(sec, (*path, "keywords")),
            mentions=c.strings(sec, (*path, "mentions")),
            related=c.strings(sec, (*path, "related")),
            source=c.text(sec, (*path, "source"), required=False),
            draft=c.flag(sec, (*path, "draft")),
        )
        if not section.id:
            continue
        if section.id in where:
            c.fail((*path, "id"), t("knowledge.duplicate_section", id=section.id, first=where.place(section.id)))
            continue
        where[section.id] = (doc, (*path, "id"))
        related.extend(((*path, "related", j), r) for j, r in enumerate(section.related))
        kb.sections[section.id] = section
        ids.append(section.id)
    if topic_id and topic_id not in kb.topics:
        kb.topics[topic_id] = Topic(topic_id, title, subject.id, week, order, tuple(ids))
    refs.settle(doc, related, kb.sections)


def _load_questions(doc: _Doc, kb: KnowledgeBase, refs: _Refs) -> None:
    c, data = _root(doc, QUESTION_FILE_KEYS)
    if data is None:
        return
    pointed: list[tuple[FieldPath, str]] = []
    for i, raw in enumerate(c.sequence(data, ("questions",))):
        path: FieldPath = ("questions", i)
        q = c.mapping(raw, path)
        if q is None:
            continue
        question = _question(c, q, path)
        pointed.extend(((*path, "sections", j), s) for j, s in enumerate(question.section_ids))
        if not question.id:
            continue
        if question.id in kb.questions:
            c.fail((*path, "id"), t("knowledge.duplicate_question", id=question.id))
            continue
        kb.questions[question.id] = question
    refs.settle(doc, pointed, kb.sections)


def _question(c: _Checker, q: dict, path: FieldPath) -> Question:
    c.keys(q, path, QUESTION_KEYS)
    qid = c.ident(q, (*path, "id"))
    qtype_text = c.one_of(q, (*path, "type"), QUESTION_TYPES, t("knowledge.bad_type", types=", ".join(QUESTION_TYPES)))
    qtype = QuestionType(qtype_text) if qtype_text else None
    domain = c.one_of(q, (*path, "domain"), DOMAINS, t("knowledge.bad_domain", domains=", ".join(DOMAINS)))
    sections = c.strings(q, (*path, "sections"), required=True)
    if qtype is not None:
        for key, types in QUESTION_TYPE_KEYS.items():
            if key in q and qtype not in types:
                if key == "answer" and qtype is QuestionType.MULTI:
                    c.fail((*path, key), t("knowledge.multi_answer"))
                else:
                    c.fail((*path, key), t("knowledge.not_for_type", type=qtype, types=", ".join(types)))
    options: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    answer: str | bool | None = None
    if qtype in (QuestionType.CHOICE, QuestionType.MULTI):
        lo, hi = CHOICE_OPTIONS if qtype is QuestionType.CHOICE else MULTI_OPTIONS
        options = c.strings(q, (*path, "options"), required=True)
        if options and not lo <= len(options) <= hi:
            c.fail((*path, "options"), t("knowledge.option_count", lo=lo, hi=hi, count=len(options)))
        if len(set(options)) != len(options):
            c.fail((*path, "options"), t("knowledge.option_duplicate"))
    if qtype is QuestionType.CHOICE:
        answer = c.text(q, (*path, "answer"))
        if answer and options and answer not in options:
            c.fail((*path, "answer"), t("knowledge.answer_not_option"))
        answers = (answer,) if answer else ()
    elif qtype is QuestionType.MULTI:
        answers = _multi_answers(c, q, path, options)
    elif qtype is QuestionType.TRUEFALSE:
        answer = q.get("answer")
        if not isinstance(answer, bool):
            c.fail((*path, "answer"), t("knowledge.truefalse_answer"))
    elif qtype is QuestionType.SHORT:
        accepted = c.strings(q, (*path, "accepted"), required=True)
        if "answer" in q:  # the canonical answer counts as accepted, and comes first
            answer = c.text(q, (*path, "answer"))
            if answer:
                accepted = (answer, *(a for a in accepted if a != answer))
    return Question(
        id=qid,
        section_ids=sections,
        type=qtype or QuestionType.CHOICE,
        difficulty=c.integer(q, (*path, "difficulty"), 2, 1, 3),
        prompt=c.text(q, (*path, "prompt"), max_len=1500),
        explanation=c.text(q, (*path, "explanation"), max_len=1500),
        topic_id="",
        options=options,
        answer=answer,
        accepted=accepted,
        domain=Domain(domain) if domain else None,
        source=c.url(q, (*path, "source")),
        answers=answers,
    )


class _MemoryDoc:
    """A question that is not in a file (a member's suggestion, a CSV row): every problem is
    reported at one place (``name:line``), with the same fields and messages as the bank's."""

    def __init__(self, name: str, line: int, problems: list[Problem]):
        self.name, self.at, self.problems = name, line, problems

    def error(self, line: int, field_: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field_, message))

    def line(self, *path: str | int) -> int:
        return self.at


def validate_question(
    data: dict, sections: dict[str, Section], *, name: str = "question", line: int = 0
) -> tuple[Question | None, list[Problem]]:
    """One question given as the bank's mapping (``id``, ``sections``, ``type``, ...), checked by
    the rules and with the messages ``bot.py check`` uses (the section ids must be in
    ``sections``). The question (its ``topic_id`` that of its first section) or the problems."""
    problems: list[Problem] = []
    c = _Checker(_MemoryDoc(name, line, problems))
    question = _question(c, data, ())
    for j, sid in enumerate(question.section_ids):
        if sid not in sections:
            c.fail(("sections", j), t("knowledge.missing_section", id=sid))
    if problems:
        return None, problems
    return replace(question, topic_id=sections[question.section_ids[0]].topic_id), []


def _multi_answers(c: _Checker, q: dict, path: FieldPath, options: tuple[str, ...]) -> tuple[str, ...]:
    answers = c.strings(q, (*path, "answers"), required=True)
    lo, hi = MULTI_ANSWERS
    if answers and not lo <= len(answers) <= hi:
        c.fail((*path, "answers"), t("knowledge.answers_count", lo=lo, hi=hi, count=len(answers)))
    if len(set(answers)) != len(answers):
        c.fail((*path, "answers"), t("knowledge.answers_duplicate"))
    for j, value in enumerate(answers):
        if options and value not in options:
            c.fail((*path, "answers", j), t("knowledge.answers_not_option", value=value[:60]))
    return answers


def _load_glossary(doc: _Doc, kb: KnowledgeBase) -> None:
    c, data = _root(doc, GLOSSARY_KEYS)
    if data is None:
        return
    for i, raw in enumerate(c.sequence(data, ("synonyms",))):
        group = c.strings({i: raw}, ("synonyms", i), required=True)
        if len(group) == 1:
            c.fail(("synonyms", i), t("knowledge.synonym_group"))
        elif group:
            kb.synonyms.append(group)
            kb.synonym_places.append(f"{doc.name}:{doc.line('synonyms', i)}")


def _load_asks(doc: _Doc, kb: KnowledgeBase, refs: _Refs) -> None:
    c, data = _root(doc, ASKS_KEYS)
    if data is None:
        return
    by_section = c.mapping(data.get("asks"), ("asks",))
    if by_section is None:
        return
    named: list[tuple[FieldPath, str]] = []
    for section_id in by_section:
        path: FieldPath = ("asks", section_id)
        asks = c.strings(by_section, path, required=True)
        for i, ask in enumerate(asks):
            if len(ask) > ASK_MAX:
                c.fail((*path, i), t("knowledge.too_long", limit=ASK_MAX, length=len(ask)))
        kb.asks[section_id] = kb.asks.get(section_id, ()) + asks
        named.append((path, section_id))
    refs.settle(doc, named, kb.sections)
