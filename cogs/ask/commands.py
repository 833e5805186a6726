"""`/ask`: look-up in the group's notes, with autocomplete and related-section buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.ask.views import send_answer
from studybot.lookup import fit

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

ASK_COOLDOWN = (3, 10.0)  # 3 look-ups per 10 seconds per member


class AskCog(commands.Cog):
    def __init__(self, bot: StudyBot):
        self.bot = bot

    @app_commands.command(name="ask", description=_("Look up the study notes"))
    @app_commands.describe(query=_("What to look up, e.g. efs throughput"))
    @app_commands.checks.cooldown(*ASK_COOLDOWN, key=lambda i: (i.guild_id, i.user.id))
    async def ask(self, interaction: discord.Interaction, query: app_commands.Range[str, 0, 100]) -> None:
        await send_answer(interaction, self.bot.app.ask.ask(query))

    @ask.autocomplete("query")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=fit(title, 100), value=fit(title, 100))
            for title, _sid in self.bot.app.ask.autocomplete(current)
        ]
