"""The client class and start-up. Thin: the work is in studybot/."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from cogs.runtime.errors import StudyTree
from cogs.runtime.replies import NO_PINGS
from studybot.app import App
from studybot.config import Settings
from studybot.messages import COMMANDS_KO, t

log = logging.getLogger("studybot")

EXTENSIONS = ("cogs.ask", "cogs.quiz", "cogs.board", "cogs.admin", "cogs.community", "cogs.exam")


class KoreanTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale, context) -> str | None:
        if locale is discord.Locale.korean:
            return COMMANDS_KO.get(string.message)
        return None


class StudyBot(commands.AutoShardedBot):
    def __init__(self, app: App):
        intents = discord.Intents.default()
        intents.members = app.settings.members_intent  # names, team roles, members who leave
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=StudyTree,
            allowed_mentions=NO_PINGS,
            help_command=None,
            owner_ids=set(app.settings.owner_ids) or None,
            shard_count=app.settings.shard_count,
        )
        if app.settings.shard_ids:  # this process runs only these shards (of shard_count)
            self.shard_ids = list(app.settings.shard_ids)
        self.app = app

    async def setup_hook(self) -> None:
        await self.tree.set_translator(KoreanTranslator())
        for extension in EXTENSIONS:
            try:
                await self.load_extension(extension)
            except Exception:
                log.exception("could not load extension %s", extension)
        guild_id = self.app.settings.dev_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild_id)
        # the knowledge base and search index live for the whole run: keep them out of every
        # garbage collection (a full collection over them showed up in the leaderboard benchmark)
        gc.freeze()

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds", self.user, len(self.guilds))


async def run(settings: Settings, stop: asyncio.Event) -> int:
    """Run until ``stop`` is set (SIGTERM/SIGINT); then close the bot and the app (queued answers
    written, the database closed). Start-up failures are one clear line and exit status 2."""
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    async with await App.open(settings) as app, StudyBot(app) as bot:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload_knowledge(app)))
        started = asyncio.ensure_future(bot.start(settings.token))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not started.done():
            log.info("stopping: closing the connection and writing what is queued")
            await bot.close()
            await asyncio.gather(started, return_exceptions=True)
            return 0
        error = started.exception()
        if error is None:
            return 0
        message = start_failure(error)
        if message is None:
            raise error
        log.error(message)
        return 2
    return 0


def start_failure(error: BaseException) -> str | None:
    """The one line to print for a start-up failure we understand; None for anything else."""
    if isinstance(error, discord.LoginFailure):
        return t("bot.bad_token")
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return t("bot.members_intent")
    if isinstance(error, aiohttp.ClientError | OSError | discord.GatewayNotFound | discord.ConnectionClosed):
        return t("bot.unreachable", error=type(error).__name__)
    return None


async def reload_knowledge(app: App) -> None:
    """SIGHUP: re-read knowledge/; on any error the running knowledge base stays."""
    problems = await app.reload()
    if problems:
        log.error("knowledge reload refused (%d problems), first: %s", len(problems), problems[0])
    else:
        log.info("knowledge reloaded: %d sections, %d questions", len(app.kb.sections), len(app.kb.questions))
