from __future__ import annotations

from pathlib import Path

import pytest

from studybot.ask import AskService
from studybot.knowledge import KnowledgeBase, load

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load(KNOWLEDGE)


@pytest.fixture(scope="session")
def service(kb: KnowledgeBase) -> AskService:
    return AskService(kb)


@pytest.fixture
async def harness(tmp_path, service):
    """A real StudyBot whose transport is recorded and checked (tests/discord_harness.py)."""
    from cogs.runtime import StudyBot
    from studybot.app import App
    from studybot.config import Settings
    from tests.contract import contract
    from tests.discord_harness import Harness

    settings = Settings(knowledge_dir=KNOWLEDGE, database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    bot = StudyBot(App(settings=settings, ask=service))
    h = Harness(bot, contract())
    await h.start()
    yield h
    await h.close()
