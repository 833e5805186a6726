"""Leaderboard latency: ``BoardService.board(guild, "week")`` over a big answer history.

    python bench/bench_board.py                      # 1,000,000 answers on SQLite (+ PostgreSQL if TEST_POSTGRES_URL)
    python bench/bench_board.py --quick              # 20,000 answers: a smoke test
    python bench/bench_board.py --postgres URL       # also on this PostgreSQL server (schema public is recreated!)
    python bench/bench_board.py --no-sqlite --explain  # only PostgreSQL, with the query plans
    python bench/bench_board.py --gc-freeze          # gc.freeze() after loading, before measuring

Data: 50 guilds x 100 members (5,000 members), one daily post per guild per local day for the
last 250 local days (Asia/Seoul) ending "today"; each member answers a day's post with their own
participation rate (0.6-1.0, 80 % on average, so streaks vary) and accuracy (0.5-0.9, 70 % on
average): about 1,000,000 answers. The store is opened with ``Storage.open`` (migrations), the rows
are bulk-inserted with SQLAlchemy Core executemany in batches of 10,000 per transaction.

Measured: what the ``/leaderboard show`` cog calls -- ``BoardService.board(guild, period)``, then
``board_text.board_lines`` for the first page and the caller's rank -- one call at a time on
random guilds with a random caller (latency median / p99 / max, throughput = calls / wall
time), after a warm-up. "week" is the target (p99 < 50 ms); "month" and "all" are extra rows,
as is "week" with 8 concurrent callers. The last column counts the interpreter's full
(generation-2) garbage collections during each run and their time, one source of the tail
(``--gc-freeze`` measures with ``gc.freeze()`` after loading). A second table splits a week board into its store calls and the
Python scoring; ``--explain`` prints the query plans of one week board. Seeds are fixed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import event, text  # noqa: E402

from bench.common import reset_postgres  # noqa: E402
from studybot.board import BoardService  # noqa: E402
from studybot.board import text as board_text  # noqa: E402
from studybot.guild import GuildSettings  # noqa: E402
from studybot.lookup import load  # noqa: E402
from studybot.quiz import multi  # noqa: E402
from studybot.storage import Storage  # noqa: E402
from studybot.storage.tables import answers, departed, posts  # noqa: E402

ZONE_NAME = "Asia/Seoul"
ZONE = ZoneInfo(ZONE_NAME)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # Thursday 21:00 in Seoul: the week is 4 days old
TARGET_P99_MS = 50.0
BATCH = 10_000
GUILD_BASE = 900_000_000_000_000_000  # snowflake-sized ids
USER_BASE = 800_000_000_000_000_000


@dataclass(frozen=True)
class Shape:
    guilds: int
    members: int  # per guild
    days: int
    calls: dict[str, int]  # period -> measured calls
    warmup: int
    departed_per_guild: int = 2

    @property
    def expected_answers(self) -> int:
        return round(self.guilds * self.members * self.days * 0.8)


FULL = Shape(guilds=50, members=100, days=250, calls={"week": 200, "month": 100, "all": 50}, warmup=50)
QUICK = Shape(guilds=5, members=20, days=250, calls={"week": 100, "month": 50, "all": 20}, warmup=10)
CONCURRENCY = 8


def fixed_clock() -> datetime:
    return NOW


def member_name(uid: int) -> str:
    return f"member-{uid % 1_000_000}"


def guild_id(g: int) -> int:
    return GUILD_BASE + g


def user_id(g: int, m: int) -> int:
    return USER_BASE + g * 10_000 + m


# -- data ------------------------------------------------------------------------------------------


class Dataset:
    """Deterministic history; rows are produced in the order a live bot would write them (day by day)."""

    def __init__(self, shape: Shape, kb, seed: int):
        self.shape = shape
        self.seed = seed
        rng = random.Random(seed)
        self.today = NOW.astimezone(ZONE).date()
        self.first_day = self.today - timedelta(days=shape.days - 1)
        self.questions = sorted(kb.questions.values(), key=lambda q: q.id)
        self.rate = {(g, m): rng.uniform(0.6, 1.0) for g in range(shape.guilds) for m in range(shape.members)}
        self.skill = {(g, m): rng.uniform(0.5, 0.9) for g in range(shape.guilds) for m in range(shape.members)}
        self.question_of: dict[int, object] = {}  # post id -> question

    def post_id(self, day_index: int, g: int) -> int:
        return day_index * self.shape.guilds + g + 1

    def post_rows(self) -> list[dict]:
        rng = random.Random(self.seed + 1)
        rows = []
        for d in range(self.shape.days):
            day = self.first_day + timedelta(days=d)
            posted = datetime.combine(day, dtime(9, 0), tzinfo=ZONE).astimezone(UTC)
            for g in range(self.shape.guilds):
                q = rng.choice(self.questions)
                pid = self.post_id(d, g)
                self.question_of[pid] = q
                n_opts = len(q.options) if q.type == "choice" else (2 if q.type == "truefalse" else 0)
                order = list(range(n_opts))
                rng.shuffle(order)
                is_today = day == self.today
                rows.append(
                    {
                        "id": pid,
                        "guild_id": guild_id(g),
                        "local_date": day,
                        "slot": "daily",
                        "question_id": q.id,
                        "topic_id": q.topic_id,
                        "choice_order": ",".join(map(str, order)),
                        "channel_id": guild_id(g) + 1,
                        "message_id": 700_000_000_000_000_000 + pid,
                        "status": "posted" if is_today else "closed",
                        "claimed_at": posted - timedelta(seconds=1),
                        "posted_at": posted,
                        "closes_at": posted + timedelta(days=1),
                        "closed_at": None if is_today else posted + timedelta(days=1),
                        "error": None,
                    }
                )
        return rows

    def answer_batches(self) -> Iterator[list[dict]]:
        rng = random.Random(self.seed + 2)
        batch: list[dict] = []
        for d in range(self.shape.days):
            day = self.first_day + timedelta(days=d)
            posted = datetime.combine(day, dtime(9, 0), tzinfo=ZONE).astimezone(UTC)
            # today's post has only been open 12 hours at NOW
            window = 12 * 3600 if day == self.today else 20 * 3600
            for g in range(self.shape.guilds):
                pid = self.post_id(d, g)
                q = self.question_of[pid]
                for m in range(self.shape.members):
                    if rng.random() >= self.rate[(g, m)]:
                        continue
                    correct = rng.random() < self.skill[(g, m)]
                    batch.append(
                        {
                            "post_id": pid,
                            "guild_id": guild_id(g),
                            "user_id": user_id(g, m),
                            "choice": choice_text(q, correct, rng)[:200],
                            "correct": correct,
                            "answered_at": posted + timedelta(seconds=rng.randrange(window)),
                            "local_date": day,
                        }
                    )
                    if len(batch) >= BATCH:
                        yield batch
                        batch = []
        if batch:
            yield batch


def choice_text(q, correct: bool, rng: random.Random) -> str:
    if q.type == "short":
        return q.accepted[0] if correct else "모르겠음"
    if q.type == "multi":  # stored as the picked options' authored indexes (studybot.quiz.multi)
        if correct:
            return multi.encode(q, q.answers)
        picks = [*q.answers[:-1], next(o for o in q.options if o not in q.answers)]
        return multi.encode(q, picks)
    right = q.correct_choice
    if correct:
        return right
    wrong = [o for o in (q.options if q.type == "choice" else ("O", "X")) if o != right]
    return rng.choice(wrong) if wrong else "?"


async def load_data(store: Storage, data: Dataset) -> tuple[int, float]:
    """Insert settings, posts, answers and a few departed members; (answers, seconds)."""
    started = time.perf_counter()
    for g in range(data.shape.guilds):
        await store.guilds.save(
            GuildSettings(guild_id(g), guild_id(g) + 1, "09:00", ZONE_NAME, admin_id=user_id(g, 0)), NOW
        )
    post_rows = data.post_rows()
    for i in range(0, len(post_rows), BATCH):
        async with store.db.engine.begin() as conn:
            await conn.execute(posts.insert(), post_rows[i : i + BATCH])
    total = 0
    for batch in data.answer_batches():
        async with store.db.engine.begin() as conn:
            await conn.execute(answers.insert(), batch)
        total += len(batch)
    rng = random.Random(data.seed + 3)
    gone = [
        {"guild_id": guild_id(g), "user_id": user_id(g, m), "left_at": NOW - timedelta(days=rng.randrange(1, 60))}
        for g in range(data.shape.guilds)
        for m in rng.sample(range(data.shape.members), data.shape.departed_per_guild)
    ]
    async with store.db.engine.begin() as conn:
        if gone:
            await conn.execute(departed.insert(), gone)
        if store.db.dialect == "postgresql":
            # explicit post ids: move the sequence past them, as a live table would be
            await conn.execute(
                text("SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))")
            )
    seconds = time.perf_counter() - started
    if store.db.dialect == "postgresql":
        # what autovacuum does a minute after a bulk load; without it the planner has no statistics
        async with store.db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE"))
    return total, seconds


# -- measuring ---------------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    db: str
    calls: int
    lat_ms: list[float]
    wall_s: float
    gc2: tuple[int, float] = (0, 0.0)  # full (generation 2) garbage collections during the run: count, ms

    def pct(self, p: float) -> float:
        ordered = sorted(self.lat_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def row(self) -> str:
        return (
            f"| {self.label} | {self.db} | {self.calls} | {statistics.median(self.lat_ms):.1f} | "
            f"{self.pct(99):.1f} | {max(self.lat_ms):.1f} | {self.calls / self.wall_s:.1f} | "
            f"{self.gc2[0]} / {self.gc2[1]:.0f} |"
        )


class FullGcMeter:
    """Counts the interpreter's full collections, the usual cause of a Python service's tail latency."""

    def __init__(self) -> None:
        self.count, self.seconds, self._t0 = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.count += 1
            self.seconds += time.perf_counter() - self._t0

    def __enter__(self) -> FullGcMeter:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)

    @property
    def result(self) -> tuple[int, float]:
        return self.count, self.seconds * 1000


async def one_board(service: BoardService, gid: int, caller: int, period: str) -> float:
    """What /leaderboard show does: the board, then its first page's lines with the caller's rank."""
    t0 = time.perf_counter()
    board = await service.board(gid, period, caller=caller)
    board_text.board_lines(board, 0, member_name, caller)
    return (time.perf_counter() - t0) * 1000


def picks(shape: Shape, n: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = rng.randrange(shape.guilds)
        out.append((guild_id(g), user_id(g, rng.randrange(shape.members))))
    return out


async def measure(service: BoardService, shape: Shape, db: str, period: str, n: int, seed: int) -> Result:
    lat = []
    with FullGcMeter() as meter:
        t0 = time.perf_counter()
        for gid, caller in picks(shape, n, seed):
            lat.append(await one_board(service, gid, caller, period))
        wall = time.perf_counter() - t0
    return Result(period, db, n, lat, wall, meter.result)


async def measure_concurrent(service: BoardService, shape: Shape, db: str, n: int, seed: int) -> Result:
    todo = picks(shape, n, seed)
    lat: list[float] = []

    async def worker(items):
        for gid, caller in items:
            lat.append(await one_board(service, gid, caller, "week"))

    with FullGcMeter() as meter:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(todo[i::CONCURRENCY]) for i in range(CONCURRENCY)))
        wall = time.perf_counter() - t0
    return Result(f"week, {CONCURRENCY} concurrent", db, n, lat, wall, meter.result)


PARTS = ("guilds.get", "community.day_rows", "community.departed_ids", "community.answered_days")


async def breakdown(service: BoardService, shape: Shape, n: int, seed: int) -> dict[str, list[float]]:
    """Time each store call inside week boards; the rest of the call is Python (scoring, streaks)."""
    storage = service.storage
    spent: dict[str, float] = {}
    out: dict[str, list[float]] = {p: [] for p in (*PARTS, "python", "total")}
    out["answered_days rows"] = []

    def owner(name: str):
        return getattr(storage, name.split(".")[0])

    originals = {name: getattr(owner(name), name.split(".")[1]) for name in PARTS}

    def timed(name):
        original = originals[name]

        async def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            result = await original(*args, **kwargs)
            spent[name] = spent.get(name, 0.0) + (time.perf_counter() - t0) * 1000
            if name == "community.answered_days":
                out["answered_days rows"].append(float(sum(len(v) for v in result.values())))
            return result

        return wrapper

    for name in PARTS:
        setattr(owner(name), name.split(".")[1], timed(name))
    try:
        for gid, caller in picks(shape, n, seed):
            spent.clear()
            total = await one_board(service, gid, caller, "week")
            for name in PARTS:
                out[name].append(spent.get(name, 0.0))
            out["python"].append(total - sum(spent.values()))
            out["total"].append(total)
        if not out["answered_days rows"]:  # streaks came from the period's own rows: no extra read
            out["answered_days rows"].append(0.0)
    finally:
        for name in PARTS:
            delattr(owner(name), name.split(".")[1])  # back to the class methods
    return out


async def explain(service: BoardService, shape: Shape) -> None:
    """Capture the SQL of one week board and print each statement's plan."""
    store = service.storage
    captured: list[tuple[str, tuple]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, tuple(parameters) if parameters is not None else ()))

    event.listen(store.db.engine.sync_engine, "before_cursor_execute", listen)
    try:
        await service.board(guild_id(0), "week")
    finally:
        event.remove(store.db.engine.sync_engine, "before_cursor_execute", listen)
    prefix = "EXPLAIN QUERY PLAN " if store.db.dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    print(f"\n### Query plans of one week board ({store.db.dialect})\n")
    for statement, params in captured:
        short = " ".join(statement.split())
        if len(short) > 400:
            short = short[:400] + " ..."
        print(f"```\n{short}\n  params: {len(params)}")
        async with store.db.engine.connect() as conn:
            rows = (await conn.exec_driver_sql(prefix + statement, params)).all()
        for r in rows:
            print("  " + (" | ".join(str(c) for c in r) if store.db.dialect == "sqlite" else str(r[0])))
        print("```")


def db_size(url: str) -> str:
    path = Path(url.split("///", 1)[1])
    main = path.stat().st_size
    wal = Path(f"{path}-wal").stat().st_size if Path(f"{path}-wal").exists() else 0
    return f"{main / 2**20:.1f} MiB (+ {wal / 2**20:.1f} MiB WAL)"


async def run_db(
    url: str, db: str, shape: Shape, seed: int, show_plans: bool, freeze: bool
) -> tuple[list[Result], dict]:
    kb = load(ROOT / "knowledge")
    if db == "postgresql":
        await reset_postgres(url)
    store = await Storage.open(url)
    try:
        data = Dataset(shape, kb, seed)
        total, seconds = await load_data(store, data)
        print(f"\n## {db}\n")
        print(
            f"- rows loaded: {total:,} answers, {shape.guilds * shape.days:,} posts "
            f"({shape.guilds} guilds x {shape.members} members, {shape.days} local days to {data.today})"
        )
        print(f"- load: {seconds:.1f} s ({total / seconds:,.0f} answers/s)")
        if db == "sqlite":
            print(f"- DB file size: {db_size(url)}")
        else:
            async with store.db.engine.connect() as conn:
                size = (await conn.execute(text("SELECT pg_database_size(current_database())"))).scalar_one()
            print(f"- database size: {size / 2**20:.1f} MiB")
        service = BoardService(kb, store, fixed_clock)
        del data
        gc.collect()
        if freeze:
            gc.freeze()  # what a bot could do once started: long-lived objects leave the collector's scans
        for gid, caller in picks(shape, shape.warmup, seed + 10):
            await one_board(service, gid, caller, "week")
        results = []
        for i, (period, n) in enumerate(shape.calls.items()):
            results.append(await measure(service, shape, db, period, n, seed + 20 + i))
        results.append(await measure_concurrent(service, shape, db, shape.calls["week"], seed + 30))
        parts = await breakdown(service, shape, max(20, shape.calls["week"] // 4), seed + 40)
        if show_plans:
            await explain(service, shape)
        return results, parts
    finally:
        if freeze:
            gc.unfreeze()
        await store.close()


def print_tables(results: list[Result], parts: dict[str, dict]) -> None:
    print("\n## Leaderboard latency (BoardService.board + first page lines with the caller's rank)\n")
    print("| board | DB | calls | median ms | p99 ms | max ms | boards/s | full GCs / ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(r.row())
    print("\n## Inside a week board (median ms per board)\n")
    dbs = list(parts)
    print("| part | " + " | ".join(dbs) + " |")
    print("|---|" + "---:|" * len(dbs))
    for name in (*PARTS, "python", "total"):
        print(f"| {name} | " + " | ".join(f"{statistics.median(parts[d][name]):.1f}" for d in dbs) + " |")
    print(
        "| rows from answered_days | "
        + " | ".join(f"{statistics.median(parts[d]['answered_days rows']):,.0f}" for d in dbs)
        + " |"
    )
    print()
    for r in results:
        if r.label == "week":
            p99 = r.pct(99)
            verdict = "PASS" if p99 < TARGET_P99_MS else "MISS"
            print(f"target: week board p99 < {TARGET_P99_MS:.0f} ms on {r.db}: {p99:.1f} ms -> {verdict}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 answers (5 guilds x 20 members): smoke test")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="PostgreSQL URL (default $TEST_POSTGRES_URL); its schema public is DROPPED",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument("--explain", action="store_true", help="print the query plans of a week board")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after loading, before measuring")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    shape = QUICK if args.quick else FULL
    print(
        f"# Leaderboard benchmark ({'quick' if args.quick else 'full'}: ~{shape.expected_answers:,} answers, "
        f"clock {NOW.isoformat()} = {NOW.astimezone(ZONE):%a %Y-%m-%d %H:%M} {ZONE_NAME}"
        f"{', gc.freeze() before measuring' if args.gc_freeze else ''})"
    )
    results: list[Result] = []
    parts: dict[str, dict] = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/board.db"
            res, p = await run_db(url, "sqlite", shape, args.seed, args.explain, args.gc_freeze)
            results += res
            parts["sqlite"] = p
    if args.postgres:
        res, p = await run_db(args.postgres, "postgresql", shape, args.seed, args.explain, args.gc_freeze)
        results += res
        parts["postgresql"] = p
    elif not args.no_sqlite:
        print("\n(no PostgreSQL: pass --postgres URL or set TEST_POSTGRES_URL)")
    if results:
        print_tables(results, parts)


if __name__ == "__main__":
    asyncio.run(main())
