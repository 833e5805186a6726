"""The Discord bot: the client class, its command tree and start-up. Thin: the work is in studybot/."""

from __future__ import annotations

import gc
import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs.ui import SectionButton
from studybot.app import App
from studybot.config import Settings
from studybot.messages import COMMANDS_KO, t

log = logging.getLogger("studybot")

EXTENSIONS = ("cogs.ask", "cogs.quiz", "cogs.leaderboard", "cogs.admin")
NO_PINGS = discord.AllowedMentions.none()


class KoreanTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale, context) -> str | None:
        if locale is discord.Locale.korean:
            return COMMANDS_KO.get(string.message)
        return None


async def reply(interaction: discord.Interaction, content: str, **kwargs) -> None:
    """An ephemeral reply whether or not the interaction was already answered."""
    kwargs.setdefault("ephemeral", True)
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if interaction.response.is_done():
        await interaction.followup.send(content, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


async def send_dm(bot: discord.Client, user_id: int, content: str) -> None:
    """DM a member. The DM channel is opened with the body Discord documents (the recipient id as
    a string snowflake; discord.py's ``User.send`` sends an integer)."""
    route = discord.http.Route("POST", "/users/@me/channels")
    data = await bot.http.request(route, json={"recipient_id": str(user_id)})
    await bot.get_partial_messageable(int(data["id"])).send(content, allowed_mentions=NO_PINGS)


async def require_manager(interaction: discord.Interaction) -> bool:
    """`default_permissions` is only a hint; the permission is checked here, in code."""
    if interaction.guild_id is None:
        await reply(interaction, t("error.guild_only"))
        return False
    perms = interaction.permissions
    if not (perms.manage_guild or perms.administrator):
        await reply(interaction, t("error.no_permission"))
        return False
    return True


class StudyTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandOnCooldown):
            message = t("ask.cooldown", seconds=max(error.retry_after, 1))
        elif isinstance(error, app_commands.NoPrivateMessage):
            message = t("error.guild_only")
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or t("error.no_permission")
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.exception("command %s failed", command, exc_info=error)
            message = t("error.generic")
        try:
            await reply(interaction, message)
        except discord.HTTPException:
            log.warning("could not report an error to the member", exc_info=True)


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
            shard_ids=list(app.settings.shard_ids) if app.settings.shard_ids else None,
        )
        self.app = app

    async def setup_hook(self) -> None:
        await self.tree.set_translator(KoreanTranslator())
        self.add_dynamic_items(SectionButton)
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


async def run(settings: Settings) -> int:
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    async with await App.open(settings) as app, StudyBot(app) as bot:
        try:
            await bot.start(settings.token)
        except discord.LoginFailure:
            log.error(t("bot.bad_token"))
            return 2
        except discord.PrivilegedIntentsRequired:
            log.error(t("bot.members_intent"))
            return 2
    return 0
