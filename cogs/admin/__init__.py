"""Owner tools: syncing the command tree on demand (never on every start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.runtime import reply
from studybot.messages import t

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


class AdminCog(commands.Cog):
    def __init__(self, bot: StudyBot):
        self.bot = bot

    @app_commands.command(name="sync", description=_("Owner only: sync slash commands"))
    @app_commands.describe(here=_("Sync to this server only (faster)"))
    async def sync(self, interaction: discord.Interaction, here: bool = True) -> None:
        if not await self.bot.is_owner(interaction.user):
            await reply(interaction, t("error.owner_only"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if here and interaction.guild is not None:
            self.bot.tree.copy_global_to(guild=interaction.guild)
            synced = await self.bot.tree.sync(guild=interaction.guild)
            where = t("sync.guild")
        else:
            synced = await self.bot.tree.sync()
            where = t("sync.global")
        await reply(interaction, t("sync.done", count=len(synced), where=where))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(AdminCog(bot))
