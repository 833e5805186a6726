"""`/readiness` and `/quiz insights` over the leaderboard benchmark's history (bench_board.py's data
set: 50 guilds x 100 members, 250 days, ~1,000,000 daily answers), plus a review card for every
wrong answer of the last 30 days (what the answer path would have written).

    python bench/bench_readiness.py              # SQLite (temp file), ~1,000,000 answers
    python bench/bench_readiness.py --quick      # 20,000 answers (smoke test)
    python bench/bench_readiness.py --postgres URL   # also PostgreSQL (its schema public is DROPPED)

Measured: ``ExamService.readiness(guild, member)`` (what /readiness calls before drawing) and
``InsightService.insights(guild)`` (what /quiz insights calls before drawing), one call at a time
on random guilds and members after a warm-up; the charts are drawn off the event loop and timed
apart. Target: p99 < 100 ms for both calls.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from fsrs import Card, Rating  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.bench_board import FULL, NOW, QUICK, Dataset, guild_id, load_data, user_id  # noqa: E402
from bench.common import reset_postgres  # noqa: E402
from studybot.exam import ExamService, InsightService  # noqa: E402
from studybot.exam.chart import insights_png, readiness_png  # noqa: E402
from studybot.lookup import KnowledgeBase, load  # noqa: E402
from studybot.quiz import SCHEDULER  # noqa: E402
from studybot.storage import Storage  # noqa: E402
from studybot.storage.tables import answers, posts, reviews  # noqa: E402

TARGET_P99_MS = 100.0


def clock():
    return NOW


async def add_cards(store: Storage) -> int:
    """A card for each (member, question) answered wrong in the last 30 days."""
    since = NOW - timedelta(days=30)
    async with store.db.connect() as conn:
        rows = (
            await conn.execute(
                select(answers.c.guild_id, answers.c.user_id, posts.c.question_id, answers.c.answered_at)
                .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
                .where(answers.c.correct.is_(False), answers.c.answered_at >= since)
            )
        ).all()
    cards = {}
    for n, (g, u, q, stored) in enumerate(rows):
        when = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        card, _ = SCHEDULER.review_card(Card(card_id=n + 1, due=when), Rating.Again, when)
        cards[(g, u, q)] = {
            "guild_id": g,
            "user_id": u,
            "question_id": q,
            "card": json.dumps(card.to_dict()),
            "due": card.due,
            "lapses": 1,
        }
    values = list(cards.values())
    for i in range(0, len(values), 10_000):
        async with store.db.begin() as conn:
            await conn.execute(reviews.insert(), values[i : i + 10_000])
    return len(values)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(url: str, name: str, quick: bool) -> list[str]:
    kb = load(ROOT / "knowledge")
    shape = QUICK if quick else FULL
    store = await Storage.open(url)
    # the daily quiz serves no multi-response question yet (and bench_board's answers cannot make one)
    daily = KnowledgeBase(
        kb.subjects, kb.topics, kb.sections, {k: q for k, q in kb.questions.items() if q.type != "multi"}
    )
    data = Dataset(shape, daily, 1234)
    loaded, seconds = await load_data(store, data)
    cards = await add_cards(store)
    exams, insights = ExamService(kb, store, clock), InsightService(kb, store, clock)
    rng = random.Random(7)
    rows = [f"\n### {name}: {loaded:,} answers, {cards:,} review cards (loaded in {seconds:.0f} s)\n"]
    rows += [
        "| call | calls | median ms | p99 ms | max ms | calls/s | target p99 |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    n_ready, n_ins = (100, 50) if quick else (300, 100)
    for label, n, call in (
        ("readiness(guild, member)", n_ready, lambda g, m: exams.readiness(guild_id(g), user_id(g, m))),
        ("insights(guild)", n_ins, lambda g, m: insights.insights(guild_id(g))),
    ):
        for _ in range(10):  # warm-up
            await call(rng.randrange(shape.guilds), rng.randrange(shape.members))
        times = []
        start = time.perf_counter()
        for _ in range(n):
            g, m = rng.randrange(shape.guilds), rng.randrange(shape.members)
            t0 = time.perf_counter()
            await call(g, m)
            times.append(1000 * (time.perf_counter() - t0))
        wall = time.perf_counter() - start
        p99 = pct(times, 0.99)
        mark = "✅" if p99 < TARGET_P99_MS else "❌"
        rows.append(
            f"| {label} | {n} | {statistics.median(times):.1f} | {p99:.1f} | {max(times):.1f} | {n / wall:.0f} | < {TARGET_P99_MS:.0f} ms {mark} |"
        )
    ready = await exams.readiness(guild_id(0), user_id(0, 0))
    found = await insights.insights(guild_id(0))
    t0 = time.perf_counter()
    await asyncio.to_thread(readiness_png, ready, kb, "멤버")
    t1 = time.perf_counter()
    await asyncio.to_thread(insights_png, found, kb)
    t2 = time.perf_counter()
    rows.append(
        f"\n- charts, off the event loop: readiness {1000 * (t1 - t0):.0f} ms, insights {1000 * (t2 - t1):.0f} ms"
    )
    await store.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(asyncio.run(run(f"sqlite+aiosqlite:///{Path(tmp) / 'ready.db'}", "SQLite", args.quick))))
    if args.postgres:
        asyncio.run(reset_postgres(args.postgres))
        print("\n".join(asyncio.run(run(args.postgres, "PostgreSQL", args.quick))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
