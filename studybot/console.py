"""Offline console: the bot's features over the same core, with no Discord token.

Each line is a command like a slash command (``/ask efs 처리량``); a line without a slash is
treated as ``/ask``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from studybot.ask import AskService, render_text
from studybot.config import Settings
from studybot.messages import t

Handler = Callable[[str], Awaitable[str]]


class Console:
    def __init__(self, settings: Settings, service: AskService, out: TextIO | None = None):
        self.settings = settings
        self.service = service
        self.out = out or sys.stdout
        self.commands: dict[str, Handler] = {"/ask": self.ask, "/help": self.help}

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def ask(self, arg: str) -> str:
        return render_text(self.service.ask(arg))

    async def help(self, arg: str) -> str:
        return t("console.help")

    async def handle(self, line: str) -> str | None:
        """The reply to one input line; None means quit."""
        line = line.strip()
        if not line:
            return ""
        if not line.startswith("/"):
            line = "/ask " + line
        command, _, arg = line.partition(" ")
        command = command.lower()
        if command in ("/quit", "/exit"):
            return None
        handler = self.commands.get(command)
        if handler is None:
            return t("console.unknown", command=command)
        return await handler(arg.strip())

    async def run(self, lines: TextIO | None = None) -> int:
        source = lines or sys.stdin
        self.say(t("console.welcome"))
        while True:
            if source is sys.stdin and sys.stdin.isatty():
                print("> ", end="", file=self.out, flush=True)
            line = await asyncio.to_thread(source.readline)
            if not line:
                break
            reply = await self.handle(line)
            if reply is None:
                break
            if reply:
                self.say(reply)
        self.say(t("console.bye"))
        return 0
