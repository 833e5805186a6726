"""Background jobs that never stop the loop they run in: each job (one guild's post, reveal or
recap) runs alone, its failure is logged with its key and retried later with backoff, and a
``tasks.loop`` that ends anyway is started again (python-discord's ``Scheduler`` idea)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from discord.ext import tasks

log = logging.getLogger("studybot.jobs")
BACKOFF_FIRST = 30.0  # seconds before the first retry; doubled each time
BACKOFF_MAX = 3600.0


class Jobs:
    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (failures, monotonic time of next try)

    def waiting(self, key: str) -> bool:
        state = self._failures.get(key)
        return state is not None and time.monotonic() < state[1]

    async def run(self, key: str, job: Callable[[], Awaitable[object]]) -> bool:
        """Run one job unless it is backing off; True when it ran and succeeded."""
        if self.waiting(key):
            return False
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            count = self._failures.get(key, (0, 0.0))[0] + 1
            delay = min(BACKOFF_FIRST * 2 ** (count - 1), BACKOFF_MAX)
            self._failures[key] = (count, time.monotonic() + delay)
            log.exception("job %s failed (%d in a row); next try in %.0f s", key, count, delay)
            return False
        self._failures.pop(key, None)
        return True


def keep_running(loop: tasks.Loop, stopping: Callable[[], bool], delay: float = 5.0) -> None:
    """Restart ``loop`` a little after it ends, unless we are stopping it ourselves."""

    def restart() -> None:
        if not stopping() and not loop.is_running():
            log.warning("restarting the %s loop", loop.coro.__name__)
            loop.start()

    async def after() -> None:
        if not stopping():
            asyncio.get_running_loop().call_later(delay, restart)

    loop.after_loop(after)
