"""`/quiz suggest`, `/quiz queue`, `/quiz reports` and `/quiz export`: subcommands of the `/quiz`
group, written here and mixed into ``QuizCog`` (discord.py collects a cog's app commands from
every class of its MRO), plus the listener that routes this feature's modal submits."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.community.views import DOMAINS, TYPES, QuestionModal, community, on_modal_submit, send_queue
from cogs.runtime import NO_PINGS, reply
from cogs.runtime.errors import route_modal
from cogs.runtime.replies import guild_of, is_manager
from cogs.runtime.ui import UploadFile
from studybot.lookup import fit
from studybot.messages import t

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

TYPE_CODES = {str(v): k for k, v in TYPES.items()}
DOMAIN_CODES = {v: k for k, v in DOMAINS.items()}
TYPE_CHOICES = [
    app_commands.Choice(name="객관식 (choice)", value="choice"),
    app_commands.Choice(name="O/X (truefalse)", value="truefalse"),
    app_commands.Choice(name="단답형 (short)", value="short"),
    app_commands.Choice(name="복수 정답 (multi)", value="multi"),
]
DOMAIN_CHOICES = [
    app_commands.Choice(name="보안 (secure)", value="secure"),
    app_commands.Choice(name="복원력 (resilient)", value="resilient"),
    app_commands.Choice(name="성능 (performance)", value="performance"),
    app_commands.Choice(name="비용 (cost)", value="cost"),
]


class CommunityCommands(commands.Cog):
    """Mixed into ``QuizCog`` (never added on its own): ``self.bot`` is the running StudyBot."""

    bot: StudyBot

    @app_commands.command(name="suggest", description=_("Suggest a question for this server's bank"))
    @app_commands.describe(
        section=_("The section of the notes it tests"),
        type=_("Question type"),
        domain=_("SAA-C03 domain"),
        difficulty=_("Difficulty 1-3"),
    )
    @app_commands.choices(type=TYPE_CHOICES, domain=DOMAIN_CHOICES)
    async def suggest(
        self,
        interaction: discord.Interaction,
        section: app_commands.Range[str, 1, 80],
        type: app_commands.Choice[str],
        domain: app_commands.Choice[str],
        difficulty: app_commands.Range[int, 1, 3] = 2,
    ) -> None:
        service = community(interaction)
        refused = await service.can_suggest(guild_of(interaction), interaction.user.id, section)
        if refused:
            await reply(interaction, refused)
            return
        code = f"{TYPE_CODES[type.value]}{DOMAIN_CODES[domain.value]}{difficulty}"
        title = t("community.modal_title", section=service.kb.sections[section].title)
        await interaction.response.send_modal(QuestionModal(f"sug:n:{code}:{section}", fit(title, 45)))

    @suggest.autocomplete("section")
    async def section_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=fit(title, 100), value=sid)
            for title, sid in community(interaction).section_choices(current)
        ]

    @app_commands.command(name="queue", description=_("Manage Server: the moderation queue"))
    async def queue(self, interaction: discord.Interaction) -> None:
        guild_of(interaction)  # in DMs: "서버 안에서만", not a missing permission
        if not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return
        await send_queue(interaction, await community(interaction).queue(guild_of(interaction)))

    @app_commands.command(name="reports", description=_("Manage Server: open reports"))
    async def reports(self, interaction: discord.Interaction) -> None:
        guild_of(interaction)  # in DMs: "서버 안에서만", not a missing permission
        if not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return
        await send_queue(interaction, await community(interaction).queue(guild_of(interaction)), reports_only=True)

    @app_commands.command(name="export", description=_("Your missed questions as an Anki deck and a CSV"))
    @app_commands.describe(bank=_("Manage Server: the whole bank instead"))
    async def export(self, interaction: discord.Interaction, bank: bool = False) -> None:
        guild_of(interaction)  # in DMs: "서버 안에서만", not a missing permission
        if bank and not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await community(interaction).export_missed(guild_of(interaction), interaction.user.id, bank=bank)
        if not result.count:
            await reply(interaction, t("export.none"))
            return
        name = "studybot-bank" if bank else "studybot-missed"
        files = [
            UploadFile(io.BytesIO(result.apkg), filename=f"{name}.apkg"),
            UploadFile(io.BytesIO(result.csv.encode("utf-8-sig")), filename=f"{name}.csv"),
        ]
        await interaction.followup.send(
            t("export.done", count=result.count), files=files, ephemeral=True, allowed_mentions=NO_PINGS
        )


class ContributionsCog(commands.Cog):
    """Routes this feature's modal submits (by custom id, so a modal opened before a restart
    still counts after it)."""

    def __init__(self, bot: StudyBot):
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await route_modal(interaction, on_modal_submit)
