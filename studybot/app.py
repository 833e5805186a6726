"""Builds the core services once, for the Discord bot and the console alike."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from studybot.board import BoardService
from studybot.clock import Clock, utcnow
from studybot.community import CommunityService
from studybot.config import Settings
from studybot.exam import ExamService, InsightService, PlanService
from studybot.lookup import AskService, KnowledgeBase, Problem, check, load
from studybot.quiz import QuizService
from studybot.storage import Storage


@dataclass
class App:
    settings: Settings
    ask: AskService
    storage: Storage
    quiz: QuizService
    board: BoardService
    community: CommunityService
    exam: ExamService
    plans: PlanService
    insights: InsightService

    def __post_init__(self) -> None:
        # review aims at the member's exam date; personal review in DMs runs in their home server
        self.quiz.early_due = self.plans.early_due
        self.quiz.home_guild = self.plans.home_guild
        self.plans.bank = self.quiz.bank  # reminders count only the reviews /quiz review can serve
        self.exam.member_questions = self.quiz.member_questions  # the group's questions join its exams

    @property
    def kb(self) -> KnowledgeBase:
        return self.ask.kb

    @classmethod
    async def open(cls, settings: Settings, *, ask: AskService | None = None, clock: Clock = utcnow) -> App:
        ask = ask or AskService(load(settings.knowledge_dir))
        ask.prepare_autocomplete()
        storage = await Storage.open(settings.database_url)
        return cls(
            settings,
            ask,
            storage,
            QuizService(ask.kb, storage, clock),
            BoardService(ask.kb, storage, clock),
            CommunityService(ask.kb, storage, clock),
            ExamService(ask.kb, storage, clock),
            PlanService(storage, clock),
            InsightService(ask.kb, storage, clock),
        )

    async def reload(self) -> list[Problem]:
        """Re-read the knowledge folder. On any problem nothing changes and the problems are
        returned; otherwise the knowledge base and its search index are swapped in at once
        (built off the event loop first). Posts of removed questions reveal from their snapshot."""
        kb, problems = await asyncio.to_thread(check, self.settings.knowledge_dir)
        if problems:
            return problems
        ask = await asyncio.to_thread(AskService, kb)
        await asyncio.to_thread(ask.prepare_autocomplete)
        self.ask, self.quiz.kb, self.board.kb, self.community.kb = ask, kb, kb, kb
        self.exam.kb, self.insights.kb = kb, kb
        return []

    async def close(self) -> None:
        await self.storage.close()

    async def __aenter__(self) -> App:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
