"""A process that answers a daily question for many members as fast as it can, printing
``ack <user> <correct>`` after each answer is acknowledged (returned to the member). The fault
tests kill it (SIGKILL) or stop it (SIGTERM) mid-burst and then check the database.

    python tests/fault_burst.py DATABASE_URL KNOWLEDGE_DIR FIRST_USER COUNT
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from studybot.lookup import load
from studybot.quiz import QuizService
from studybot.storage import Storage

GUILD = 4242
NOW = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)


async def main(url: str, knowledge: Path, first: int, count: int) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    kb = load(knowledge)
    storage = await Storage.open(url)
    quiz = QuizService(kb, storage, lambda: NOW)
    settings = await quiz.settings(GUILD) or await quiz.setup(GUILD, 1, "09:00", "Asia/Seoul", None)
    claimed = await quiz.claim(settings)
    if claimed is not None:
        await quiz.posted(claimed[0], 1, settings)
    shown = await quiz.current(GUILD)
    assert shown is not None and shown.post_id is not None
    print(f"post {shown.post_id}", flush=True)

    async def member(user: int) -> None:
        size = max(len(shown.choices), 1)
        if shown.is_short:
            outcome = await quiz.answer(shown.post_id, user, guild_id=GUILD, text="오답" if user % 2 else "sc1")
        elif shown.is_multi:
            picks = sorted({(user + k) % size for k in range(shown.needed)})
            outcome = await quiz.answer(shown.post_id, user, guild_id=GUILD, picks=picks)
        else:
            outcome = await quiz.answer(shown.post_id, user, guild_id=GUILD, index=user % size)
        print(f"ack {user} {int(outcome.correct)} {outcome.status}", flush=True)

    pending: set[asyncio.Task] = set()
    for user in range(first, first + count):
        if stop.is_set():
            break
        task = asyncio.create_task(member(user))
        pending.add(task)
        task.add_done_callback(pending.discard)
        if len(pending) >= 50:
            await asyncio.sleep(0)
    await asyncio.gather(*pending)
    await storage.close()  # SIGTERM: what was queued is written, then the database is closed
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    url, knowledge, first, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    raise SystemExit(asyncio.run(main(url, knowledge, first, count)))
