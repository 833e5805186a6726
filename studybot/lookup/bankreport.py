"""Figures on the question bank, and the bar it must clear (``python bot.py check [--bank]``).

Pure: a KnowledgeBase in, a BankReport out. Per topic, per exam domain and in total:

* questions by type and by difficulty;
* **longest correct**: the share of choice questions whose correct option is the longest by
  characters, ties counted as longest (a member who always picks the longest option should not
  score). Multi-answer questions are left out: with two or three right options out of five or
  six, the longest is right by chance 40-60% of the time;
* **true share**: of the true/false questions, the share whose answer is true;
* **no scenario**: choice and multi questions whose prompt sets no situation. A prompt sets one
  when it names an actor (``SCENARIO_ACTORS``: 회사, 팀, 기업, 스타트업, 개발자, 엔지니어, 관리자,
  조직, …) or says what someone is doing or about to do (``SCENARIO_VERBS``: ``…하려고 한다``,
  ``…하려 한다``, ``…하고 있다``, ``…해야 한다`` and their polite and joined forms; the question
  form ``…해야 하는가`` is not one). True/false and short questions
  state a fact or ask for a name, so they are not counted;
* **echo**: choice and multi questions where a word of the prompt comes back in a correct option
  and in no wrong one (a member can match words instead of knowing). Words are
  ``studybot.text`` tokens with particles stripped, at least two characters, minus a few
  question words (``ECHO_IGNORED``);
* sections that no question tests.

The bank fails (``BankReport.failures``) when the longest-correct share is over ``LONGEST_MAX``,
the true share is outside ``TRUE_RANGE`` or a section has no question.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from studybot.lookup.knowledge import KnowledgeBase, Question, paused_gc
from studybot.messages import t
from studybot.text import PARTICLES, strip_particle, tokens
from studybot.vocab import DOMAIN_WEIGHTS, Domain, QuestionType

LONGEST_MAX = 0.30
TRUE_RANGE = (0.40, 0.60)
SCENARIO_ACTORS = (
    "회사",
    "팀",
    "기업",
    "스타트업",
    "개발자",
    "엔지니어",
    "관리자",
    "조직",
    "담당자",
    "운영자",
    "아키텍트",
    "연구소",
    "스튜디오",
)
SCENARIO_VERBS = re.compile(
    r"려고?\s*(?:한다|합니다|하는|하며|하고|해서?|함)"  # 옮기려고 한다, 띄우려 한다: about to do
    r"|고\s*있(?:다|습니다|는|으며|고|어|음)"  # 운영하고 있다: doing
    r"|야\s*(?:한다|합니다|하며|하고|하는데)"  # 써야 한다: a requirement (not 해야 하는가, the question)
)
ECHO_IGNORED = frozenset(
    {"가장", "다음", "어떤", "무엇", "어떻게", "것은", "옳은", "적합한", "설명", "방법", "경우", "위해", "있다", "없다"}
)
CHOICE_LIKE = (QuestionType.CHOICE, QuestionType.MULTI)
NO_DOMAIN = "-"

_PARTICLES = frozenset(PARTICLES)


@dataclass
class Figures:
    """The counts of one group of questions (the bank, a topic or a domain)."""

    questions: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_difficulty: Counter = field(default_factory=Counter)
    choice: int = 0  # choice questions (the longest-correct denominator)
    longest: int = 0
    truefalse: int = 0
    true: int = 0
    choice_like: int = 0  # choice and multi questions (the scenario and echo denominator)
    no_scenario: int = 0
    echo: int = 0

    @property
    def longest_share(self) -> float | None:
        return self.longest / self.choice if self.choice else None

    @property
    def true_share(self) -> float | None:
        return self.true / self.truefalse if self.truefalse else None

    def to_json(self) -> dict:
        return {
            "questions": self.questions,
            "by_type": {str(k): self.by_type[k] for k in QuestionType if self.by_type[k]},
            "by_difficulty": {str(k): self.by_difficulty[k] for k in sorted(self.by_difficulty)},
            "longest_correct": {"count": self.longest, "of": self.choice, "share": _round(self.longest_share)},
            "true": {"count": self.true, "of": self.truefalse, "share": _round(self.true_share)},
            "no_scenario": {"count": self.no_scenario, "of": self.choice_like},
            "echo": {"count": self.echo, "of": self.choice_like},
        }


@dataclass
class BankReport:
    total: Figures
    topics: dict[str, Figures]
    domains: dict[str, Figures]
    uncovered: list[str]  # section ids no question tests, in notes order
    longest: list[str]  # question ids whose correct option is the longest
    no_scenario: list[str]
    echo: dict[str, list[str]]  # question id -> the words only its correct option repeats
    failures: list[str]  # why the bank fails (empty: it passes)

    def to_json(self) -> dict:
        return {
            **self.total.to_json(),
            "thresholds": {"longest_correct_max": LONGEST_MAX, "true_min": TRUE_RANGE[0], "true_max": TRUE_RANGE[1]},
            "uncovered_sections": self.uncovered,
            "longest_correct_ids": self.longest,
            "no_scenario_ids": self.no_scenario,
            "echo_words": self.echo,
            "topics": {k: v.to_json() for k, v in self.topics.items()},
            "domains": {
                k: {**v.to_json(), "weight": DOMAIN_WEIGHTS[Domain(k)] if k != NO_DOMAIN else None}
                for k, v in self.domains.items()
            },
            "failures": self.failures,
        }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


@lru_cache(maxsize=65_536)
def _stem(token: str) -> str:
    return strip_particle(token)


def _words(text: str) -> set[str]:
    out = set()
    for token in tokens(text):
        if token in _PARTICLES:
            continue
        word = _stem(token)
        if len(word) >= 2 and word not in ECHO_IGNORED:
            out.add(word)
    return out


def has_scenario(prompt: str) -> bool:
    """Whether a prompt sets a situation (see the module docstring)."""
    return any(actor in prompt for actor in SCENARIO_ACTORS) or bool(SCENARIO_VERBS.search(prompt))


def longest_is_correct(q: Question) -> bool:
    """A choice question whose correct option is at least as long as every other option."""
    right = str(q.answer)
    return all(len(right) >= len(o) for o in q.options if o != right)


def echo_words(q: Question) -> list[str]:
    """Words of the prompt that a correct option repeats and no wrong option does."""
    prompt = _words(q.prompt)
    if not prompt:
        return []
    correct = set(q.correct_choices)
    right: set[str] = set()
    wrong: set[str] = set()
    for option in q.options:
        (right if option in correct else wrong).update(_words(option) & prompt)
    return sorted(right - wrong)


def bank_report(kb: KnowledgeBase) -> BankReport:
    with paused_gc():
        return _bank_report(kb)


def _bank_report(kb: KnowledgeBase) -> BankReport:
    total = Figures()
    topics: dict[str, Figures] = {}
    domains: dict[str, Figures] = {str(d): Figures() for d in Domain}
    longest: list[str] = []
    no_scenario: list[str] = []
    echo: dict[str, list[str]] = {}
    tested: set[str] = set()
    for q in sorted(kb.questions.values(), key=lambda q: q.id):
        tested.update(q.section_ids)
        groups = (
            total,
            topics.setdefault(q.topic_id, Figures()),
            domains.setdefault(str(q.domain) if q.domain else NO_DOMAIN, Figures()),
        )
        is_longest = q.type is QuestionType.CHOICE and bool(q.options) and longest_is_correct(q)
        scenario = has_scenario(q.prompt) if q.type in CHOICE_LIKE else True
        words = echo_words(q) if q.type in CHOICE_LIKE else []
        for g in groups:
            g.questions += 1
            g.by_type[q.type] += 1
            g.by_difficulty[q.difficulty] += 1
            if q.type is QuestionType.CHOICE:
                g.choice += 1
                g.longest += is_longest
            if q.type is QuestionType.TRUEFALSE:
                g.truefalse += 1
                g.true += q.answer is True
            if q.type in CHOICE_LIKE:
                g.choice_like += 1
                g.no_scenario += not scenario
                g.echo += bool(words)
        if is_longest:
            longest.append(q.id)
        if not scenario:
            no_scenario.append(q.id)
        if words:
            echo[q.id] = words
    ordered = [s.id for s in kb.ordered_sections()]
    uncovered = [sid for sid in ordered if sid not in tested]
    order = {tid: i for i, tid in enumerate(dict.fromkeys(kb.sections[s].topic_id for s in ordered))}
    topics = dict(sorted(topics.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    domains = {k: v for k, v in domains.items() if v.questions or k != NO_DOMAIN}
    report = BankReport(total, topics, domains, uncovered, longest, no_scenario, echo, [])
    report.failures = _failures(report)
    return report


def _failures(report: BankReport) -> list[str]:
    out = []
    total = report.total
    share = total.longest_share
    if share is not None and share > LONGEST_MAX:
        out.append(t("bank.fail_longest", share=share, count=total.longest, of=total.choice, limit=LONGEST_MAX))
    share = total.true_share
    if share is not None and not TRUE_RANGE[0] <= share <= TRUE_RANGE[1]:
        out.append(
            t("bank.fail_true", share=share, count=total.true, of=total.truefalse, lo=TRUE_RANGE[0], hi=TRUE_RANGE[1])
        )
    if report.uncovered:
        out.append(t("bank.fail_uncovered", count=len(report.uncovered), ids=_some(report.uncovered)))
    return out


def _some(ids: list[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (t("bank.and_more", count=len(ids) - limit) if len(ids) > limit else "")


def _pct(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "-"


def _row(name: str, f: Figures) -> str:
    types = "/".join(str(f.by_type[k]) for k in QuestionType)
    levels = "/".join(str(f.by_difficulty[k]) for k in (1, 2, 3))
    return t(
        "bank.row",
        name=name,
        questions=f.questions,
        types=types,
        levels=levels,
        longest=_pct(f.longest_share),
        true=_pct(f.true_share),
        no_scenario=f.no_scenario,
        echo=f.echo,
    )


def render(report: BankReport, kb: KnowledgeBase) -> str:
    """The report as text (Korean), for ``python bot.py check --bank``."""
    total = report.total
    lines = [
        t("bank.title", questions=total.questions),
        t("bank.longest", share=_pct(total.longest_share), count=total.longest, of=total.choice, limit=LONGEST_MAX),
        t(
            "bank.true",
            share=_pct(total.true_share),
            count=total.true,
            of=total.truefalse,
            lo=TRUE_RANGE[0],
            hi=TRUE_RANGE[1],
        ),
        t("bank.uncovered", count=len(report.uncovered), ids=_some(report.uncovered) or "-"),
        t("bank.no_scenario", count=total.no_scenario, of=total.choice_like, ids=_some(report.no_scenario) or "-"),
        t(
            "bank.echo",
            count=total.echo,
            of=total.choice_like,
            ids=_some([f"{qid}({', '.join(words)})" for qid, words in report.echo.items()], 5) or "-",
        ),
        "",
        t("bank.header", types="/".join(t(f"bank.type.{k}") for k in QuestionType)),
        _row(t("bank.all"), total),
        t("bank.by_topic"),
        *(_row(kb.topic_title(tid) if tid else "-", f) for tid, f in report.topics.items()),
        t("bank.by_domain"),
    ]
    for name, f in report.domains.items():
        share = f.questions / total.questions if total.questions else 0.0
        label = (
            t("bank.domain", name=name, share=share, weight=DOMAIN_WEIGHTS[Domain(name)] / 100)
            if name != NO_DOMAIN
            else name
        )
        lines.append(_row(label, f))
    return "\n".join(lines)
