"""`/exam start|finish|history` on Discord, and the job that hands in exams whose time ran out.
Thin: every rule lives in studybot.exam."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from cogs.exam.views import escape, history_embed, history_view, readiness_embed, send
from cogs.runtime import NO_PINGS, reply
from cogs.runtime.jobs import Jobs, keep_running
from cogs.runtime.replies import guild_of, study_guild
from cogs.runtime.ui import UploadFile
from studybot.exam import EXAM_MAX_MINUTES, EXAM_MAX_QUESTIONS, desired_retention
from studybot.exam.chart import readiness_png
from studybot.guild import SettingError
from studybot.messages import t
from studybot.vocab import ExamOutcome

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

log = logging.getLogger("studybot.exam")


@app_commands.guild_only()
class ExamCog(commands.GroupCog, group_name="exam", group_description=_("Mock exam")):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.jobs = Jobs()
        self._stopping = False
        keep_running(self.expire, lambda: self._stopping)
        super().__init__()

    async def cog_load(self) -> None:
        self.expire.start()

    async def cog_unload(self) -> None:
        self._stopping = True
        self.expire.cancel()

    @property
    def service(self):
        return self.bot.app.exam

    @app_commands.command(name="start", description=_("Start a timed mock exam (or reopen yours)"))
    @app_commands.describe(
        questions=_("Number of questions (default: 20 per week of notes, at most 65)"),
        minutes=_("Minutes (default: 2 per question, at most 130)"),
    )
    async def start(
        self,
        interaction: discord.Interaction,
        questions: app_commands.Range[int, 1, EXAM_MAX_QUESTIONS] | None = None,
        minutes: app_commands.Range[int, 1, EXAM_MAX_MINUTES] | None = None,
    ) -> None:
        view = await self.service.start(guild_of(interaction), interaction.user.id, questions, minutes)
        await send(interaction, view, edit=False)

    @app_commands.command(name="finish", description=_("Hand in your mock exam now"))
    async def finish(self, interaction: discord.Interaction) -> None:
        view = await self.service.finish(guild_of(interaction), interaction.user.id)
        if view.outcome is ExamOutcome.MISSING:
            await reply(interaction, t("exam.none_running"))
            return
        await send(interaction, view, edit=False)

    date = app_commands.Group(name="date", description=_("Your exam day (review aims at it)"))

    @date.command(name="set", description=_("Set your exam day"))
    @app_commands.describe(date=_("Exam day, e.g. 2026-12-20"))
    async def date_set(self, interaction: discord.Interaction, date: app_commands.Range[str, 1, 20]) -> None:
        plans = self.bot.app.plans
        try:
            plan = await plans.set_date(interaction.user.id, guild_of(interaction), date)
        except SettingError as exc:
            await reply(interaction, str(exc))
            return
        days = plans.days_left(plan) or 0
        retention = round(100 * desired_retention(days), 1)
        assert plan.exam_date is not None
        await reply(interaction, t("plan.date_set", date=plan.exam_date.isoformat(), days=days, retention=retention))

    @date.command(name="clear", description=_("Clear your exam day"))
    async def date_clear(self, interaction: discord.Interaction) -> None:
        cleared = await self.bot.app.plans.clear_date(interaction.user.id)
        await reply(interaction, t("plan.date_cleared") if cleared else t("plan.date_none"))

    @app_commands.command(name="history", description=_("Your finished mock exams"))
    async def history(self, interaction: discord.Interaction) -> None:
        exams = await self.service.history(guild_of(interaction), interaction.user.id)
        view = history_view(exams)
        embed = history_embed(exams)
        if view is None:
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_PINGS)

    @tasks.loop(minutes=1)
    async def expire(self) -> None:
        await self.tick()

    async def tick(self) -> None:
        """Exams whose time ran out with nobody pressing anything are handed in, so their misses
        reach the review queue."""
        await self.jobs.run("exam-expire", self.service.finish_expired)

    @expire.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()


class ReadinessCog(commands.Cog):
    """`/readiness [member]`: in a server, from that server's answers; in DMs (the app installed to
    the member), from every server's."""

    def __init__(self, bot: StudyBot):
        self.bot = bot

    @app_commands.command(name="readiness", description=_("How ready you are for the exam, with a chart"))
    @app_commands.describe(member=_("Member (default: you)"))
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def readiness(self, interaction: discord.Interaction, member: discord.User | None = None) -> None:
        target = member or interaction.user
        server = study_guild(interaction) or None  # None: a DM, or a server without the bot
        if server is None and target.id != interaction.user.id:
            # there readiness reads every server's answers: only one's own
            await reply(interaction, t("ready.dm_only_you"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        exam = self.bot.app.exam
        ready = await exam.readiness(server, target.id)
        png = await asyncio.to_thread(readiness_png, ready, exam.kb, target.display_name)  # ~150 ms: off the loop
        await interaction.followup.send(
            embed=readiness_embed(ready, exam.kb, escape(target.display_name)),
            file=UploadFile(
                io.BytesIO(png), filename="readiness.png", description=t("ready.alt", name=target.display_name)[:1000]
            ),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
