"""The quiz answer burst: N members answering one daily post at the same moment.

    python bench/bench_answers.py                       # SQLite (temp file), 2000 members
    python bench/bench_answers.py --postgres URL        # and PostgreSQL (or set TEST_POSTGRES_URL)
    python bench/bench_answers.py --quick               # 200 members (smoke test)

Every click goes through QuizService.answer, the call the Discord button callback makes before it
sends the acknowledgement, so the time from the call to its return is the click-to-ack time inside
the bot. The post is set up as in tests/test_quiz.py (setup, claim, mark posted) with a fixed clock.
All clicks are started together with asyncio.gather; ``--double`` of the members (10% by default)
click twice, the second time on a random option (or text), mixed in among the other clicks.
For comparison, ``--singles`` late members (200) then answer one at a time: one click's cost
without a crowd.

Afterwards the database is checked: one row per member (store.answers.count, store.answers.distribution and
the rows themselves), nothing lost, nothing doubled, every acknowledgement naming the answer on
record, and a review card for each wrong answer. The script exits 1 when any of that fails.

PostgreSQL: the schema ``public`` of the given database is DROPPED and recreated before the run
(as tests/conftest.py reset_postgres does), so point it only at a throw-away database such as the
one scripts/postgres.sh starts.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import func, select  # noqa: E402

from bench.common import reset_postgres  # noqa: E402
from studybot.lookup import KnowledgeBase, load  # noqa: E402
from studybot.quiz import QuizService  # noqa: E402
from studybot.storage import Storage  # noqa: E402
from studybot.storage.tables import answers, reviews  # noqa: E402

SEED = 20261126
GUILD = 111
CHANNEL = 222
NOW = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # 09:30 in Seoul: the 09:00 post is due
MEMBER_BASE = 10**17  # Discord snowflake-sized user ids
TARGET_P99_MS = 50.0
DISCORD_ACK_MS = 3000.0  # Discord fails an interaction not answered within 3 s
RATE = 1000.0  # clicks per second in the paced-arrival run
WRONG_TEXT = "모르겠어요"


class FixedClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Click:
    user: int
    index: int | None = None
    text: str | None = None
    picks: list[int] | None = None  # a multi-response question: shown positions


@dataclass
class Done:
    click: Click
    start_ns: int
    end_ns: int
    status: str  # an AnswerOutcome status, or "error: ..."
    choice: str = ""


@dataclass
class Run:
    backend: str
    question: str
    members: int
    clicks: list[Done] = field(default_factory=list)
    burst_start_ns: int = 0
    checks: dict[str, object] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    single: list[Done] = field(default_factory=list)  # one click at a time, after the burst
    paced: list[Done] = field(default_factory=list)  # the same crowd arriving at a steady rate
    paced_wall_s: float = 0.0

    def latencies(self, from_burst: bool) -> list[float]:
        return sorted((d.end_ns - (self.burst_start_ns if from_burst else d.start_ns)) / 1e6 for d in self.clicks)

    @property
    def wall_s(self) -> float:
        return (max(d.end_ns for d in self.clicks) - self.burst_start_ns) / 1e9


def pct(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[max(math.ceil(q * len(sorted_ms)) - 1, 0)]


def click_for(svc: QuizService, post, user: int, rng: random.Random) -> Click:
    """A member's click: a valid option, or text for a short question."""
    shown = svc.shown(post)
    if shown.is_short:
        return Click(user, text=rng.choice([*shown.question.accepted, WRONG_TEXT]))
    if shown.is_multi:
        return Click(user, picks=sorted(rng.sample(range(len(shown.choices)), shown.needed)))
    return Click(user, index=rng.randrange(len(shown.choices)))


def plan(svc: QuizService, post, members: int, double: float, rng: random.Random) -> tuple[list[Click], list[int]]:
    """Each member's click and the double clickers' second one, shuffled together."""
    users = [MEMBER_BASE + i for i in range(members)]
    clicks = [click_for(svc, post, u, rng) for u in users]
    doubles = rng.sample(users, round(members * double))
    clicks += [click_for(svc, post, u, rng) for u in doubles]
    rng.shuffle(clicks)
    return clicks, users


async def one(svc: QuizService, post_id: int, c: Click) -> Done:
    start = time.perf_counter_ns()
    try:
        out = await svc.answer(post_id, c.user, guild_id=GUILD, index=c.index, text=c.text, picks=c.picks)
        status, choice = out.status, out.choice
    except Exception as exc:  # reported, never hidden: the member would see an error
        status, choice = f"error: {type(exc).__name__}: {exc}"[:200], ""
    return Done(c, start, time.perf_counter_ns(), status, choice)


async def burst(svc: QuizService, post_id: int, clicks: list[Click]) -> tuple[int, list[Done]]:
    t0 = time.perf_counter_ns()
    done = await asyncio.gather(*(one(svc, post_id, c) for c in clicks))
    return t0, list(done)


async def paced(svc: QuizService, post_id: int, clicks: list[Click], rate: float) -> tuple[list[Done], float]:
    """Open-loop arrivals: click i starts at i / rate seconds, whatever the earlier clicks are doing."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()

    async def arrive(i: int, c: Click) -> Done:
        await asyncio.sleep(max(0.0, t0 + i / rate - loop.time()))
        return await one(svc, post_id, c)

    done = await asyncio.gather(*(arrive(i, c) for i, c in enumerate(clicks)))
    return list(done), loop.time() - t0


async def verify(run: Run, store: Storage, post_id: int, users: list[int], question_id: str) -> None:
    answered, right = await store.answers.count(post_id)
    dist = await store.answers.distribution(post_id)
    async with store.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(answers.c.user_id, answers.c.choice, answers.c.correct).where(answers.c.post_id == post_id)
            )
        ).all()
        cards = (
            await conn.execute(
                select(func.count()).where(reviews.c.guild_id == GUILD, reviews.c.question_id == question_id)
            )
        ).scalar_one()
    on_record: dict[int, str] = {}
    extra_rows = 0
    for r in rows:
        if r.user_id in on_record:
            extra_rows += 1
        on_record[r.user_id] = r.choice
    members = set(users)
    by_user: dict[int, list[Done]] = defaultdict(list)
    for d in run.clicks:
        by_user[d.click.user].append(d)
    statuses = Counter(d.status if not d.status.startswith("error") else "error" for d in run.clicks)
    lost = sorted(members - set(on_record))
    strangers = sorted(set(on_record) - members)
    twice_recorded = [u for u, ds in by_user.items() if sum(d.status == "recorded" for d in ds) > 1]
    never_recorded = [u for u, ds in by_user.items() if u in on_record and not any(d.status == "recorded" for d in ds)]
    ack_wrong = [
        d for d in run.clicks if d.status in ("recorded", "already") and on_record.get(d.click.user) != d.choice
    ]
    wrong = sum(1 for r in rows if not r.correct)
    doubled = extra_rows + len(strangers) + len(twice_recorded) + max(answered - len(members), 0)
    run.checks = {
        "members": len(members),
        "clicks": len(run.clicks),
        "answer_count": answered,
        "sum(distribution)": sum(dist.values()),
        "acks recorded": statuses["recorded"],
        "acks already": statuses["already"],
        "errors": statuses["error"],
        "other statuses": sum(v for k, v in statuses.items() if k not in ("recorded", "already", "error")),
        "lost": len(lost),
        "doubled": doubled,
        "ack != record": len(ack_wrong) + len(never_recorded),
        "review cards / wrong": f"{cards} / {wrong}",
        "correct": right,
    }
    checks = [
        (not lost, f"{len(lost)} members' answers lost (e.g. {lost[:3]})"),
        (doubled == 0, f"{doubled} doubled answers"),
        (answered == len(members), f"answer_count {answered} != members {len(members)}"),
        (sum(dist.values()) == len(members), f"sum(distribution) {sum(dist.values())} != members {len(members)}"),
        (dist == dict(Counter(on_record.values())), "distribution disagrees with the rows"),
        (statuses["recorded"] == len(members), f"{statuses['recorded']} 'recorded' acks for {len(members)} members"),
        (statuses["already"] == len(run.clicks) - len(members), f"{statuses['already']} 'already' acks"),
        (not ack_wrong and not never_recorded, f"{len(ack_wrong) + len(never_recorded)} acks disagree with the record"),
        (cards == wrong, f"{cards} review cards for {wrong} wrong answers"),
    ]
    errors = [d.status for d in run.clicks if d.status.startswith("error")]
    if errors:
        run.failures.append(f"{len(errors)} clicks raised, e.g. {errors[0]}")
    run.failures += [message for ok, message in checks if not ok]


async def run_backend(
    backend: str, url: str, kb: KnowledgeBase, members: int, double: float, seed: int, singles: int
) -> Run:
    if backend == "PostgreSQL":
        await reset_postgres(url)
    store = await Storage.open(url)
    try:
        svc = QuizService(kb, store, FixedClock(NOW))
        await svc.setup(GUILD, CHANNEL, "09:00", "Asia/Seoul", admin_id=1)
        due = await svc.due()
        if len(due) != 1:
            raise SystemExit(f"{backend}: expected one due post, got {len(due)}")
        claimed = await svc.claim(due[0].settings)
        if claimed is None:
            raise SystemExit(f"{backend}: the post was already claimed")
        post, _ = claimed
        await svc.posted(post, 10_000 + post.id, due[0].settings)
        post = await store.posts.get(post.id)
        question = kb.questions[post.question_id]
        clicks, users = plan(svc, post, members, double, random.Random(seed))
        # the bot has been up for a while: its connection pool is open before the burst
        await asyncio.gather(*(store.guilds.get(GUILD) for _ in range(20)))
        run = Run(backend, f"{question.id} ({question.type})", members)
        run.burst_start_ns, run.clicks = await burst(svc, post.id, clicks)
        await svc.drain()  # review updates run right after each acknowledgement
        await verify(run, store, post.id, users, question.id)
        # the same crowd on a second post, arriving at RATE clicks per second instead of all at once
        manual = await svc.claim(due[0].settings, manual=True)
        assert manual is not None
        second, _ = manual
        await svc.posted(second, 20_000 + second.id, due[0].settings)
        second = await store.posts.get(second.id)
        crowd, _ = plan(svc, second, members, 0.0, random.Random(seed + 2))
        run.paced, run.paced_wall_s = await paced(svc, second.id, crowd, RATE)
        await svc.drain()
        recorded, _ = await store.answers.count(second.id)
        if recorded != members:
            run.failures.append(f"paced arrivals: {recorded} answers recorded for {members} members")
        # for comparison, the same call without a crowd: late members one at a time (not part of the checks)
        rng = random.Random(seed + 1)
        for i in range(singles):
            run.single.append(await one(svc, post.id, click_for(svc, post, MEMBER_BASE + members + i, rng)))
        if any(d.status != "recorded" for d in run.single):
            run.failures.append(f"one-at-a-time clicks: {Counter(d.status for d in run.single)}")
        return run
    finally:
        await store.close()


def print_tables(runs: list[Run], args) -> None:
    print("## Quiz answer burst\n")
    print(
        f"Python {sys.version.split()[0]}; seed {args.seed}; {args.members:,} members clicking one daily post at once, "
        f"{args.double:.0%} of them twice; every click through QuizService.answer.\n"
    )
    print(
        "| backend | question | clicks | latency measured | median ms | p99 ms | max ms | throughput answers/s "
        "| done in s | over Discord's 3 s | target p99 | met |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for run in runs:
        single_wall = sum(d.end_ns - d.start_ns for d in run.single) / 1e9
        rows = [
            ("burst: call -> return", run.latencies(False), run.wall_s),
            ("burst: burst start -> return", run.latencies(True), run.wall_s),
            ("one at a time, no crowd", sorted((d.end_ns - d.start_ns) / 1e6 for d in run.single), single_wall),
            (
                f"arrivals at {RATE:,.0f}/s: call -> return",
                sorted((d.end_ns - d.start_ns) / 1e6 for d in run.paced),
                run.paced_wall_s,
            ),
        ]
        for label, ms, wall in rows:
            if not ms:
                continue
            p99 = pct(ms, 0.99)
            print(
                f"| {run.backend} | {run.question} | {len(ms):,} | {label} | {pct(ms, 0.5):.1f} | {p99:.1f} "
                f"| {ms[-1]:.1f} | {len(ms) / wall:,.0f} | {wall:.2f} "
                f"| {sum(m > DISCORD_ACK_MS for m in ms) / len(ms):.0%} | < {TARGET_P99_MS:g} ms "
                f"| {'yes' if p99 < TARGET_P99_MS else '**NO**'} |"
            )
    print()
    keys = list(runs[0].checks)
    print("| backend | " + " | ".join(keys) + " | 0 lost or doubled |")
    print("|---|" + "---:|" * len(keys) + ":---:|")
    for run in runs:
        ok = "yes" if not run.failures else "**NO**"
        print(f"| {run.backend} | " + " | ".join(f"{run.checks[k]}" for k in keys) + f" | {ok} |")
    print()
    print(
        "- call -> return: from the moment a click's answer() starts running to its return (the ack is sent "
        "right after); burst start -> return: from the moment all clicks were issued together, so it also "
        "counts the time a click waited for the event loop to start it."
    )
    print(
        "- one at a time, no crowd: members arriving after the burst, each click awaited before the next "
        "(same post, same database); shows the cost of one click without queueing."
    )
    print(
        f"- arrivals at {RATE:,.0f}/s: the same number of members on a second post, click i starting at i/{RATE:,.0f} s "
        "(open loop): a crowd as dense as Discord can deliver to one bot, without the everyone-at-the-same-"
        "microsecond artefact of the burst rows."
    )
    print("- throughput: clicks / time from the burst start to the last return (one at a time: / sum of latencies).")
    print(
        "- over Discord's 3 s: clicks whose answer() returned later than Discord's 3-second limit for the first "
        "response to an interaction (the button callback replies only after answer() returns, so those members "
        "would see 'This interaction failed' although their answer is recorded)."
    )
    for run in runs:
        for failure in run.failures:
            print(f"- FAIL {run.backend}: {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 members (smoke test)")
    parser.add_argument("--members", type=int, help="members answering (default 2000)")
    parser.add_argument("--double", type=float, default=0.1, help="share of members who click twice (default 0.1)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="also run on this PostgreSQL database (its schema public is reset!); default: $TEST_POSTGRES_URL",
    )
    parser.add_argument("--singles", type=int, help="one-at-a-time clicks after the burst (default 200)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    args.members = args.members or (200 if args.quick else 2000)
    args.singles = args.singles if args.singles is not None else (20 if args.quick else 200)
    kb = load(ROOT / "knowledge")

    async def all_runs() -> list[Run]:
        runs = []
        with tempfile.TemporaryDirectory(prefix="studybot-bench-", ignore_cleanup_errors=True) as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            runs.append(await run_backend("SQLite", url, kb, args.members, args.double, args.seed, args.singles))
        if args.postgres:
            runs.append(
                await run_backend("PostgreSQL", args.postgres, kb, args.members, args.double, args.seed, args.singles)
            )
        return runs

    runs = asyncio.run(all_runs())
    print_tables(runs, args)
    return 1 if any(run.failures for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
