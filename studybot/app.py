"""Builds the core services once, for the Discord bot and the console alike."""

from __future__ import annotations

from dataclasses import dataclass

from studybot.ask import AskService
from studybot.board import BoardService
from studybot.config import Settings
from studybot.knowledge import KnowledgeBase, load
from studybot.quiz import Clock, QuizService, utcnow
from studybot.store import Store


@dataclass
class App:
    settings: Settings
    kb: KnowledgeBase
    ask: AskService
    store: Store
    quiz: QuizService
    board: BoardService

    @classmethod
    async def open(cls, settings: Settings, *, ask: AskService | None = None, clock: Clock = utcnow) -> App:
        ask = ask or AskService(load(settings.knowledge_dir))
        store = await Store.open(settings.database_url)
        return cls(settings, ask.kb, ask, store, QuizService(ask.kb, store, clock), BoardService(ask.kb, store, clock))

    async def close(self) -> None:
        await self.quiz.drain()
        await self.store.close()

    async def __aenter__(self) -> App:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()
