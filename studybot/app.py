"""Builds the core services once, for the Discord bot and the console alike."""

from __future__ import annotations

from dataclasses import dataclass

from studybot.ask import AskService
from studybot.config import Settings
from studybot.knowledge import load


@dataclass
class App:
    settings: Settings
    ask: AskService

    @classmethod
    def build(cls, settings: Settings) -> App:
        kb = load(settings.knowledge_dir)
        return cls(settings=settings, ask=AskService(kb))
