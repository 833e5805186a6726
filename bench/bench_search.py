"""Search latency for `/ask` and its autocomplete, on the week-1 notes and on a knowledge base 100x larger.

    python bench/bench_search.py              # full run, about 3 minutes on 2 cores
    python bench/bench_search.py --trace-big  # also tracemalloc the 100x build (+2.5 minutes)
    python bench/bench_search.py --quick      # small version for the smoke test (~15 s)

Per knowledge base it reports the index build time (with autocomplete's name index, which the bot makes
at start-up), the peak memory of the build (tracemalloc)
and, for each operation, median / p99 / max latency and throughput, as a markdown table.

Operations, measured through AskService, the path the `/ask` command and its autocomplete take:

* ``/ask (new words)``: AskService.ask over eval/queries.yaml with the fuzzy-match cache emptied
  before every pass, as for queries whose words the bot has not seen since it started.
* ``/ask (repeated)``: the same queries again right after, the cache holding their words.
* ``autocomplete``: AskService.autocomplete over prefixes of the same queries (what Discord sends
  on each keystroke); the index keeps no cache for it.

The larger knowledge base is synthetic and built in memory: every real section copied
``--copies`` times with new section and topic ids; each copy's body has its lines' words sampled
(90%) and shuffled and ~20% of words replaced by synthetic tokens drawn from a Zipf-distributed
pool (Hangul for Hangul words, Latin for Latin ones), so the vocabulary grows sublinearly as real
notes do; titles, aliases, keywords and topic titles get the same 20% replacement without the
shuffle, and so do the members' questions of asks/. The glossary is the real one.

Memory: tracemalloc peak (and what the finished index still holds) of ``SearchIndex(kb)``, and the
growth of the process's peak RSS during the timed build; on a base of ``PARALLEL_SECTIONS`` or more,
also the peak RSS of the forked process that reads part of the fields, over this process's RSS when
it was forked (pages it shares with this one count there too). Tracemalloc slows a build about five
times: on the 100x knowledge base that is ~2.5 extra minutes, so the full run traces the big build
only with ``--trace-big``; ``--quick`` always traces both.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import gc
import itertools
import math
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from studybot.lookup import (  # noqa: E402
    AskService,
    KnowledgeBase,
    Section,
    Topic,
    load,
)
from studybot.lookup.search import SearchIndex  # noqa: E402
from studybot.text import is_hangul  # noqa: E402

SEED = 20261126
POOL = 60_000  # synthetic tokens per script (Hangul and Latin each), drawn with Zipf weights
REPLACE = 0.2  # share of words replaced by a synthetic token
KEEP = 0.9  # share of a body line's words kept (sampled) before the shuffle
# p99 targets (issue 7): /ask < 1 ms on week 1 and < 5 ms on the 100x base; autocomplete < 2 ms
TARGET_MS = {"week 1": {"ask": 1.0, "complete": 2.0}, "big": {"ask": 5.0, "complete": 2.0}}


# -- inputs ---------------------------------------------------------------------------------------


def load_queries() -> list[str]:
    data = yaml.safe_load((ROOT / "eval" / "queries.yaml").read_text(encoding="utf-8"))
    return [str(item["q"]) for item in data["queries"]]


def prefixes(queries: list[str], longest: int) -> list[str]:
    """What autocomplete receives while a member types each query: its first 1..longest characters."""
    seen: dict[str, None] = {}
    for q in queries:
        for n in range(1, min(len(q), longest) + 1):
            seen.setdefault(q[:n], None)
    return list(seen)


class _Perturber:
    def __init__(self, kb: KnowledgeBase, rng: random.Random):
        self.rng = rng
        syllables = sorted({c for s in kb.sections.values() for c in s.body if "\uac00" <= c <= "\ud7a3"})
        letters = "abcdefghijklmnopqrstuvwxyz"
        self.hangul = ["".join(rng.choices(syllables, k=rng.choice((2, 2, 3, 3, 4)))) for _ in range(POOL)]
        self.latin = ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(POOL)]
        self.cum = list(itertools.accumulate(1.0 / rank for rank in range(1, POOL + 1)))

    def token(self, like: str) -> str:
        i = bisect.bisect(self.cum, self.rng.random() * self.cum[-1])
        return (self.hangul if is_hangul(like) else self.latin)[min(i, POOL - 1)]

    def text(self, text: str, shuffle: bool) -> str:
        lines = []
        for line in text.split("\n"):
            ws = line.split()
            if shuffle:
                ws = [w for w in ws if self.rng.random() < KEEP]
                self.rng.shuffle(ws)
            lines.append(" ".join(self.token(w) if self.rng.random() < REPLACE else w for w in ws))
        return "\n".join(lines)


def synthetic(kb: KnowledgeBase, copies: int, seed: int = SEED) -> KnowledgeBase:
    """``copies`` perturbed copies of every real section (see the module docstring)."""
    p = _Perturber(kb, random.Random(seed))
    asked = copy.copy(p)  # the same token pools, drawn from with a random stream of its own
    asked.rng = random.Random(seed + 1)
    named = copy.copy(p)  # and one for the names sections only mention
    named.rng = random.Random(seed + 2)
    big = KnowledgeBase(subjects=dict(kb.subjects), synonyms=list(kb.synonyms))
    stride = max(t.order for t in kb.topics.values()) + 1
    for n in range(copies):
        for topic in sorted(kb.topics.values(), key=lambda t: t.id):
            tid = f"{topic.id}-x{n}"
            big.topics[tid] = Topic(
                tid,
                p.text(topic.title, shuffle=False),
                topic.subject_id,
                topic.week,
                topic.order + n * stride,
                tuple(f"{s}-x{n}" for s in topic.section_ids),
            )
            for sid in topic.section_ids:
                s = kb.sections[sid]
                big.sections[f"{sid}-x{n}"] = Section(
                    id=f"{sid}-x{n}",
                    title=p.text(s.title, shuffle=False),
                    body=p.text(s.body, shuffle=True),
                    topic_id=tid,
                    aliases=tuple(p.text(a, shuffle=False) for a in s.aliases),
                    keywords=tuple(p.text(k, shuffle=False) for k in s.keywords),
                    mentions=tuple(named.text(m, shuffle=False) for m in s.mentions),
                    related=tuple(f"{r}-x{n}" for r in s.related),
                    source=s.source,
                )
                if sid in kb.asks:  # their own random stream: the sections stay what they were without them
                    big.asks[f"{sid}-x{n}"] = tuple(asked.text(a, shuffle=False) for a in kb.asks[sid])
    return big


def make_kb(copies: int) -> KnowledgeBase:
    kb = load(ROOT / "knowledge")
    return kb if copies == 0 else synthetic(kb, copies)


def traced_build(kb: KnowledgeBase) -> tuple[float, float]:
    """Peak and retained MiB of SearchIndex(kb) under tracemalloc."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    index = SearchIndex(kb)
    index.prefix_keys  # noqa: B018 (autocomplete's index: part of what the bot builds)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index
    gc.collect()
    return peak / 2**20, current / 2**20


def rss_mib() -> float:
    """Current resident set size (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def rss_parts_mib() -> tuple[float, float]:
    """Resident memory in two parts (Linux /proc): anonymous (the heap: what the index holds) and
    file-backed (mapped files paged in, such as the analyzer's dictionary; shared and evictable)."""
    parts = {"RssAnon": 0.0, "RssFile": 0.0}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in parts:
                parts[key] = int(value.split()[0]) / 1024
    except (OSError, ValueError):
        pass
    return parts["RssAnon"], parts["RssFile"]


def maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


@dataclass
class Stats:
    samples: list[int]  # ns
    wall_ns: int

    def pct(self, q: float) -> float:
        s = sorted(self.samples)
        return s[max(math.ceil(q * len(s)) - 1, 0)] / 1e6

    @property
    def median(self) -> float:
        return self.pct(0.5)

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    @property
    def max(self) -> float:
        return max(self.samples) / 1e6

    @property
    def throughput(self) -> float:
        return len(self.samples) / (self.wall_ns / 1e9)


def measure(fn, items: list[str], passes: int, before_pass=None, warm: bool = True) -> Stats:
    """One warm-up pass, then ``passes`` timed passes; ``before_pass`` runs before each (not timed)."""
    if warm:
        if before_pass:
            before_pass()
        for item in items:
            fn(item)
    samples: list[int] = []
    wall = 0
    for _ in range(passes):
        if before_pass:
            before_pass()
        gc.collect()
        start = time.perf_counter_ns()
        for item in items:
            t = time.perf_counter_ns()
            fn(item)
            samples.append(time.perf_counter_ns() - t)
        wall += time.perf_counter_ns() - start
    return Stats(samples, wall)


@dataclass
class KbReport:
    name: str
    target: str
    sections: int
    body_words: int
    terms: int
    names: int
    build_s: float
    builds: int
    rss_growth_mib: float
    child_growth_mib: float  # the forked reader's peak RSS over this process's before the build
    anon_growth_mib: float
    file_growth_mib: float
    peak_mib: float | None = None
    retained_mib: float | None = None
    rows: list[tuple[str, Stats]] | None = None
    decisions: Counter | None = None


def run_kb(
    name: str, target: str, kb: KnowledgeBase, builds: int, queries: list[str], typed: list[str], passes: int
) -> KbReport:
    times = []
    index = None
    gc.collect()
    rss_before = rss_mib()
    anon_before, file_before = rss_parts_mib()
    for _ in range(builds):
        index = None
        gc.collect()
        t = time.perf_counter_ns()
        index = SearchIndex(kb)
        index.prefix_keys  # noqa: B018 (autocomplete's index: part of what the bot builds)
        times.append((time.perf_counter_ns() - t) / 1e9)
    rss_growth = max(0.0, maxrss_mib() - rss_before)
    child_growth = max(0.0, maxrss_mib(resource.RUSAGE_CHILDREN) - rss_before)
    gc.collect()
    anon_after, file_after = rss_parts_mib()
    assert index is not None
    svc = AskService(kb, index)
    report = KbReport(
        name,
        target,
        len(kb.sections),
        len({w for s in kb.sections.values() for w in s.body.split()}),
        len(index.lookup),
        len(index.prefix_keys),
        sorted(times)[len(times) // 2],
        builds,
        rss_growth,
        child_growth,
        anon_after - anon_before,
        file_after - file_before,
    )
    report.decisions = Counter(svc.ask(q).decision for q in queries)
    # new words: the fuzzy-match cache emptied before the warm-up and every timed pass; repeated:
    # the same queries right after, the cache holding what the last pass looked up
    cold = measure(svc.ask, queries, passes, before_pass=index._fuzzy.cache_clear)
    warm = measure(svc.ask, queries, passes, warm=False)
    report.rows = [
        ("/ask (new words)", cold),
        ("/ask (repeated)", warm),
        ("autocomplete", measure(svc.autocomplete, typed, passes)),
    ]
    return report


# -- output ---------------------------------------------------------------------------------------


def print_tables(reports: list[KbReport], args, notes: list[str]) -> None:
    mib = lambda v: f"{v:,.1f}" if v is not None else "not traced (--trace-big)"  # noqa: E731
    print("## Search benchmark\n")
    print(
        f"Python {sys.version.split()[0]}; seed {SEED}; synthetic KB = {args.copies} perturbed copies of week 1"
        f"{' (--quick)' if args.quick else ''}.\n"
    )
    print(
        "| knowledge base | sections | distinct body words | index terms | name keys | build s "
        "| peak build MiB (tracemalloc) | index MiB after build (tracemalloc) | peak RSS growth MiB "
        "| heap RSS growth MiB | mapped-file RSS growth MiB | second process's peak RSS growth MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in reports:
        build = f"{r.build_s:.2f}" + (f" (median of {r.builds})" if r.builds > 1 else "")
        print(
            f"| {r.name} | {r.sections:,} | {r.body_words:,} | {r.terms:,} | {r.names:,} | {build} "
            f"| {mib(r.peak_mib)} | {mib(r.retained_mib)} | {r.rss_growth_mib:,.1f} "
            f"| {r.anon_growth_mib:,.1f} | {r.file_growth_mib:,.1f} | {r.child_growth_mib:,.1f} |"
        )
    print()
    print("| knowledge base | operation | calls | median ms | p99 ms | max ms | throughput /s | target p99 | met |")
    print("|---|---|---:|---:|---:|---:|---:|---:|:---:|")
    for r in reports:
        for op, s in r.rows or []:
            limit = TARGET_MS[r.target]["complete" if op == "autocomplete" else "ask"]
            ok = "yes" if s.p99 < limit else "**NO**"
            print(
                f"| {r.name} | {op} | {len(s.samples):,} | {s.median:.2f} | {s.p99:.2f} | {s.max:.2f} "
                f"| {s.throughput:,.0f} | < {limit:g} ms | {ok} |"
            )
    print()
    for r in reports:
        d = r.decisions or Counter()
        counts = ", ".join(f"{k} {v}" for k, v in sorted(d.items()))
        print(f"- {r.name}: {sum(d.values())} queries -> {counts}")
    for note in notes:
        print(f"- {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a much smaller run (smoke test)")
    parser.add_argument("--copies", type=int, help="size of the synthetic KB in copies of week 1 (default 100)")
    parser.add_argument("--passes", type=int, help="timed passes per operation (default 3 on week 1, 2 on the big KB)")
    parser.add_argument("--trace-big", action="store_true", help="also trace the big build (adds ~2.5 min at 100x)")
    args = parser.parse_args()
    quick = args.quick
    args.copies = args.copies or (3 if quick else 100)
    trace_big = args.trace_big or quick
    rng = random.Random(SEED)

    queries = load_queries()
    typed = prefixes(queries, longest=20)
    if quick:
        small_q, small_t, small_passes, small_builds = rng.sample(queries, 20), rng.sample(typed, 40), 1, 1
        big_q, big_t, big_passes = rng.sample(queries, 10), rng.sample(typed, 20), 1
    else:
        small_q, small_t, small_passes, small_builds = queries, rng.sample(typed, min(len(typed), 600)), 3, 5
        big_q, big_t, big_passes = rng.sample(queries, 40), rng.sample(typed, 80), 2
    small_passes = args.passes or small_passes
    big_passes = args.passes or big_passes

    week1 = make_kb(0)
    small = run_kb("week 1", "week 1", week1, small_builds, small_q, small_t, small_passes)
    small.peak_mib, small.retained_mib = traced_build(week1)

    big_kb = make_kb(args.copies)
    big = run_kb(f"{args.copies}x synthetic", "big", big_kb, 1 if args.quick else 3, big_q, big_t, big_passes)
    gc.collect()
    if trace_big:
        big.peak_mib, big.retained_mib = traced_build(big_kb)

    notes = [
        f"week 1: {len(small_q)} of the {len(queries)} queries of eval/queries.yaml and {len(small_t)} of their {len(typed)} "
        f"prefixes (1..20 chars), {small_passes} timed pass(es) after a warm-up pass",
        f"{big.name}: {len(big_q)} queries and {len(big_t)} prefixes (seeded samples of the same), {big_passes} timed pass(es) "
        "after a warm-up pass",
    ]
    print_tables([small, big], args, notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
