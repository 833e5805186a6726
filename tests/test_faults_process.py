"""Fault injection with real processes: SIGKILL and SIGTERM in the middle of an answer burst,
processes opening an empty database together, odd batch input, and start-up without Discord.
Marked slow (``pytest -m "not slow"`` skips them); CI runs them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from studybot.storage import Storage
from studybot.storage.tables import answers, reviews
from tests.conftest import KNOWLEDGE, ROOT, reset_postgres

pytestmark = pytest.mark.slow
BURST = ROOT / "tests" / "fault_burst.py"
GUILD = 4242


def start_burst(url: str, first: int, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(BURST), url, str(KNOWLEDGE), str(first), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def read_acks(proc: subprocess.Popen, until: int | None) -> list[tuple[int, bool]]:
    acks = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ack "):
            _, user, correct, status = line.split()
            assert status == "recorded", line
            acks.append((int(user), correct == "1"))
            if until is not None and len(acks) >= until:
                break
    return acks


async def on_record(url: str) -> tuple[set[int], set[int]]:
    storage = await Storage.open(url)
    try:
        async with storage.db.connect() as conn:
            answered = set((await conn.execute(select(answers.c.user_id).where(answers.c.guild_id == GUILD))).scalars())
            carded = set((await conn.execute(select(reviews.c.user_id).where(reviews.c.guild_id == GUILD))).scalars())
    finally:
        await storage.close()
    return answered, carded


@pytest.fixture
def url(db_url: str) -> str:
    """The same database fixture as the store tests: a SQLite file, and PostgreSQL in CI."""
    return db_url


async def test_sigkill_mid_burst_loses_no_acknowledged_answer_or_review_card(url):
    """Kill -9 a process in the middle of a burst, several times: every answer a member was told
    about is on record, and every acknowledged wrong answer has its review card."""
    runs, acked = 4, []
    for run in range(runs):
        proc = start_burst(url, 1000 * (run + 1), 900)
        acked += read_acks(proc, until=150 + 50 * run)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    answered, carded = await on_record(url)
    lost = [u for u, _ in acked if u not in answered]
    lost_cards = [u for u, right in acked if not right and u not in carded]
    assert len(acked) >= 600
    assert lost == [] and lost_cards == []


async def test_sigterm_mid_burst_drains_and_exits_cleanly(url):
    proc = start_burst(url, 50_000, 3000)
    acked = read_acks(proc, until=200)
    proc.send_signal(signal.SIGTERM)
    acked += read_acks(proc, until=None)
    assert proc.wait(timeout=60) == 0
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    answered, carded = await on_record(url)
    assert {u for u, _ in acked} <= answered
    assert {u for u, right in acked if not right} <= carded


def test_processes_opening_an_empty_database_together_all_start(url):
    code = (
        "import asyncio, sys\n"
        "from studybot.storage import Storage\n"
        "async def main():\n"
        "    s = await Storage.open(sys.argv[1])\n"
        "    await s.close()\n"
        "asyncio.run(main())\n"
    )
    for _ in range(3):
        if url.startswith("sqlite"):
            path = url.removeprefix("sqlite+aiosqlite:///")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        else:
            asyncio.run(reset_postgres(url))
        procs = [
            subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True) for _ in range(4)
        ]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
        assert [rc for rc, _ in results] == [0, 0, 0, 0], [err[-500:] for _, err in results]


def run_bot(
    *args: str, stdin: bytes = b"", env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def test_ask_batch_survives_bad_lines():
    import json

    out = run_bot("ask", "--json", stdin=b"efs throughput\n\xff\xfe broken \xc3\n" + "ebs 스냅샷\n".encode())
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert out.returncode == 0 and len(lines) == 3
    assert (
        lines[0]["found"] and lines[1] == {"line": 2, "error": lines[1]["error"]} and lines[2]["query"] == "ebs 스냅샷"
    )
    out = run_bot("ask", "--json", stdin="efs throughput\nebs 스냅샷\n".encode("utf-16"))
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [d["query"] for d in lines] == ["efs throughput", "ebs 스냅샷"]


def test_unreachable_discord_gives_one_clear_line(tmp_path):
    env = {**os.environ, "DISCORD_TOKEN": "not-a-real-token", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/b.db"}
    out = run_bot(env=env, timeout=120)
    err = out.stderr.decode()
    assert out.returncode == 2 and "Traceback" not in err, err[-2000:]
    assert "Discord" in err


def test_console_stops_gracefully_on_sigterm_and_sigint(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db"}
    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bot.py"), "console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        assert proc.stdin is not None
        proc.stdin.write(b"/quiz\n")
        proc.stdin.flush()
        time.sleep(3)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "Traceback" not in err.decode()
        assert "오늘의 문제" in out.decode()
