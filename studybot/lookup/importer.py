"""Turn a Markdown notes file into draft topic YAML (``python bot.py import``).

The structure comes from a CommonMark parser (markdown-it-py), never from regexes over lines, so
a ``#`` inside a code block is not a heading and a heading indented into a list still is.

**Structure.** The *topic level* is the shallowest heading level that occurs more than once (in
the week-1 notes: ``#``). Each heading at that level is a topic; the next two levels are sections;
anything deeper is folded into its level-3 parent as a bold line (with a warning). A first heading
that opens the file and holds at most one paragraph and no sub-heading (``# AWS SAA 챌린지 1주차``)
is the document's title, not a topic; so is a lone heading above the topic level.

**Sections.** Every heading with content becomes a section: its title is the heading as written
(Korean and English kept), its body the Markdown under it up to the next heading (code blocks,
tables and lists kept; ``<br>``, other HTML and ``---`` rules removed). A heading with only
sub-headings under it makes no section of its own. A heading with no content, or whose only content
is the lab marker ``(실습)``, becomes a stub: a section marked ``draft: true`` (loaded and checked,
never answered) whose body asks the author to write it. ``(실습)`` beside other content is taken out
of the body and adds a how-to stub.

**Splitting** (one focused section per idea). A section's content is split when it holds
- two or more paragraphs that open with bold text: each starts a part titled by that text; or
- two or more lists that each follow their own lead-in paragraph: each lead-in and its list is a
  part titled by the lead-in; or
- a list in which two or more items hold a sub-list of at least two items: then every item with a
  sub-list is a part titled by its first line, and plain items stay with the part before them.
What comes before the first part stays in a section with the heading's own title. Parts are titled
``heading: label`` and link to each other through ``related``.

**Ids** (``[a-z0-9-]``, unique in the subject, ``-2``, ``-3`` on collision) are the English terms of
the heading: a Korean word glossed in English takes the gloss (``배치그룹(placement group)`` →
``placement-group``), an abbreviation's expansion is dropped (``EFS(elastic file system)`` → ``efs``),
and a few common Korean terms are translated (``성능`` → ``performance``, see ``TERMS``). Only a
heading with no English at all is romanised (Revised Romanization, letter by letter).

Reading the notes and writing files are kept at the edges (``read_notes``, ``write_drafts``); the
rest are functions from text to data.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from studybot.lookup.knowledge import BODY_MAX, DRAFT_FILE_RE, ID_RE
from studybot.messages import t
from studybot.text import squash, strip_particle

TOPIC_TITLE_MAX = 100
SECTION_TITLE_MAX = 200
LABEL_MAX = 60
ID_WORDS_MAX = 6
ALIASES_MAX = 8
KEYWORDS_MAX = 12

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# English term, then its Korean forms. Used both ways: Korean words of a heading become English ids,
# and each side proposes the other as an alias or keyword. Kept to terms of the study subject.
TERMS: tuple[tuple[str, ...], ...] = (
    ("security group", "보안그룹", "보안 그룹"),
    ("inbound", "인바운드"),
    ("outbound", "아웃바운드"),
    ("instance", "인스턴스"),
    ("instance type", "인스턴스 타입", "인스턴스 유형"),
    ("instance store", "인스턴스 스토어"),
    ("volume", "볼륨"),
    ("snapshot", "스냅샷"),
    ("throughput", "처리량"),
    ("throughput mode", "처리량 모드"),
    ("performance", "성능"),
    ("performance mode", "성능 모드", "퍼포먼스 모드"),
    ("encryption", "암호화"),
    ("policy", "정책"),
    ("role", "롤", "역할"),
    ("service role", "서비스 롤"),
    ("user", "사용자"),
    ("password", "비밀번호"),
    ("password policy", "비밀번호 정책"),
    ("permission", "권한"),
    ("least privilege", "최소 권한"),
    ("access key", "액세스 키"),
    ("purchase option", "구매 옵션"),
    ("placement group", "배치그룹", "배치 그룹"),
    ("elastic ip", "탄력적 ip"),
    ("network interface", "네트워크 인터페이스"),
    ("availability zone", "가용영역", "가용 영역"),
    ("region", "리전"),
    ("general purpose", "범용"),
    ("compute optimized", "컴퓨팅 최적화"),
    ("memory optimized", "메모리 최적화"),
    ("storage optimized", "스토리지 최적화"),
    ("accelerated computing", "가속 컴퓨팅"),
    ("hibernate", "최대 절전"),
    ("on-demand instance", "온디맨드 인스턴스"),
    ("reserved instance", "예약 인스턴스"),
    ("spot instance", "스팟 인스턴스"),
    ("dedicated host", "전용 호스트"),
    ("dedicated instance", "전용 인스턴스"),
    ("savings plans", "절감형 플랜"),
    ("auto scaling", "오토 스케일링", "오토스케일링"),
    ("load balancer", "로드 밸런서"),
    ("load balancing", "로드 밸런싱"),
    ("health check", "상태 확인"),
    ("user data", "사용자 데이터"),
    ("root account", "루트 계정"),
    ("account", "계정"),
    ("cluster", "클러스터"),
    ("partition", "파티션"),
    ("spread", "분산"),
    ("standard", "스탠다드"),
    ("bursting", "버스팅"),
    ("file system", "파일 시스템", "파일시스템"),
    ("lab", "실습"),
)
# Everyday words translated only for ids (as aliases on their own they would match everything).
ID_TERMS: tuple[tuple[str, ...], ...] = (
    ("group", "그룹"),
    ("access", "접근"),
    ("security", "보안"),
    ("management", "관리"),
    ("tool", "툴", "도구"),
    ("summary", "정리"),
    ("inheritance", "상속"),
    ("introduction", "소개"),
    ("advantages", "장점"),
    ("type", "타입", "유형", "종류"),
    ("option", "옵션"),
    ("create", "생성"),
    ("connect", "접속"),
    ("service", "서비스"),
    ("method", "방법"),
    ("console", "콘솔"),
    ("storage", "스토리지"),
    ("elastic", "탄력적"),
    ("availability", "가용성"),
    ("durability", "내구성"),
    ("settings", "설정"),
    ("how it works", "작동 방식"),
    ("memory", "메모리"),
    ("trade-off", "트레이드 오프", "트레이드오프"),
    ("choice", "선택"),
    ("image", "이미지"),
    ("cost", "비용"),
    ("report", "보고서"),
    ("attributes", "속성"),
    ("top level", "최상위"),
)

# Korean words that say nothing about the subject of a heading (left out of ids and aliases).
FILLER = frozenset(["알아보기", "알아둘", "내용", "확인하기", "확인", "깊게", "직접", "해보기", "주로", "사용하는"])
_VERB_ENDINGS = ("해보기", "하기", "해보자")
LAB_RE = re.compile(r"^[\(\[]?\s*실습\s*[\)\]]?$")
_TITLE_WEEK_RE = re.compile(r"\s*(?:\d+\s*주차|week\s*\d+)\s*$", re.IGNORECASE)


def _key(term: str) -> str:
    return re.sub(r"[\s\-_/]+", "", term.lower())


def _term_tables(extra: Sequence[tuple[str, ...]] = ()) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(Korean key -> English, English key -> Korean forms) from TERMS and a subject's glossary."""
    ko_en: dict[str, str] = {}
    en_ko: dict[str, list[str]] = {}
    for group in (*TERMS, *extra):
        english = [g for g in group if not _has_hangul(g)]
        korean = [g for g in group if _has_hangul(g)]
        if not english or not korean:
            continue
        for ko in korean:
            ko_en.setdefault(_key(ko), english[0])
        for en in english:
            en_ko.setdefault(_key(en), []).extend(k for k in korean if k not in en_ko.get(_key(en), []))
    return ko_en, en_ko


# -- Hangul romanisation (Revised Romanization, syllable by syllable, no sound-change rules) ------

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu"]
_VOWELS += ["eu", "ui", "i"]
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t"]
_FINALS += ["ng", "t", "t", "k", "t", "p", "t"]


def romanise(word: str) -> str:
    """``배치그룹`` -> ``baechigeurup``; Latin letters and digits are kept, the rest dropped."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588] + _VOWELS[(code % 588) // 28] + _FINALS[code % 28])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


# -- small text helpers ------------------------------------------------------------------------

_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_LATIN_RE = re.compile(r"[A-Za-z]")


def _has_hangul(text: str) -> bool:
    return bool(_HANGUL_RE.search(text))


def _is_english(text: str) -> bool:
    return bool(_LATIN_RE.search(text)) and not _has_hangul(text)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _shorten(text: str, limit: int) -> str:
    text = _norm(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.:;-") + "…"


def _plain(node: SyntaxTreeNode) -> str:
    """The text of an inline node without markup (HTML dropped, code spans kept)."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if node.type == "html_inline":
        return ""
    return "".join(_plain(child) for child in node.children)


def _first_inline(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    for child in node.children:
        if child.type == "inline":
            return child
        if child.type == "paragraph":
            return _first_inline(child)
    return None


def _walk(node: SyntaxTreeNode):
    yield node
    for child in node.children:
        yield from _walk(child)


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return _norm(" ".join(parser.parts))


def _remove_outside_code(line: str, tag: str) -> tuple[str, int]:
    """``line`` with ``tag`` removed except inside backtick code spans; and how many went."""
    pieces = re.split(r"(`+[^`]*`+)", line)
    count = 0
    for i in range(0, len(pieces), 2):
        count += pieces[i].count(tag)
        pieces[i] = pieces[i].replace(tag, " " if tag.lower().startswith("<br") else "")
    return "".join(pieces), count


# -- term pairs: 한글(English), ABBR(expansion), expansion(ABBR), English(한글) ----------------------

_PAREN_RE = re.compile(r"\(([^()]{1,60})\)")
_WORD_STRIP = " \t.,;:!?\"'`*_~·-–—/|()[]"
# English words in parentheses that are remarks, not the name of the term before them
_NOT_GLOSS = frozenset(["optional", "required", "default", "eg", "e.g", "ex", "etc", "todo", "tip"])


@dataclass(frozen=True)
class _Pair:
    kind: str  # "gloss": a term and its translation; "abbr": an abbreviation and its expansion
    left: str  # the Korean term, or the abbreviation
    right: str  # the English term, or the expansion
    start: int  # where the glossed words start in the text
    end: int  # where the parenthesis ends


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", text)).lower()


def _trailing_words(before: str) -> list[tuple[str, int]]:
    """The words of ``before`` (as written, with their start offsets), last one last."""
    return [(m.group(0).strip(_WORD_STRIP), m.start()) for m in re.finditer(r"\S+", before)]


def _pairs(text: str, *, heading: bool = False) -> list[_Pair]:
    """The term pairs written in ``text``. In running text a gloss glued to a word
    (``경쟁상태(race condition)``) names that word only; in a heading, or after a space, it names
    as many words before it as it has (``보안 보고서(confidential report)``)."""
    out: list[_Pair] = []
    for m in _PAREN_RE.finditer(text):
        inner = m.group(1).strip()
        if not inner or ":" in inner or len(inner.split()) > 6:
            continue
        before = text[: m.start()]
        words = [(w, s) for w, s in _trailing_words(before) if w]
        if not words or (before and before[-1] in ")]"):
            continue
        glued = not heading and before[-1:] not in ("", " ")
        for alt in (a.strip() for a in inner.split("/")):
            pair = _pair_of(alt, words, m.end(), 1 if glued else 0)
            if pair is not None:
                out.append(pair)
    return out


def _pair_of(alt: str, words: list[tuple[str, int]], end: int, most: int) -> _Pair | None:
    if not alt:
        return None
    last, last_start = words[-1]
    last = last.split("/")[-1]
    last_start = last_start + len(words[-1][0]) - len(last)
    if _is_english(alt):
        if len(re.sub(r"[^A-Za-z]", "", alt)) < 2 or alt.lower().strip(".") in _NOT_GLOSS:
            return None
        if _is_english(last) and _initials(alt) == re.sub(r"[^a-z0-9]", "", last.lower()):
            return _Pair("abbr", last, alt, last_start, end)  # EFS(elastic file system)
        if re.fullmatch(r"[A-Z0-9]{2,6}", alt):  # fast snapshot restore(FSR)
            n = len(alt)
            if len(words) >= n and _initials(" ".join(w for w, _ in words[-n:])) == alt.lower():
                return _Pair("abbr", alt, " ".join(w for w, _ in words[-n:]), words[-n][1], end)
            return None
        if _has_hangul(last) and not _is_english(last):
            run: list[tuple[str, int]] = []
            for word, start in reversed(words):
                if not _has_hangul(word) or _is_english(word) or len(run) >= (most or max(1, len(alt.split()))):
                    break
                run.append((word, start))
            run.reverse()
            korean = " ".join(w for w, _ in run)
            if not run or korean.endswith(("다", "요")) or not re.fullmatch(r"[\uac00-\ud7a3 ]+", korean):
                return None
            return _Pair("gloss", korean, alt, run[0][1], end)
        return None
    if _has_hangul(alt) and _is_english(last):
        run = []
        for word, start in reversed(words):
            if not _is_english(word) or len(run) >= (most or max(1, len(alt.split()))):
                break
            run.append((word, start))
        run.reverse()
        return _Pair("gloss", alt, " ".join(w for w, _ in run), run[0][1], end)
    return None


# -- ids ---------------------------------------------------------------------------------------


def _ungloss(title: str) -> str:
    """The heading with each gloss folded into one English term (for ids)."""
    pairs = _pairs(title, heading=True)
    out, pos = [], 0
    for m in _PAREN_RE.finditer(title):
        mine = [p for p in pairs if p.end == m.end()]
        if not mine:
            continue
        start = min(p.start for p in mine)
        if start < pos:
            continue
        pair = mine[0]
        english = pair.left if pair.kind == "abbr" else pair.right
        out.append(title[pos:start])
        out.append(f" {english} ")
        pos = m.end()
    out.append(title[pos:])
    return "".join(out)


def _hangul_words(text: str) -> list[str]:
    return re.findall(r"[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*|[\uac00-\ud7a3]+", text)


def _korean_stem(word: str) -> str:
    for ending in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return strip_particle(word)


def slug_words(title: str, ko_en: dict[str, str]) -> list[str]:
    """The words of a heading's id: its English terms, Korean ones translated when known,
    romanised Hangul only when the heading has no English at all."""
    text = _ungloss(title)
    tokens = _hangul_words(text)
    english: list[str] = []
    korean_left: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not _has_hangul(token):
            english += [w for w in re.split(r"[.\-]", token.lower()) if w]
            i += 1
            continue
        stem = token if _key(token) in ko_en else _korean_stem(token)
        nxt = None
        if i + 1 < len(tokens) and _has_hangul(tokens[i + 1]):
            nxt = tokens[i + 1] if _key(stem + tokens[i + 1]) in ko_en else _korean_stem(tokens[i + 1])
        if nxt is not None and _key(stem + nxt) in ko_en:
            english += re.split(r"[\s\-]+", ko_en[_key(stem + nxt)])
            i += 2
            continue
        if _key(stem) in ko_en:
            english += re.split(r"[\s\-]+", ko_en[_key(stem)])
        elif stem not in FILLER:
            korean_left.append(stem)
        i += 1
    words = english or [romanise(w) for w in korean_left] or [romanise(_korean_stem(w)) for w in tokens]
    seen: list[str] = []
    for word in words:
        word = re.sub(r"[^a-z0-9]", "", word.lower())
        if word and word not in seen:
            seen.append(word)
    return seen[:ID_WORDS_MAX]


def _join_id(words: list[str], fallback: str) -> str:
    """``[ebs, volume]`` -> ``ebs-volume``, at most 60 characters (a file name stays short)."""
    wanted = "-".join(words)[:60].strip("-")
    return wanted if ID_RE.match(wanted) else fallback


class _Ids:
    """Ids handed out in order: the wanted one, or ``-2``, ``-3`` when it is taken, by this import
    or by a file already in the folder. A draft that stands beside an existing file may reuse that
    file's own ids (it is the next version of it), never another file's."""

    def __init__(self, existing: set[str]):
        self.taken: set[str] = set()
        self.existing = set(existing)
        self.own: set[str] = set()  # the ids of the file the current topic will stand beside

    def claim(self, words: list[str], fallback: str) -> tuple[str, str]:
        wanted = _join_id(words, fallback)
        candidate, n = wanted, 1
        while candidate in self.taken or (candidate in self.existing and candidate not in self.own):
            n += 1
            candidate = f"{wanted}-{n}"
        self.taken.add(candidate)
        return wanted, candidate


# -- the notes' structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    line: int
    message: str

    def render(self, notes: str) -> str:
        return f"{notes}:{self.line}: {self.message}"


@dataclass
class SectionDraft:
    id: str
    title: str
    body: str
    line: int
    aliases: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    source: str = ""
    draft: bool = False


@dataclass
class TopicDraft:
    id: str
    title: str
    week: int
    order: int
    line: int
    sections: list[SectionDraft] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.id}.yaml"


@dataclass
class ImportResult:
    notes: str
    subject: str
    week: int
    doc_title: str
    topics: list[TopicDraft]
    warnings: list[Warning]
    html_removed: int = 0

    @property
    def sections(self) -> list[SectionDraft]:
        return [s for topic in self.topics for s in topic.sections]

    @property
    def stubs(self) -> list[SectionDraft]:
        return [s for s in self.sections if s.draft]


class NotesError(Exception):
    """The notes cannot be imported at all (the message names the file)."""


@dataclass
class _Heading:
    level: int
    title: str
    start: int  # 0-based line of the heading
    end: int  # first line after it
    nested: bool


@dataclass
class _Node:
    heading: _Heading
    depth: int
    content: tuple[int, int] = (0, 0)  # lines of the content before the first sub-heading
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Block:
    node: SyntaxTreeNode
    lines: list[str]
    start: int  # 0-based line inside the section text


@dataclass
class _Part:
    label: str | None
    chunks: list[str]
    line: int  # 0-based line inside the section text


@dataclass
class _Existing:
    """What the output folder already holds for the subject."""

    topics: dict[str, tuple[str, int, set[str]]] = field(default_factory=dict)  # stem -> (id, order, sections)
    glossary: list[tuple[str, ...]] = field(default_factory=list)


def read_notes(path: Path | str) -> str:
    """The notes as text; a clear NotesError naming the file when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotesError(t("import.unreadable", file=path, reason=exc.strerror or exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotesError(t("import.not_utf8", file=path, byte=exc.start)) from None
    return text


def _source_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return [line.expandtabs(4).rstrip() for line in text.split("\n")]


def _headings(tokens) -> list[_Heading]:
    out = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            inline = SyntaxTreeNode(tokens[i : i + 3]).children[0]
            out.append(_Heading(int(tok.tag[1]), _norm(_plain(inline)), tok.map[0], tok.map[1], tok.level > 0))
    return out


def import_notes(
    text: str,
    notes: str,
    subject: str,
    week: int,
    existing: _Existing | None = None,
) -> ImportResult:
    """Draft topics from the notes ``text`` (``notes`` is the file name shown in warnings)."""
    if not ID_RE.match(subject):
        raise NotesError(t("import.bad_subject", subject=subject))
    if isinstance(week, bool) or not 1 <= week <= 52:
        raise NotesError(t("import.bad_week", week=week))
    existing = existing or _Existing()
    lines = _source_lines(text)
    if not any(line.strip() for line in lines):
        raise NotesError(t("import.empty", file=notes))
    warnings: list[Warning] = []
    heads = []
    for head in _headings(_MD.parse("\n".join(lines))):
        if not head.title:
            warnings.append(Warning(head.start + 1, t("import.warn.empty_heading")))
            continue
        heads.append(head)
    if not heads:
        raise NotesError(t("import.no_headings", file=notes))
    builder = _Builder(lines, notes, subject, week, existing, warnings)
    return builder.build(heads)


class _Builder:
    def __init__(self, lines: list[str], notes: str, subject: str, week: int, existing: _Existing, warnings):
        self.lines = lines
        self.notes = notes
        self.subject = subject
        self.week = week
        self.existing = existing
        self.warnings: list[Warning] = warnings
        self.ko_en, self.en_ko = _term_tables(existing.glossary)  # aliases and keywords
        self.id_ko_en, _ = _term_tables(ID_TERMS)  # ids: from the notes and the tables alone, never the folder
        self.html_removed = 0
        self.ids = _Ids(set())

    def warn(self, line: int, key: str, **kwargs) -> None:
        self.warnings.append(Warning(line, t(key, **kwargs)))

    # structure

    def build(self, heads: list[_Heading]) -> ImportResult:
        counts: dict[int, int] = {}
        for head in heads:
            counts[head.level] = counts.get(head.level, 0) + 1
        repeated = [level for level, n in counts.items() if n >= 2]
        top = min(repeated) if repeated else min(counts)
        doc_title = ""
        first = heads[0]
        bounds = [h for h in heads if h.level - top < 3]  # deeper ones are folded into their parent
        later = bounds[1] if len(bounds) > 1 else None
        first_line = next(i for i, line in enumerate(self.lines) if line.strip())
        if first.level < top or (
            first.level == top
            and first.start == first_line
            and later is not None
            and later.level == top
            and self._is_title_body(first.end, later.start)
        ):
            doc_title = first.title
            bounds = bounds[1:]
            text = self._text(first.end, bounds[0].start if bounds else len(self.lines)).strip()
            if text:
                self.warn(first.end + 1, "import.warn.title_text", title=first.title, text=_shorten(text, 60))
        if bounds:
            preamble = self._text(0 if not doc_title else first.end, bounds[0].start).strip()
            if preamble and not doc_title:
                self.warn(1, "import.warn.preamble", text=_shorten(preamble, 60))
        for head in heads:
            if head.level - top >= 3:
                parent = next((b for b in reversed(bounds) if b.start < head.start), None)
                self.warn(
                    head.start + 1,
                    "import.warn.folded",
                    title=head.title,
                    parent=parent.title if parent else "",
                )
        nodes = self._tree(bounds, top)
        topics = self._topics(nodes)
        return ImportResult(self.notes, self.subject, self.week, doc_title, topics, self.warnings, self.html_removed)

    def _text(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end])

    def _is_title_body(self, start: int, end: int) -> bool:
        text = textwrap.dedent(self._text(start, end)).strip()
        if not text:
            return True
        blocks = [n for n in SyntaxTreeNode(_MD.parse(text)).children if n.type not in ("hr", "html_block")]
        if len(blocks) > 1 or (blocks and blocks[0].type != "paragraph"):
            return False
        return not (blocks and LAB_RE.match(_norm(_plain(blocks[0]))))

    def _tree(self, bounds: list[_Heading], top: int) -> list[_Node]:
        topics: list[_Node] = []
        parent: _Node | None = None
        for i, head in enumerate(bounds):
            end = bounds[i + 1].start if i + 1 < len(bounds) else len(self.lines)
            if head.nested:
                self.warn(head.start + 1, "import.warn.nested_heading", title=head.title)
            depth = head.level - top + 1
            if depth < 1:
                self.warn(head.start + 1, "import.warn.shallow_heading", title=head.title)
                depth = 1
            if depth > 1 and not topics:
                depth = 1  # a sub-heading before any topic heading opens a topic of its own
            node = _Node(head, depth, (head.end, end))
            if depth == 1:
                topics.append(node)
                parent = None
            elif depth == 2 or parent is None:
                node.depth = 2
                topics[-1].children.append(node)
                parent = node
            else:
                parent.children.append(node)
        return topics

    # content

    def _clean(self, start: int, end: int) -> tuple[list[_Block], bool, int]:
        """The content lines as top-level blocks, cleaned; whether a lab marker was there; and
        the offset of the dedented text in the notes."""
        raw = self.lines[start:end]
        text = textwrap.dedent("\n".join(raw))
        lines = text.split("\n")
        root = SyntaxTreeNode(_MD.parse(text))
        lab = False
        edits: dict[int, str | None] = {}
        for node in _walk(root):
            if node.is_root or node.map is None:
                continue
            a, b = node.map
            indent = lines[a][: len(lines[a]) - len(lines[a].lstrip())] if a < len(lines) else ""
            if node.type == "html_block":
                kept = _html_text(node.content)
                self.html_removed += 1
                if kept:
                    edits[a] = indent + kept
                    self.warn(start + a + 1, "import.warn.html_text", text=_shorten(kept, 60))
                    a += 1
                for i in range(a, b):
                    edits[i] = None
            elif node.type == "hr" and node.parent is not None and node.parent.is_root:
                for i in range(a, b):
                    edits[i] = None
            elif node.type == "heading":
                edits[a] = f"{indent}**{_norm(_plain(node.children[0]))}**"
                for i in range(a + 1, b):
                    edits[i] = None
            elif node.type == "paragraph" and node.parent is not None and node.parent.is_root:
                if LAB_RE.match(_norm(_plain(node.children[0]))):
                    lab = True
                    for i in range(a, b):
                        edits[i] = None
            elif node.type == "inline":
                for child in _walk(node):
                    if child.type == "html_inline":
                        for i in range(a, b):
                            line = edits.get(i, lines[i])
                            if line is None:
                                continue
                            fixed, count = _remove_outside_code(line, child.content)
                            if count:
                                edits[i] = fixed.rstrip()
                                self.html_removed += count
                                break
        blocks = []
        for node in root.children:
            if node.map is None:
                continue
            a, b = node.map
            edited = [edits[i] if i in edits else lines[i] for i in range(a, b)]
            body = [line for line in edited if line is not None]
            if any(line.strip() for line in body):
                blocks.append(_Block(node, _collapse(body), a))
        return blocks, lab, start  # dedent keeps the lines, so block lines map straight back

    def _split(self, blocks: list[_Block], heading: str) -> list[_Part]:
        """The parts of a section's content (see the module docstring for the rule)."""

        def render(bs: list[_Block]) -> list[str]:
            return ["\n".join(b.lines).strip("\n") for b in bs]

        if not blocks:
            return []
        bold = [i for i, b in enumerate(blocks) if b.node.type == "paragraph" and _bold_lead(b.node) is not None]
        if len(bold) >= 2:
            parts = [_Part(None, render(blocks[: bold[0]]), blocks[0].start)] if bold[0] else []
            for j, i in enumerate(bold):
                stop = bold[j + 1] if j + 1 < len(bold) else len(blocks)
                label = _bold_lead(blocks[i].node) or ""
                parts.append(_Part(label, render(blocks[i:stop]), blocks[i].start))
            return [p for p in parts if p.chunks]
        lists = {"bullet_list", "ordered_list"}
        leads = [
            i - 1
            for i, b in enumerate(blocks)
            if b.node.type in lists and i > 0 and blocks[i - 1].node.type == "paragraph"
        ]
        if len(leads) >= 2:
            parts = [_Part(None, render(blocks[: leads[0]]), blocks[0].start)] if leads[0] else []
            for j, i in enumerate(leads):
                stop = leads[j + 1] if j + 1 < len(leads) else len(blocks)
                label = _norm(_plain(blocks[i].node.children[0])).rstrip(":：")
                parts.append(_Part(label, render(blocks[i:stop]), blocks[i].start))
            return parts
        for k, block in enumerate(blocks):
            if block.node.type in lists and _lead_items(block.node) >= 2:
                return self._split_items(blocks, k, render)
        return [_Part(None, render(blocks), blocks[0].start)]

    def _split_items(self, blocks: list[_Block], k: int, render) -> list[_Part]:
        block = blocks[k]
        parts: list[_Part] = [_Part(None, render(blocks[:k]), blocks[0].start)]
        current: list[str] = []
        for item in block.node.children:
            if item.map is None:
                continue
            a, b = item.map
            item_lines = _collapse(block.lines[a - block.start : b - block.start])
            item_text = "\n".join(item_lines).strip("\n")
            if not item_text:
                continue
            if any(c.type in ("bullet_list", "ordered_list") for c in item.children):
                if current:
                    parts[-1].chunks.append("\n".join(current))
                current = [item_text]
                inline = _first_inline(item)
                label = _norm(_plain(inline)).rstrip(":：.") if inline is not None else ""
                parts.append(_Part(label, [], a))
            else:
                current.append(item_text)
        if current:
            parts[-1].chunks.append("\n".join(current))
        parts[-1].chunks += render(blocks[k + 1 :])
        return [p for p in parts if p.chunks]

    # topics and sections

    def _topics(self, nodes: list[_Node]) -> list[TopicDraft]:
        slugs = [slug_words(node.heading.title, self.id_ko_en) for node in nodes]
        chosen: list[str] = []
        for words in slugs:
            wanted = _join_id(words, "topic")
            candidate, n = wanted, 1
            while candidate in chosen or any(
                info[0] == candidate and stem != candidate for stem, info in self.existing.topics.items()
            ):
                n += 1
                candidate = f"{wanted}-{n}"
            chosen.append(candidate)
        replaced = {c for c in chosen if c in self.existing.topics}
        kept = {stem: info for stem, info in self.existing.topics.items() if stem not in replaced}
        self.ids = _Ids({sid for _, _, sids in self.existing.topics.values() for sid in sids})
        order = max((o for _, o, _ in kept.values()), default=0)
        topics = []
        for node, topic_id in zip(nodes, chosen, strict=True):
            order += 1
            head = node.heading
            title = head.title
            if len(title) > TOPIC_TITLE_MAX:
                self.warn(head.start + 1, "import.warn.long_title", limit=TOPIC_TITLE_MAX, title=title)
                title = _shorten(title, TOPIC_TITLE_MAX)
            topic = TopicDraft(topic_id, title, self.week, order, head.start + 1)
            self.ids.own = self.existing.topics[topic_id][2] if topic_id in replaced else set()
            topic.sections = self._sections(node, None)
            topics.append(topic)
        return topics

    def _sections(self, node: _Node, parent: SectionDraft | None) -> list[SectionDraft]:
        head = node.heading
        blocks, lab, offset = self._clean(*node.content)
        parts = self._split(blocks, head.title)
        out: list[SectionDraft] = []
        words = slug_words(head.title, self.id_ko_en)
        for part in parts:
            for chunk_no, body in enumerate(self._bodies(part, head)):
                label = part.label
                if chunk_no:
                    label = f"{label} ({chunk_no + 1})" if label else f"({chunk_no + 1})"
                out.append(self._section(head, words, label, body, offset + part.line + 1))
        if len(out) > 1:
            first = out[0]
            for i, sec in enumerate(out[1:], start=1):
                sec.related = _merge(sec.related, [first.id] + ([out[i + 1].id] if i + 1 < len(out) else []))
            first.related = _merge(first.related, [s.id for s in out[1:4]])
        if lab:
            key = "import.warn.lab_mixed" if out else "import.warn.lab"
            self.warn(head.start + 1, key, title=head.title)
            out.append(self._stub(head, words, lab=True, separate=bool(out)))
        elif not out and not node.children:
            self.warn(head.start + 1, "import.warn.no_content", title=head.title)
            out.append(self._stub(head, words, lab=False, separate=False))
        main = out[0] if out else parent
        if parent is not None and out and not out[0].draft:
            out[0].related = _merge([parent.id], out[0].related)
        for child in node.children:
            child_sections = self._sections(child, main)
            if main is not None and child_sections and not child_sections[0].draft:
                main.related = _merge(main.related, [child_sections[0].id])
            out += child_sections
        for sec in out:
            sec.related = sec.related[:4]
        return out

    def _bodies(self, part: _Part, head: _Heading) -> list[str]:
        """The part's body, or several when it is over the length limit (cut between blocks)."""
        bodies: list[str] = []
        current = ""
        for chunk in part.chunks:
            chunk = chunk.strip("\n")
            if not chunk.strip():
                continue
            if len(chunk) > BODY_MAX:
                self.warn(head.start + 1, "import.warn.cut_block", title=head.title, limit=BODY_MAX)
                chunk = _cut(chunk, BODY_MAX - 20)
            joined = f"{current}\n\n{chunk}" if current else chunk
            if len(joined) > BODY_MAX and current:
                bodies.append(current)
                current = chunk
            else:
                current = joined
        if current:
            bodies.append(current)
        if len(bodies) > 1:
            self.warn(head.start + 1, "import.warn.long_body", title=head.title, limit=BODY_MAX, parts=len(bodies))
        return bodies

    def _section(self, head: _Heading, words: list[str], label: str | None, body: str, line: int) -> SectionDraft:
        title = head.title
        id_words = list(words)
        if label:
            label = _shorten(label, LABEL_MAX)
            title = f"{head.title}: {label}"
            extra = [w for w in slug_words(label, self.id_ko_en) if w not in id_words]
            id_words = (id_words + extra)[:ID_WORDS_MAX] if extra else id_words
        if len(title) > SECTION_TITLE_MAX:
            self.warn(line, "import.warn.long_title", limit=SECTION_TITLE_MAX, title=title)
            title = _shorten(title, SECTION_TITLE_MAX)
        wanted, sid = self.ids.claim(id_words, "section")
        if sid != wanted:
            self.warn(line, "import.warn.id_taken", wanted=wanted, id=sid)
        aliases = self._aliases(head.title, label)
        keywords = self._keywords(body, [title, *aliases])
        return SectionDraft(sid, title, body, line, aliases, keywords, [], f"{self.notes}:{line}")

    def _stub(self, head: _Heading, words: list[str], *, lab: bool, separate: bool) -> SectionDraft:
        title = t("import.stub.lab_title", title=head.title) if lab else head.title
        id_words = [*words, "lab"] if lab and separate else words
        wanted, sid = self.ids.claim(id_words[: ID_WORDS_MAX + 1], "section")
        if sid != wanted:
            self.warn(head.start + 1, "import.warn.id_taken", wanted=wanted, id=sid)
        aliases = self._aliases(head.title, None)
        if lab:
            aliases = _merge([t("import.stub.lab_alias", title=head.title).lower()], aliases)[:ALIASES_MAX]
        body = t("import.stub.lab" if lab else "import.stub.empty")
        keywords = ["실습", "lab"] if lab else []
        return SectionDraft(
            sid, _shorten(title, SECTION_TITLE_MAX), body, head.start + 1, aliases, keywords, [],
            f"{self.notes}:{head.start + 1}", draft=True,
        )  # fmt: skip

    # aliases and keywords

    def _terms(self, text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        """The words of ``text`` with known terms in English, the same in Korean, and the
        (as written, English) terms found."""
        words = text.split()
        to_en: list[str] = []
        to_ko: list[str] = []
        found: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            for n in (3, 2, 1):
                if i + n > len(words):
                    continue
                phrase = " ".join(words[i : i + n]).strip(_WORD_STRIP)
                key = _key(_korean_stem(phrase) if _has_hangul(phrase) else phrase)
                if _has_hangul(phrase) and key in self.ko_en:
                    english, korean = self.ko_en[key], _korean_stem(phrase)
                elif not _has_hangul(phrase) and self.en_ko.get(key):
                    english, korean = phrase, self.en_ko[key][0]
                else:
                    continue
                to_en.append(english)
                to_ko.append(korean)
                found.append((korean, english))
                i += n
                break
            else:
                to_en.append(words[i])
                to_ko.append(words[i])
                i += 1
        return to_en, to_ko, found

    def _translate(self, text: str) -> list[str]:
        """``text`` with its known terms put in the other language (Korean -> English and back)."""
        to_en, to_ko, found = self._terms(text)
        return [c for c in (" ".join(to_en), " ".join(to_ko)) if found and c != text]

    def _aliases(self, heading: str, label: str | None) -> list[str]:
        """Other names for a section: the heading without its gloss and with it (``탄력적 IP``,
        ``elastic IP``), both sides of a pair that names the whole heading, the heading's known
        terms in the other language; for a part, the heading and the label together."""
        core = _strip_filler(_norm(_PAREN_RE.sub(" ", heading)))
        core_en = _strip_filler(_norm(_ungloss(heading)))
        forms: list[str] = []
        if label is None:
            forms += [core, core_en, *_whole_pair_sides(heading)]
            forms += self._translate(core) + self._translate(core_en)
        else:
            forms += _whole_pair_sides(label)
            lab_core = _strip_filler(_norm(_PAREN_RE.sub(" ", label)))
            lab_en = _strip_filler(_norm(_ungloss(label)))
            if len(lab_core.split()) <= 4:
                forms += [f"{core} {lab_core}", f"{core_en} {lab_en}"]
                forms += self._translate(f"{core} {lab_core}") + self._translate(f"{core_en} {lab_en}")
            else:  # a label that is a sentence makes no name: only the terms it names
                for korean, english in self._terms(lab_core)[2]:
                    forms += [f"{core} {korean}", f"{core_en} {english}"]
        seen = {squash(heading), squash(f"{heading}: {label}") if label else ""}
        out: list[str] = []
        for form in forms:
            form = _norm(form.replace(" - ", " ").replace(" / ", " ").strip(_WORD_STRIP)).lower()
            form = " ".join(dict.fromkeys(form.split()))  # "ami ami 종류" -> "ami 종류"
            if not form or squash(form) in seen or len(form) > 80:
                continue
            seen.add(squash(form))
            out.append(form)
        return out[:ALIASES_MAX]

    def _keywords(self, body: str, names: list[str]) -> list[str]:
        found: list[str] = []
        root = SyntaxTreeNode(_MD.parse(body))
        for node in _walk(root):
            if node.type == "code_inline" and 1 < len(node.content) <= 30 and len(node.content.split()) <= 3:
                found.append(node.content)
            if node.type == "list_item":
                inline = _first_inline(node)
                if inline is not None:
                    found += _lead_terms(_norm(_plain(inline)))
            if node.type == "inline":
                for pair in _pairs(_norm(_plain(node))):
                    found += [pair.left, pair.right]
        more = []
        for term in found:
            key = _key(_korean_stem(term) if _has_hangul(term) else term)
            if self.en_ko.get(key):
                more.append(self.en_ko[key][0])
            elif key in self.ko_en:
                more.append(self.ko_en[key])
        seen = {squash(n) for n in names}
        out: list[str] = []
        for term in found + more:
            term = _norm(term).strip(_WORD_STRIP)
            if len(term) < 2 or len(term) > 40 or term.isdigit() or squash(term) in seen:
                continue
            seen.add(squash(term))
            out.append(term)
        return out[:KEYWORDS_MAX]


_LEAD_SKIP = frozenset(["eg", "e.g", "예", "예시", "참고", "주의", "ex", "tip"])


def _lead_terms(text: str) -> list[str]:
    """``Version: policy json의 버전`` -> ``[Version]``; ``gp2/gp3: ...`` -> ``[gp2, gp3]``;
    ``스팟 인스턴스 - 미사용 EC2 ...`` -> ``[스팟 인스턴스]``. The lead must be a short noun phrase:
    no particle (``인스턴스를 정지 - ...``), not a number, not a remark (``eg.``, ``참고``)."""
    m = re.match(r"^([^:：]{1,30}?)\s*[:：]\s+\S", text) or re.match(r"^(.{1,30}?)\s+[-–]\s+\S", text)
    if not m:
        return []
    term = m.group(1).strip()
    if _PAREN_RE.search(term) or "(" in term:
        return []  # a term with its gloss: the pair is taken from the text
    term = term.strip(_WORD_STRIP)
    if not term or term.lower().rstrip(".") in _LEAD_SKIP or len(term.split()) > 4 or term[0].isdigit():
        return []
    if any(_has_hangul(w) and strip_particle(w) != w for w in term.split()):
        return []
    if "/" in term and all(0 < len(p.strip()) <= 15 for p in term.split("/")):
        return [p.strip() for p in term.split("/")]
    return [term]


def _whole_pair_sides(text: str) -> list[str]:
    """Both sides of the pairs in ``text`` when they name all of it (``배치그룹(placement group)``)."""
    pairs = _pairs(text, heading=True)
    if not pairs:
        return []
    start, end = min(p.start for p in pairs), max(p.end for p in pairs)
    rest = _strip_filler(text[:start] + " " + text[end:]).strip(_WORD_STRIP)
    return [side for p in pairs for side in (p.left, p.right)] if not rest else []


def _strip_filler(text: str) -> str:
    words = [
        w for w in text.replace("?", " ").split() if w not in FILLER and _korean_stem(w) not in FILLER and w not in "-:"
    ]
    words = [re.sub(r"(이란|란)$", "", w) if _has_hangul(w) and len(w) > 2 else w for w in words]
    return " ".join(w for w in words if w)


def _bold_lead(paragraph: SyntaxTreeNode) -> str | None:
    inline = _first_inline(paragraph)
    if inline is None:
        return None
    children = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    if children and children[0].type == "strong":
        label = _norm(_plain(children[0])).rstrip(":：")
        return label or None
    return None


def _lead_items(node: SyntaxTreeNode) -> int:
    """How many items of a list hold a sub-list of at least two items."""
    count = 0
    for item in node.children:
        subs = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
        if subs and len(subs[0].children) >= 2:
            count += 1
    return count


def _collapse(lines: list[str]) -> list[str]:
    """No runs of blank lines (outside fenced code), no blank lines at either end."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        m = re.match(r"\s*(`{3,}|~{3,})", line)
        if m:
            marker = m.group(1)[0]
            fence = None if fence == marker else (fence or marker)
        if not line.strip() and fence is None and out and not out[-1].strip():
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return out


def _cut(text: str, limit: int) -> str:
    out, size = [], 0
    for line in text.split("\n"):
        if size + len(line) + 1 > limit:
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) if out else text[:limit]


def _merge(first: list[str], second: list[str]) -> list[str]:
    out = list(first)
    for item in second:
        if item not in out:
            out.append(item)
    return out


# -- YAML --------------------------------------------------------------------------------------


def _scalar(value: str, *, flow: bool = False) -> str:
    """A plain YAML scalar when it reads back the same, otherwise a double-quoted one."""
    if value and value == value.strip() and not re.search(r"[:#,\[\]{}&*!|>'\"%@`]" if flow else r"[:#'\"]", value):
        probe = f"[{value}]" if flow else f"k: {value}"
        try:
            loaded = yaml.safe_load(probe)
        except yaml.YAMLError:
            loaded = None
        if loaded == ([value] if flow else {"k": value}):
            return value
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


def render_topic(topic: TopicDraft, result: ImportResult) -> str:
    """The topic file as YAML laid out like the hand-written ones (block bodies, flow lists)."""
    out = [t("import.file_header", notes=result.notes, subject=result.subject, week=result.week)]
    out += ["topic:", f"  id: {topic.id}", f"  title: {_scalar(topic.title)}"]
    out += [f"  week: {topic.week}", f"  order: {topic.order}", "sections:"]
    for sec in topic.sections:
        out.append(f"  - id: {sec.id}")
        out.append(f"    title: {_scalar(sec.title)}")
        for name in ("aliases", "keywords", "related"):
            values = getattr(sec, name)
            if values:
                out.append(f"    {name}: {_flow(values)}")
        if sec.source:
            out.append(f"    source: {_scalar(sec.source)}")
        if sec.draft:
            out.append("    draft: true")
        body_lines = sec.body.split("\n")
        indicator = "|2" if body_lines and body_lines[0].startswith(" ") else "|"
        out.append(f"    body: {indicator}")
        out += [f"      {line}" if line else "" for line in body_lines]
        out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if yaml.safe_load(text) != _as_data(topic):  # never hand over a file that reads back differently
        text = out[0] + "\n" + yaml.safe_dump(_as_data(topic), allow_unicode=True, sort_keys=False, width=100)
    return text


def _as_data(topic: TopicDraft) -> dict:
    sections = []
    for sec in topic.sections:
        item: dict = {"id": sec.id, "title": sec.title}
        for name in ("aliases", "keywords", "related"):
            if getattr(sec, name):
                item[name] = list(getattr(sec, name))
        if sec.source:
            item["source"] = sec.source
        if sec.draft:
            item["draft"] = True
        item["body"] = sec.body + "\n"
        sections.append(item)
    meta = {"id": topic.id, "title": topic.title, "week": topic.week, "order": topic.order}
    return {"topic": meta, "sections": sections}


def render_subject(result: ImportResult) -> str:
    title = _TITLE_WEEK_RE.sub("", result.doc_title).strip() or result.subject
    return f"{t('import.subject_header')}\nid: {result.subject}\ntitle: {_scalar(title)}\n"


# -- the output folder -------------------------------------------------------------------------


def existing_in(out_dir: Path | str, subject: str) -> _Existing:
    """What the output folder holds for ``subject``: its topic files (never a draft) and glossary."""
    subject_dir = Path(out_dir) / subject
    found = _Existing()
    for path in sorted((subject_dir / "topics").glob("*.y*ml")):
        if DRAFT_FILE_RE.search(path.name):
            continue
        data = _safe_yaml(path)
        meta = data.get("topic") if isinstance(data, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        sections = data.get("sections") if isinstance(data, dict) else None
        ids = {str(s.get("id")) for s in sections or [] if isinstance(s, dict) and s.get("id")}
        order = meta["order"] if isinstance(meta.get("order"), int) else 0
        found.topics[path.stem] = (str(meta.get("id") or path.stem), order, ids)
    glossary = _safe_yaml(subject_dir / "glossary.yaml")
    if isinstance(glossary, dict):
        for group in glossary.get("synonyms") or []:
            if isinstance(group, list):
                found.glossary.append(tuple(str(g) for g in group))
    return found


def _safe_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


@dataclass
class Written:
    path: Path  # the file written (or the existing one, when identical)
    status: str  # "new", "same" or "draft"
    topic: TopicDraft | None = None
    existing: Path | None = None  # the file a draft stands beside
    diff: list[str] = field(default_factory=list)
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_changed: list[str] = field(default_factory=list)


def write_drafts(result: ImportResult, out_dir: Path | str) -> list[Written]:
    """Write the topics (and subject.yaml when missing). An existing file is never overwritten:
    the new version goes beside it as ``<name>.draft.yaml`` (``.draft-2.yaml``, … when taken)."""
    subject_dir = Path(out_dir) / result.subject
    topics_dir = subject_dir / "topics"
    topics_dir.mkdir(parents=True, exist_ok=True)
    written: list[Written] = []
    subject_file = subject_dir / "subject.yaml"
    if not subject_file.exists():
        subject_file.write_text(render_subject(result), encoding="utf-8")
        written.append(Written(subject_file, "new"))
    for topic in result.topics:
        text = render_topic(topic, result)
        path = topics_dir / topic.file_name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            written.append(Written(path, "new", topic))
            continue
        old = path.read_bytes().decode("utf-8", errors="replace")
        if old == text:
            written.append(Written(path, "same", topic))
            continue
        draft = _free_draft_name(path)
        draft.write_text(text, encoding="utf-8")
        item = Written(draft, "draft", topic, existing=path)
        item.diff = list(
            difflib.unified_diff(old.splitlines(), text.splitlines(), str(path.name), str(draft.name), n=1, lineterm="")
        )
        _section_changes(item, yaml_or_none(old), topic)
        written.append(item)
    return written


def yaml_or_none(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _section_changes(item: Written, old, topic: TopicDraft) -> None:
    before: dict[str, str] = {}
    if isinstance(old, dict):
        for sec in old.get("sections") or []:
            if isinstance(sec, dict) and sec.get("id"):
                before[str(sec["id"])] = json.dumps(sec, ensure_ascii=False, sort_keys=True, default=str)
    after = {s["id"]: json.dumps(s, ensure_ascii=False, sort_keys=True) for s in _as_data(topic)["sections"]}
    item.sections_added = [s for s in after if s not in before]
    item.sections_removed = [s for s in before if s not in after]
    item.sections_changed = [s for s in after if s in before and _loose(before[s]) != _loose(after[s])]


def _loose(dumped: str) -> object:
    data = json.loads(dumped)
    if isinstance(data, dict) and isinstance(data.get("body"), str):
        data["body"] = data["body"].strip()
    return data


def _free_draft_name(path: Path) -> Path:
    stem, suffix = path.stem, path.suffix
    candidate = path.with_name(f"{stem}.draft{suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{stem}.draft-{n}{suffix}")
    return candidate


# -- the summary -------------------------------------------------------------------------------

DIFF_LINES = 40


def summary(result: ImportResult, written: list[Written], out_dir: Path | str) -> list[str]:
    """What ``bot.py import`` prints (before the check and the time)."""
    base = Path(out_dir) / result.subject
    lines = [t("import.summary.head", notes=result.notes, out=base, week=result.week)]
    if result.doc_title:
        lines.append(t("import.summary.doc_title", title=result.doc_title))
    stubs = len(result.stubs)
    lines.append(
        t(
            "import.summary.counts",
            topics=len(result.topics),
            sections=len(result.sections),
            content=len(result.sections) - stubs,
            stubs=stubs,
            warnings=len(result.warnings),
            html=result.html_removed,
        )
    )
    for item in written:
        rel = _rel(item.path, base)
        if item.topic is None:
            lines.append("  " + t("import.status.subject_new", file=rel))
            continue
        n_stubs = sum(s.draft for s in item.topic.sections)
        lines.append(
            t(
                "import.summary.topic",
                status=t(f"import.status.{item.status}"),
                file=rel,
                title=item.topic.title,
                sections=len(item.topic.sections),
                stubs=t("import.summary.topic_stubs", stubs=n_stubs) if n_stubs else "",
            )
        )
        if item.status == "draft" and item.existing is not None:
            added = sum(1 for d in item.diff if d.startswith("+") and not d.startswith("+++"))
            removed = sum(1 for d in item.diff if d.startswith("-") and not d.startswith("---"))
            lines.append(
                t("import.draft_written", file=_rel(item.existing, base), draft=rel, added=added, removed=removed)
            )
            none = t("import.diff.none")
            lines.append(
                t(
                    "import.diff.sections",
                    added=", ".join(item.sections_added) or none,
                    removed=", ".join(item.sections_removed) or none,
                    changed=", ".join(item.sections_changed) or none,
                )
            )
            lines += ["    " + d for d in item.diff[:DIFF_LINES]]
            if len(item.diff) > DIFF_LINES:
                lines.append(
                    t("import.diff.more", more=len(item.diff) - DIFF_LINES, file=item.existing, draft=item.path)
                )
    if result.warnings:
        lines.append(t("import.summary.warnings"))
        lines += ["  " + w.render(result.notes) for w in sorted(result.warnings, key=lambda w: w.line)]
    return lines


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
