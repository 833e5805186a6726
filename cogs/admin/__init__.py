"""Owner tools: syncing the command tree on demand (never on every start) and reloading the
knowledge base without a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.runtime import reply
from studybot.lookup import fit
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

    knowledge = app_commands.Group(
        name="knowledge",
        description=_("Owner only: knowledge base"),
        default_permissions=discord.Permissions(administrator=True),
    )

    @knowledge.command(name="reload", description=_("Owner only: re-read knowledge/ without a restart"))
    async def reload(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            await reply(interaction, t("error.owner_only"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        problems = await self.bot.app.reload()
        if problems:
            first = "\n".join(f"`{p}`" for p in problems[:5])
            await reply(interaction, fit(t("reload.failed", count=len(problems), errors=first), 2000))
            return
        kb = self.bot.app.kb
        await reply(interaction, t("reload.done", sections=len(kb.sections), questions=len(kb.questions)))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(AdminCog(bot))
