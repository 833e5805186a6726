"""The look-up service behind `/ask`, the console and `bot.py ask`: one place decides what a
member gets back for a query, and the front ends only render it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybot.lookup import search
from studybot.lookup.knowledge import KnowledgeBase, Section
from studybot.messages import t
from studybot.text import clean, tokens
from studybot.vocab import Decision

QUERY_MAX = 100
_MD_SPECIAL = re.compile(r"([\\`*_~|>#\[\]()@<:-])")


def escape_md(text: str) -> str:
    """Echo user text without Markdown effects or mentions (``@everyone`` stays plain text)."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text))


@dataclass(frozen=True)
class Answer:
    query: str
    decision: Decision
    section: Section | None
    path: str
    related: tuple[Section, ...]
    suggestions: tuple[Section, ...]
    message: str  # what to say above the content (empty for a confident answer)

    @property
    def found(self) -> bool:
        return self.section is not None

    @property
    def ranked(self) -> list[str]:
        """Section ids in the order offered: the answer, then the suggestions."""
        first = [self.section.id] if self.section else []
        return first + [s.id for s in self.suggestions if s.id not in first]

    def to_json(self, kb: KnowledgeBase) -> dict:
        return {
            "query": self.query,
            "found": self.found,
            "answer": None
            if self.section is None
            else {"id": self.section.id, "title": self.section.title, "text": self.section.body, "path": self.path},
            "related": [{"id": s.id, "title": s.title} for s in self.related],
            "suggestions": [{"id": s.id, "title": s.title} for s in self.suggestions],
        }


class AskService:
    def __init__(self, kb: KnowledgeBase, index: search.SearchIndex | None = None):
        self.kb = kb
        self.index = index or search.SearchIndex(kb)

    def check_query(self, query: str) -> str | None:
        """The message for a query we will not search, or None when it is fine."""
        stripped = clean(query or "")
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
        return Answer(section.title, search.ANSWER, section, self.kb.path(section.id), self._related(section), (), "")

    def ask(self, query: str) -> Answer:
        problem = self.check_query(query)
        if problem:
            return Answer(query, Decision.INVALID, None, "", (), (), problem)
        result = self.index.search(query)
        shown = escape_md(query)
        if result.decision == search.ANSWER:
            best = self.kb.sections[result.hits[0].section_id]
            return Answer(query, result.decision, best, self.kb.path(best.id), self._related(best), (), "")
        suggestions = tuple(self.kb.sections[h.section_id] for h in result.hits[:3])
        if result.decision == search.DID_YOU_MEAN:
            return Answer(query, result.decision, None, "", (), suggestions, t("ask.did_you_mean", query=shown))
        topics = ", ".join(tp.title for tp in sorted(self.kb.topics.values(), key=lambda x: x.order))
        message = t("ask.nothing", query=shown) + "\n" + t("ask.nothing_hint", topics=topics)
        return Answer(query, result.decision, None, "", (), (), message)

    def _related(self, section: Section) -> tuple[Section, ...]:
        shown = [self.kb.sections[r] for r in section.related if r in self.kb.sections]
        return tuple([s for s in shown if not s.draft][:3])

    def autocomplete(self, current: str, limit: int = 25) -> list[tuple[str, str]]:
        """(title, section id) pairs for what the member is typing."""
        return [(self.kb.sections[sid].title, sid) for sid in self.index.complete(current, limit)]


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
    """Plain text for the console and `bot.py ask`."""
    lines = []
    if answer.section is not None:
        lines += [f"📘 {answer.section.title}", f"({answer.path})", "", answer.section.body]
        if answer.related:
            lines += ["", t("ask.related") + ": " + ", ".join(s.title for s in answer.related)]
    else:
        lines.append(answer.message)
        if answer.suggestions:
            lines += [f"  - {s.title}" for s in answer.suggestions]
    return "\n".join(lines)
