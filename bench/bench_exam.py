"""The mock exam under load: N members start a 65-question exam together, answer every question
(members concurrently, each member one press at a time, as in Discord), move back and forth,
hand in, and read their readiness.

    python bench/bench_exam.py                    # SQLite (temp file), 100 members
    python bench/bench_exam.py --postgres URL     # and PostgreSQL (or set TEST_POSTGRES_URL)
    python bench/bench_exam.py --quick            # 20 members, 20 questions (smoke test)

Each figure is the time of the ExamService call a Discord press makes before it answers (the
call returns the next page or the result the button then renders). Afterwards the database is
checked: every exam finished with the score its answers give, each miss in the review queue;
the script exits 1 when any check fails.

PostgreSQL: the schema ``public`` of the given database is DROPPED and recreated first (as
tests/conftest.py reset_postgres does): use a throw-away database (scripts/postgres.sh).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.common import reset_postgres  # noqa: E402
from studybot.exam import ExamService, ExamView, rules  # noqa: E402
from studybot.lookup import load  # noqa: E402
from studybot.storage import Storage  # noqa: E402

GUILD = 111
MEMBER_BASE = 10**17
TARGET_P99_MS = {"start": 100.0, "answer": 50.0, "move": 50.0, "finish": 200.0, "readiness": 100.0}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(
    url: str, members: int, questions: int, rate: float | None, trace: bool = False
) -> tuple[list[str], bool]:
    """One run; ``rate`` None: every member starts at once and presses again as soon as the last
    press returns (a burst, the worst case); otherwise presses arrive at about ``rate`` per second
    in all (each member thinks members / rate seconds on average between presses). Throughput is
    calls over the whole run's wall time."""
    kb = load(ROOT / "knowledge")
    store = await Storage.open(url)
    clock = Clock()
    exams = ExamService(kb, store, clock)
    times: dict[str, list[float]] = defaultdict(list)

    async def timed(kind: str, call):
        start = time.perf_counter()
        result = await call
        times[kind].append(1000 * (time.perf_counter() - start))
        return result

    ids = [MEMBER_BASE + n for n in range(members)]
    if trace:
        tracemalloc.start()
    expected: dict[int, int] = {}
    results: dict[int, ExamView] = {}
    think = random.Random(members)

    async def pause() -> None:
        if rate:
            await asyncio.sleep(think.expovariate(rate / members))

    async def sit(user: int) -> None:
        """One member: start, answer every question (◀ ▶ now and then), hand in, readiness."""
        await pause()
        page = (await timed("start", exams.start(GUILD, user, questions, seed=user))).page
        right = 0
        for n in range(questions):
            await pause()
            q = page.shown.question
            good = [i for i, c in enumerate(page.shown.choices) if c in q.correct_choices]
            bad = [i for i in range(len(page.shown.choices)) if i not in good]
            pick = good if (user + n) % 4 else (bad + good)[: len(good)]
            right += int(pick == good)
            page = (await timed("answer", exams.answer(page.exam.id, GUILD, user, n, pick))).page
            if n % 10 == 5:  # ◀ then ▶ now and then, as members do
                await pause()
                await timed("move", exams.show(page.exam.id, GUILD, user, max(n - 1, 0)))
                await pause()
                page = (await timed("move", exams.show(page.exam.id, GUILD, user, page.position))).page
        expected[user] = right
        await pause()
        results[user] = await timed("finish", exams.finish(GUILD, user))
        await pause()
        await timed("readiness", exams.readiness(GUILD, user))

    t0 = time.perf_counter()
    await asyncio.gather(*(sit(u) for u in ids))
    elapsed = time.perf_counter() - t0
    wall = dict.fromkeys(TARGET_P99_MS, elapsed)
    _, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    if trace:
        tracemalloc.stop()

    ok = True
    for u in ids:
        r = results[u].result
        if r is None or r.correct != expected[u] or r.scaled != rules.scaled_score(expected[u], questions):
            ok = False
        clock_due = datetime(2026, 12, 3, tzinfo=UTC)
        if len(await store.reviews.due(GUILD, u, clock_due)) != questions - expected[u]:
            ok = False
    await store.close()
    rows = []
    for kind in ("start", "answer", "move", "finish", "readiness"):
        values = times[kind]
        p99 = pct(values, 0.99)
        mark = "✅" if p99 < TARGET_P99_MS[kind] else "❌"
        rows.append(
            f"| {kind} | {len(values):,} | {statistics.median(values):.1f} | {p99:.1f} | "
            f"{len(values) / wall[kind]:,.0f} | < {TARGET_P99_MS[kind]:.0f} ms {mark} |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        rows.append(f"\n- memory: tracemalloc peak {peak / 2**20:.1f} MiB for one exam; peak RSS {rss:,.0f} MiB")
    else:
        rows.append(f"\n- peak RSS {rss:,.0f} MiB")
    rows.append(f"- checks (scores, review cards for every miss): {'ok' if ok else 'FAILED'}")
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--members", type=int)
    parser.add_argument("--questions", type=int)
    parser.add_argument("--rate", type=float, default=100.0, help="presses per second in the paced run")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    args = parser.parse_args()
    members = args.members or (20 if args.quick else 100)
    questions = args.questions or (20 if args.quick else 65)
    if args.quick:
        args.rate = 200.0
    targets: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'exam.db'}"))
        if args.postgres:
            asyncio.run(reset_postgres(args.postgres))
            targets.append(("PostgreSQL", args.postgres))
        ok = True
        for name, url in targets:
            for rate in (args.rate, None):
                if name == "PostgreSQL":
                    asyncio.run(reset_postgres(url))
                run_url = url if name == "PostgreSQL" else url.replace("exam.db", f"exam-{rate}.db")
                rows, good = asyncio.run(run(run_url, members, questions, rate))
                ok &= good
                how = f"presses arriving at {rate:.0f}/s" if rate else "every press at once (burst)"
                print(f"\n### {name}: {members} members, {questions} questions each, {how}\n")
                print("| operation | calls | median ms | p99 ms | throughput /s | target p99 |")
                print("|---|---:|---:|---:|---:|---|")
                print("\n".join(rows))
        rows, _ = asyncio.run(run(targets[0][1].replace("exam.db", "trace.db"), 1, questions, None, trace=True))
        print("\n" + rows[-2].strip() + " (one member, traced alone)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
