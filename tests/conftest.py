from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.common import reset_postgres
from studybot.lookup import AskService, KnowledgeBase, load

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load(KNOWLEDGE)


@pytest.fixture(scope="session")
def service(kb: KnowledgeBase) -> AskService:
    return AskService(kb)


@pytest.fixture
async def make_harness(tmp_path, service, clock):
    """Start a real StudyBot whose transport is recorded and checked (tests/discord_harness.py).

    Called again with the first one's ``state``, it is the same bot restarted: the same database
    file and the same Discord (its channels keep their messages)."""
    from cogs.runtime import StudyBot
    from studybot.app import App
    from studybot.config import Settings
    from tests.contract import contract
    from tests.discord_harness import Harness

    started = []

    async def make(state=None, *, ask=None, knowledge=KNOWLEDGE):
        settings = Settings(knowledge_dir=knowledge, database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        app = await App.open(settings, ask=ask or service, clock=clock)
        h = Harness(StudyBot(app), contract(), state)
        await h.start()
        started.append((h, app))
        return h

    yield make
    for h, app in reversed(started):
        await h.close()
        await app.close()


@pytest.fixture
async def harness(make_harness):
    return await make_harness()


class FakeClock:
    """An injected clock: tests move time by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 0, 30, tzinfo=UTC))  # 09:30 in Seoul


def postgres_url() -> str | None:
    """The test PostgreSQL server (scripts/postgres.sh); CI must have one, locally it is optional."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL for the store tests")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
async def db_url(request, tmp_path) -> str:
    """The same store tests run on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    url = postgres_url()
    if not url:
        pytest.skip('no PostgreSQL server (run: eval "$(scripts/postgres.sh start)")')
    await reset_postgres(url)
    return url


@pytest.fixture
async def store(db_url):
    from studybot.storage import Storage

    s = await Storage.open(db_url)
    yield s
    await s.close()
