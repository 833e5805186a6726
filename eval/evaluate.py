"""Search quality on eval/queries.yaml: hit@1, hit@3 and out-of-scope rejection.

    python eval/evaluate.py            # summary table
    python eval/evaluate.py --misses   # also list every miss

hit@1: the bot answers (decision "answer") with an expected section.
hit@3: an expected section is among the first three ranked hits, whatever the decision.
rejection: an out-of-scope query (expect: []) is not answered confidently.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from studybot.lookup import load  # noqa: E402
from studybot.lookup.search import ANSWER, SearchIndex  # noqa: E402


@dataclass
class Report:
    in_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    wrong_answers: int = 0
    out_scope: int = 0
    rejected: int = 0
    misses: list[str] | None = None

    def rows(self) -> list[tuple[str, str]]:
        pct = lambda a, b: f"{100 * a / b:.1f}% ({a}/{b})" if b else "-"  # noqa: E731
        return [
            ("hit@1", pct(self.hit1, self.in_scope)),
            ("hit@3", pct(self.hit3, self.in_scope)),
            ("confident wrong answers", pct(self.wrong_answers, self.in_scope)),
            ("out-of-scope rejection", pct(self.rejected, self.out_scope)),
        ]


def evaluate(queries_file: Path = ROOT / "eval" / "queries.yaml", index: SearchIndex | None = None) -> Report:
    index = index or SearchIndex(load(ROOT / "knowledge"))
    queries = yaml.safe_load(queries_file.read_text(encoding="utf-8"))["queries"]
    report = Report(misses=[])
    for item in queries:
        query, expect = str(item["q"]), set(item["expect"] or [])
        result = index.search(query)
        ranked = [h.section_id for h in result.hits]
        if expect:
            report.in_scope += 1
            good1 = result.decision == ANSWER and ranked[0] in expect
            report.hit1 += good1
            report.hit3 += bool(expect & set(ranked[:3]))
            if result.decision == ANSWER and not good1:
                report.wrong_answers += 1
            if not good1:
                report.misses.append(f"MISS  {query!r}: {result.decision} {ranked[:3]} want {sorted(expect)}")
        else:
            report.out_scope += 1
            ok = result.decision != ANSWER
            report.rejected += ok
            if not ok:
                report.misses.append(f"FALSE {query!r}: answered {ranked[0]}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--queries", type=Path, default=ROOT / "eval" / "queries.yaml")
    args = parser.parse_args()
    report = evaluate(args.queries)
    print(f"| metric | value |  ({report.in_scope} in-scope, {report.out_scope} out-of-scope queries)")
    print("|---|---|")
    for name, value in report.rows():
        print(f"| {name} | {value} |")
    if args.misses:
        print("\n".join(report.misses or []))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
