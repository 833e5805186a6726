"""`/quiz` for members (settings, practice, review) and `/quiz-admin` for the group's admins
(hidden by Discord from members without Manage Server, and checked in code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.community.commands import CommunityCommands
from cogs.quiz.insights import insights_embed, insights_files
from cogs.quiz.scheduler import QuizScheduler
from cogs.quiz.views import on_modal_submit, send_practice
from cogs.runtime import NO_PINGS, manager_only, reply
from cogs.runtime.errors import route_modal
from cogs.runtime.replies import guild_of, study_guild
from cogs.runtime.ui import when
from studybot.guild import DEFAULT_TZ, GuildSettings, SettingError, zone_choices
from studybot.messages import t
from studybot.vocab import RevealMode

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


def settings_text(settings: GuildSettings, next_post) -> str:
    close = t("quiz.close_next") if settings.close_hour is None else t("quiz.close_hour", hour=settings.close_hour)
    return t(
        "quiz.settings",
        channel=f"<#{settings.channel_id}>",
        time=settings.post_time,
        timezone=settings.timezone,
        state=t("quiz.state_paused") if settings.paused else t("quiz.state_on"),
        mode=t(f"quiz.mode.{settings.reveal_mode}"),
        close=close,
        next=when(next_post),
        error=t("quiz.last_error", error=settings.last_error) if settings.last_error else "",
    )


# personal review anywhere: also installable to a user and usable in DMs (/quiz settings and the
# group's commands still need a server and say so); a DM's review runs in the member's home server
@app_commands.allowed_installs(guilds=True, users=True)
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
class QuizCog(CommunityCommands, commands.GroupCog, group_name="quiz", group_description=_("Daily quiz")):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.service = bot.app.quiz
        super().__init__()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await route_modal(interaction, on_modal_submit)

    @app_commands.command(name="settings", description=_("Show the quiz settings"))
    async def settings_cmd(self, interaction: discord.Interaction) -> None:
        settings = await self.service.settings(guild_of(interaction))
        if settings is None:
            await reply(interaction, t("quiz.not_setup"))
            return
        await reply(interaction, settings_text(settings, await self.service.next_post_time(settings)))

    @app_commands.command(name="practice", description=_("Practice question (not counted)"))
    @app_commands.describe(topic=_("Topic"))
    async def practice(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        shown = await self.service.practice_question(study_guild(interaction), interaction.user.id, topic)
        if shown is None:
            await reply(interaction, t("quiz.no_topic", topic=topic or ""))
            return
        await send_practice(interaction, shown, "p")

    @practice.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.strip().lower()
        return [
            app_commands.Choice(name=title, value=tid)
            for tid, title in self.service.topics()
            if needle in (tid + title).lower()
        ][:25]

    @app_commands.command(name="review", description=_("Review questions you missed"))
    async def review(self, interaction: discord.Interaction) -> None:
        shown, next_due = await self.service.next_review(study_guild(interaction), interaction.user.id)
        if shown is None:
            text = t("quiz.review_empty", when=when(next_due)) if next_due else t("quiz.review_none")
            await reply(interaction, text)
            return
        await send_practice(interaction, shown, "r")

    @app_commands.command(name="insights", description=_("Admin: the group's insights (CSV and a chart)"))
    @manager_only()
    async def insights(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = self.bot.app.insights
        found = await service.insights(guild_of(interaction))
        if not found.questions and not any(n for _, n in found.participation):
            await reply(interaction, t("insights.none"))
            return
        files = await insights_files(found, service.kb, service.csv(found))
        await interaction.followup.send(
            embed=insights_embed(found, service.kb), files=files, ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="remind", description=_("Review reminders by DM"))
    @app_commands.describe(mode=_("on or off"), hour=_("Local hour 0-23 (default 20)"))
    @app_commands.choices(
        mode=[app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]
    )
    async def remind(
        self,
        interaction: discord.Interaction,
        mode: app_commands.Choice[str],
        hour: app_commands.Range[int, 0, 23] | None = None,
    ) -> None:
        plans = self.bot.app.plans
        on = mode.value == "on"
        try:
            plan = await plans.remind(interaction.user.id, study_guild(interaction), on, hour)
        except SettingError as exc:
            await reply(interaction, str(exc))
            return
        if not on:
            await reply(interaction, t("plan.remind_off") if plan else t("plan.remind_was_off"))
            return
        assert plan is not None
        await reply(interaction, t("plan.remind_on", hour=plan.remind_hour, timezone=plan.timezone))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class QuizAdminCog(commands.GroupCog, group_name="quiz-admin", group_description=_("Admin: daily quiz")):
    def __init__(self, bot: StudyBot, scheduler: QuizScheduler):
        self.bot = bot
        self.service = bot.app.quiz
        self.scheduler = scheduler
        super().__init__()

    async def _settings(self, interaction: discord.Interaction) -> GuildSettings | None:
        settings = await self.service.settings(guild_of(interaction))
        if settings is None:
            await reply(interaction, t("quiz.not_setup"))
        return settings

    @app_commands.command(name="setup", description=_("Admin: set the quiz channel, time and time zone"))
    @app_commands.describe(
        channel=_("Channel for the daily question"),
        time=_("Local time, e.g. 09:00"),
        timezone=_("IANA time zone, e.g. Asia/Seoul"),
        review_channel=_("Channel where suggestions and reports are reviewed"),
    )
    @manager_only()
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 20] = "09:00",
        timezone: app_commands.Range[str, 1, 64] = DEFAULT_TZ,
        review_channel: discord.TextChannel | None = None,
    ) -> None:
        try:
            settings = await self.service.setup(
                guild_of(interaction),
                channel.id,
                time,
                timezone,
                interaction.user.id,
                review_channel.id if review_channel else None,
            )
        except SettingError as exc:
            await reply(interaction, str(exc))
            return
        nxt = await self.service.next_post_time(settings)
        text = t(
            "quiz.setup_done",
            time=settings.post_time,
            timezone=settings.timezone,
            channel=channel.mention,
            next=when(nxt),
        )
        if settings.review_channel_id:
            text += t("community.review_set", channel=f"<#{settings.review_channel_id}>")
        await reply(interaction, text)

    @setup_cmd.autocomplete("timezone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]

    @app_commands.command(name="pause", description=_("Admin: pause the daily quiz"))
    @manager_only()
    async def pause(self, interaction: discord.Interaction) -> None:
        if await self._settings(interaction):
            await self.service.update(guild_of(interaction), paused=True)
            await reply(interaction, t("quiz.paused"))

    @app_commands.command(name="resume", description=_("Admin: resume the daily quiz"))
    @manager_only()
    async def resume(self, interaction: discord.Interaction) -> None:
        if await self._settings(interaction):
            settings = await self.service.update(guild_of(interaction), paused=False)
            assert settings is not None
            await reply(interaction, t("quiz.resumed", next=when(await self.service.next_post_time(settings))))

    @app_commands.command(name="now", description=_("Admin: post a question now"))
    @manager_only()
    async def now(self, interaction: discord.Interaction) -> None:
        if not (settings := await self._settings(interaction)):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        message, reason = await self.scheduler.post(settings, manual=True)
        if message is None:
            await reply(interaction, t("quiz.now_failed", reason=reason or "?"))
        else:
            await reply(interaction, t("quiz.now_posted", link=message.jump_url))

    @app_commands.command(name="finish", description=_("Admin: close and reveal the current question now"))
    @manager_only()
    async def finish(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        reveal = await self.service.close_now(guild_of(interaction))
        if reveal is None:
            await reply(interaction, t("quiz.finish_none"))
            return
        await self.scheduler.publish_reveal(reveal)
        await reply(interaction, t("quiz.finish_done"))

    @app_commands.command(name="reveal", description=_("Admin: when answers are revealed"))
    @app_commands.describe(mode=_("at-close (default) or immediate"))
    @app_commands.choices(mode=[app_commands.Choice(name=str(m), value=str(m)) for m in RevealMode])
    @manager_only()
    async def reveal(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        if await self._settings(interaction):
            await self.service.update(guild_of(interaction), reveal_mode=mode.value)
            await reply(interaction, t("quiz.reveal_set", mode=t(f"quiz.mode.{mode.value}")))

    @app_commands.command(name="close", description=_("Admin: when a question closes"))
    @app_commands.describe(hour=_("Local hour 0-23; leave empty for when the next question is posted"))
    @manager_only()
    async def close(self, interaction: discord.Interaction, hour: app_commands.Range[int, 0, 23] | None = None) -> None:
        if await self._settings(interaction):
            await self.service.update(guild_of(interaction), close_hour=hour)
            text = t("quiz.close_next") if hour is None else t("quiz.close_hour", hour=hour)
            await reply(interaction, t("quiz.close_set", when=text))
