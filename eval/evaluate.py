"""/ask quality on eval/queries.yaml, per split (dev, test) and per kind of query.

    python eval/evaluate.py                 # both splits, by kind
    python eval/evaluate.py --split test    # the figures to report (never tuned on)
    python eval/evaluate.py --split dev --misses   # what to look at while tuning (dev only)

The split is a seeded hash of the query text (SEED): a query's split never changes when others are
added. A batch whose misses were read before it joined (``split: dev`` on each of its items) is dev
as a whole: the test split holds only queries nobody tuned on. The metrics, over what the member
is shown (``AskService.ask``):

- hit@1: an in-scope query is answered and the answer is an expected section (for a comparison,
  ``expect`` lists the comparison section; ``expect_pair`` names each side's section, for a
  search that composes both);
- hit@3: an expected section is among the first three sections offered (answer, suggestions);
- did-you-mean: an in-scope query is not answered but gets suggestions;
- confidently wrong: an in-scope query is answered, without alternatives, with a section that is
  not expected;
- hedged wrong: answered with alternatives ("혹시 이쪽일까요?" buttons) and the first is not expected
  (counted apart: the member sees the answer is uncertain and has the others one click away);
- rejection: an out-of-scope query (expect: []) is not answered.
"""

from __future__ import annotations

import argparse
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from studybot.lookup import Answer, AskService, load
from studybot.vocab import Decision

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "eval" / "queries.yaml"
SEED = "studybot-eval-2026"


def split_of(query: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{query}".encode()).hexdigest()
    return "dev" if int(digest, 16) % 2 == 0 else "test"


def load_queries(path: Path = QUERIES) -> list[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    for item in items:
        item["split"] = "dev" if item.get("split") == "dev" else split_of(str(item["q"]))
    return items


@dataclass
class Tally:
    in_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    did_you_mean: int = 0
    wrong: int = 0
    hedged: int = 0
    out_scope: int = 0
    rejected: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rate(self, name: str) -> float:
        base = self.out_scope if name == "rejected" else self.in_scope
        return getattr(self, name) / base if base else float("nan")


@dataclass
class Outcome:
    item: dict
    answer: Answer
    tally: Tally = field(default_factory=Tally)

    @property
    def miss(self) -> bool:
        t = self.tally
        return (t.in_scope and not t.hit1) or (t.out_scope and not t.rejected)


def judge(item: dict, answer: Answer) -> Tally:
    tally = Tally()
    expect = set(item.get("expect") or [])
    if not expect:
        tally.out_scope, tally.rejected = 1, int(not answer.found)
        return tally
    tally.in_scope = 1
    if answer.compared is not None:  # a composed comparison: its two sides are the query's pair
        pair = item.get("expect_pair") or []
        good = len(pair) == 2 and {s.id for s in answer.compared} == set(pair) and pair[0] != pair[1]
    else:
        good = answer.section is not None and answer.section.id in expect
    tally.hit1 = int(answer.found and good)
    hedged = answer.decision is Decision.ALTERNATIVES
    tally.wrong = int(answer.found and not good and not hedged)
    tally.hedged = int(answer.found and not good and hedged)
    tally.hit3 = int(bool(expect & set(answer.ranked[:3])))
    tally.did_you_mean = int(not answer.found and bool(answer.suggestions))
    return tally


def evaluate(service: AskService, items: list[dict]) -> list[Outcome]:
    out = []
    for item in items:
        answer = service.ask(str(item["q"]))
        out.append(Outcome(item, answer, judge(item, answer)))
    return out


def table(outcomes: list[Outcome], by: str) -> list[str]:
    groups: dict[str, Tally] = defaultdict(Tally)
    for o in outcomes:
        groups[o.item[by]].add(o.tally)
        groups["all"].add(o.tally)
    pct = lambda v: "-" if v != v else f"{100 * v:.1f}%"  # noqa: E731
    lines = [
        f"| {by} | in scope | hit@1 | hit@3 | did-you-mean | confidently wrong | hedged wrong | out of scope "
        "| rejection |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(groups, key=lambda k: (k == "all", k)):
        t = groups[key]
        lines.append(
            f"| {key} | {t.in_scope} | {pct(t.rate('hit1'))} | {pct(t.rate('hit3'))} | {pct(t.rate('did_you_mean'))} "
            f"| {pct(t.rate('wrong'))} | {pct(t.rate('hedged'))} | {t.out_scope} | {pct(t.rate('rejected'))} |"
        )
    return lines


def totals(outcomes: list[Outcome]) -> Tally:
    total = Tally()
    for o in outcomes:
        total.add(o.tally)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--misses", action="store_true", help="list misses (dev split only: never tune on test)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    service = AskService(load(ROOT / "knowledge"))
    items = load_queries(args.queries)
    for split in ("dev", "test") if args.split == "both" else (args.split,):
        outcomes = evaluate(service, [i for i in items if i["split"] == split])
        print(f"\n### {split} split ({len(outcomes)} queries)\n")
        print("\n".join(table(outcomes, "kind")))
        if args.misses and split == "dev":
            for o in outcomes:
                if o.miss:
                    a = o.answer
                    print(f"MISS {o.item['q']!r}: {a.decision} {a.ranked[:3]} want {o.item.get('expect')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
