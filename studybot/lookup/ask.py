"""The look-up service behind `/ask`, the console and `bot.py ask`: one place decides what a
member gets back for a query, and the front ends only render it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybot.lookup import search
from studybot.lookup.analyzer import Word, rarity
from studybot.lookup.knowledge import KnowledgeBase, Section
from studybot.lookup.search import COMPARE_CUES, CONNECTORS, EVERYDAY_RARITY
from studybot.messages import t
from studybot.text import ZERO_WIDTH, clean, tokens, topic_particle, without_markup
from studybot.vocab import Decision

QUERY_MAX = 100
_MD_SPECIAL = re.compile(r"([\\`*_~|>#\[\]()@<:-])")


def escape_md(text: str) -> str:
    """Echo user text as written (its case, its jamo: NFKC would make ``ㅎㅎ`` leading consonants),
    on one line, without zero-width characters, Markdown effects or mentions (``@everyone`` stays
    plain text)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.translate(ZERO_WIDTH).split()))


BOTH_SIDES = 0.8  # a side's section that holds this much of the other side's weight speaks of both


@dataclass(frozen=True)
class Answer:
    query: str
    decision: Decision
    section: Section | None
    path: str
    related: tuple[Section, ...]
    suggestions: tuple[Section, ...]
    message: str  # what to say above the content (empty for a confident answer)
    alternatives: tuple[Section, ...] = ()  # likely but not certain: other candidates as buttons
    compared: tuple[Section, Section] | None = None  # a composed comparison of two sections

    @property
    def found(self) -> bool:
        return self.section is not None or self.compared is not None

    @property
    def ranked(self) -> list[str]:
        """Section ids in the order offered: the answer (or both compared), then the others."""
        first = [s.id for s in self.compared] if self.compared else [self.section.id] if self.section else []
        return first + [s.id for s in (*self.alternatives, *self.suggestions) if s.id not in first]

    def compare_text(self) -> str:
        assert self.compared is not None
        return "\n\n".join(f"## {s.title}\n{s.body}" for s in self.compared)

    def to_json(self, kb: KnowledgeBase) -> dict:
        answer = None
        if self.compared is not None:
            a, b = self.compared
            answer = {
                "id": f"compare:{a.id}+{b.id}",
                "title": f"{a.title} vs {b.title}",
                "text": self.compare_text(),
                "path": f"{kb.path(a.id)} | {kb.path(b.id)}",
            }
        elif self.section is not None:
            answer = {"id": self.section.id, "title": self.section.title, "text": self.section.body, "path": self.path}
        return {
            "query": self.query,
            "found": self.found,
            "answer": answer,
            "related": [{"id": s.id, "title": s.title} for s in (*self.alternatives, *self.related)],
            "suggestions": [{"id": s.id, "title": s.title} for s in self.suggestions],
        }


class AskService:
    def __init__(self, kb: KnowledgeBase, index: search.SearchIndex | None = None):
        self.kb = kb
        self.index = index or search.SearchIndex(kb)

    def prepare_autocomplete(self) -> None:
        """Make autocomplete's name index now (the bot does, off the event loop), not at the
        first keystroke."""
        self.index.prefix_keys  # noqa: B018 (a cached property: reading it builds it)

    def check_query(self, query: str) -> str | None:
        """The message for a query we will not search, or None when it is fine."""
        stripped = clean(without_markup(query or ""))
        if not stripped:
            return t("ask.empty")
        if len(stripped) > QUERY_MAX:
            return t("ask.too_long", length=len(stripped), limit=QUERY_MAX)
        if not tokens(stripped):
            return t("ask.no_words")
        return None

    def section(self, section_id: str) -> Answer | None:
        section = self.kb.sections.get(section_id)
        if section is None:
            return None
        return Answer(section.title, Decision.ANSWER, section, self.kb.path(section.id), self._related(section), (), "")

    def ask(self, query: str) -> Answer:
        problem = self.check_query(query)
        if problem:
            return Answer(query, Decision.INVALID, None, "", (), (), problem)
        # a mention or an emoji pasted with the question (<@123> ebs 뭐야) is not what it asks
        text = without_markup(query)
        result = self.index.search(text)
        compared = self._comparison(query, text, result)
        if compared is not None:
            return compared
        cal = self.index.calibration
        shown = escape_md(query)
        candidates = [self.kb.sections[h.section_id] for h in result.hits]
        if result.scope >= cal.covered:
            best = candidates[0]
            # the decision read BM25's first hit: a different one shown first comes with alternatives
            unsure = result.probability < cal.confident or result.reordered
            others = tuple(candidates[1:3]) if unsure else ()
            decision = Decision.ALTERNATIVES if others else Decision.ANSWER
            related = tuple(s for s in self._related(best) if s not in others)
            return Answer(query, decision, best, self.kb.path(best.id), related, (), "", others)
        if result.scope >= cal.suggest and not result.unknown:
            message = t("ask.did_you_mean", query=shown)
            return Answer(query, Decision.DID_YOU_MEAN, None, "", (), tuple(candidates[:3]), message)
        topics = ", ".join(tp.title for tp in sorted(self.kb.topics.values(), key=lambda x: x.order))
        # what the notes lack, or only mention, heaviest first; an everyday word (오늘, thanks) is
        # no subject the notes skip, so with only such words the query is echoed instead
        term = next((w for w in result.lacking if rarity(w) >= EVERYDAY_RARITY), "")
        if result.vague:
            head = t("ask.vague", query=shown)
        elif term:
            head = t("ask.not_covered", term=escape_md(term), particle=topic_particle(term))
        else:
            head = t("ask.nothing", query=shown)
        return Answer(query, Decision.NOTHING, None, "", (), (), head + "\n" + t("ask.nothing_hint", topics=topics))

    def _comparison(self, query: str, text: str, whole: search.Result) -> Answer | None:
        """ "A vs B", "A랑 B 차이", "A B 비교": both sides, side by side, unless one section is about
        both: a comparison section, or one side's section that speaks of the other side too."""
        sides = comparison_sides(self.index.analyzer.words(text))
        if sides is None:
            return None
        cal = self.index.calibration
        found = []
        for side in sides:
            result = self.index.search(side)
            if not result.hits or result.scope < cal.suggest or result.unknown:
                return None
            found.append(self.kb.sections[result.hits[0].section_id])
        a, b = found
        if whole.hits:
            top = whole.hits[0].section_id
            if a.id == b.id or all(self.index.names_cover(top, side) >= 0.5 for side in sides):
                best = self.kb.sections[top if a.id != b.id else a.id]
                return Answer(query, Decision.ANSWER, best, self.kb.path(best.id), self._related(best), (), "")
            # one side's section that also speaks of the other side (hibernate vs stop); below the
            # confident threshold the other side's section comes with it as an alternative
            other = {a.id: sides[1], b.id: sides[0]}.get(top)
            if other is not None and self.index.text_covers(top, other) >= BOTH_SIDES:
                best = self.kb.sections[top]
                if whole.probability >= cal.confident:
                    return Answer(query, Decision.ANSWER, best, self.kb.path(best.id), self._related(best), (), "")
                alternative = (b if best is a else a,)
                related = tuple(s for s in self._related(best) if s not in alternative)
                return Answer(query, Decision.ALTERNATIVES, best, self.kb.path(best.id), related, (), "", alternative)
        return Answer(query, Decision.COMPARE, None, "", (), (), "", (), (a, b))

    def _related(self, section: Section) -> tuple[Section, ...]:
        shown = [self.kb.sections[r] for r in section.related if r in self.kb.sections]
        return tuple([s for s in shown if not s.draft][:3])

    def autocomplete(self, current: str, limit: int = 25) -> list[tuple[str, str]]:
        """(title, section id) pairs for what the member is typing."""
        return [(self.kb.sections[sid].title, sid) for sid in self.index.complete(current, limit)]


def comparison_sides(words: list[Word]) -> tuple[str, str] | None:
    """The two things a comparison query compares, or None when it is not one. A comparison
    has a cue (vs, 차이, 비교, difference, ...) and two sides split by a connective particle
    ("gp2랑"), a connector word ("vs", "and"), or, with no connector, exactly two words."""
    stems = [w.stem for w in words]
    if not any(s in COMPARE_CUES or w.surface in COMPARE_CUES for s, w in zip(stems, words, strict=True)):
        return None
    kept = [w for w in words if w.stem not in COMPARE_CUES and w.surface not in COMPARE_CUES and w.stem]
    for i, w in enumerate(kept[:-1]):
        # mecab tags 랑 after some nouns as a connective, after others as an adverbial particle
        if w.joins or w.surface in CONNECTORS or (w.bare and w.surface.removeprefix(w.bare) in CONNECTORS):
            left = [x.surface for x in kept[: i + 1] if x.surface not in CONNECTORS]
            right = [x.surface for x in kept[i + 1 :] if x.surface not in CONNECTORS]
            if left and right:
                return " ".join(left), " ".join(right)
    content = [w for w in kept if not w.predicate and w.surface not in CONNECTORS]
    if len(content) == 2:
        return content[0].surface, content[1].surface
    return None


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def render_text(answer: Answer) -> str:
    """Markdown for the console and `bot.py ask` (the console renders it for the terminal)."""
    lines = []
    if answer.compared is not None:
        a, b = answer.compared
        lines += [f"# {t('ask.compare_title', a=a.title, b=b.title)}", "", answer.compare_text()]
    elif answer.section is not None:
        lines += [f"# 📘 {answer.section.title}", f"*{answer.path}*", "", answer.section.body]
        if answer.alternatives:
            lines += ["", t("ask.alternatives") + ": " + ", ".join(s.title for s in answer.alternatives)]
        if answer.related:
            lines += ["", t("ask.related") + ": " + ", ".join(s.title for s in answer.related)]
    else:
        lines.append(answer.message)
        if answer.suggestions:
            lines += [f"- {s.title}" for s in answer.suggestions]
    return "\n".join(lines)
