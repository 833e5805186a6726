"""The daily quiz on Discord: admin commands, the scheduled post, answer buttons, the reveal
edit, practice and review. Thin: every rule lives in studybot.quiz."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from cogs.runtime import NO_PINGS, reply, require_manager, send_dm
from cogs.ui import ResetView, SectionButton, namer
from studybot import board_text, quiz_text, schedule, scoring
from studybot.ask import fit
from studybot.messages import t
from studybot.quiz import AnswerOutcome, QuizService, Reveal, Shown
from studybot.store import GuildSettings

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

log = logging.getLogger("studybot.quiz")
QUIZ_COLOUR = discord.Colour.blurple()
DEFER_BACKLOG = 200  # answers queued for the database before a click is deferred first


def quiz(interaction: discord.Interaction) -> QuizService:
    return interaction.client.app.quiz  # type: ignore[attr-defined]


def when(moment: datetime) -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:f>"


# -- rendering -----------------------------------------------------------------------------------


def topic_title(interaction_or_bot, shown: Shown) -> str:
    kb = (
        interaction_or_bot.client if isinstance(interaction_or_bot, discord.Interaction) else interaction_or_bot
    ).app.kb
    topic = kb.topics.get(shown.question.topic_id)
    return topic.title if topic else shown.question.topic_id


def question_embed(shown: Shown, title_key: str, topic: str, footer: str = "") -> discord.Embed:
    q = shown.question
    lines = [q.prompt, "", *quiz_text.choice_lines(shown)] if q.type != "short" else [q.prompt]
    embed = discord.Embed(
        title=fit(t(title_key, topic=topic), 256), description=fit("\n".join(lines), 4000), colour=QUIZ_COLOUR
    )
    embed.set_footer(
        text=fit((footer + "  ·  " if footer else "") + t("quiz.difficulty", stars=quiz_text.stars(q.difficulty)), 2048)
    )
    return embed


def answer_view(shown: Shown) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if shown.is_short:
        view.add_item(ShortAnswerButton(shown.post_id or 0))
    else:
        for i in range(len(shown.choices)):
            view.add_item(AnswerButton(shown.post_id or 0, i, quiz_text.label(i, shown)))
    return view


def reveal_embed(reveal: Reveal, topic: str) -> discord.Embed:
    q = reveal.question
    shown = Shown(reveal.post.id, q, reveal.choices)
    body = [q.prompt]
    if q.type != "short":
        body += ["", *quiz_text.choice_lines(shown)]
    embed = discord.Embed(
        title=fit(t("quiz.reveal_title", topic=topic), 256),
        description=fit("\n".join(body), 4000),
        colour=discord.Colour.green(),
    )
    embed.add_field(name=t("quiz.reveal_answer"), value=fit(quiz_text.correct_label(reveal), 1024), inline=False)
    embed.add_field(name=t("quiz.explanation"), value=fit(q.explanation, 1024), inline=False)
    embed.add_field(
        name=t("quiz.reveal_stats"), value=fit("\n".join(quiz_text.distribution_lines(reveal)), 1024), inline=False
    )
    return embed


def source_view(section_ids: tuple[str, ...], titles: dict[str, str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for sid in section_ids[:3]:
        view.add_item(SectionButton(sid, f"{t('quiz.source')}: {titles.get(sid, sid)}"))
    return view


# -- persistent components -----------------------------------------------------------------------


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:answer:(?P<post>\d+):(?P<choice>\d)"):
    def __init__(self, post_id: int, index: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or str(index + 1),
                style=discord.ButtonStyle.primary,
                custom_id=f"quiz:answer:{post_id}:{index}",
            )
        )
        self.post_id, self.index = post_id, index

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["post"]), int(match["choice"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        service = quiz(interaction)
        if service.store.backlog >= DEFER_BACKLOG:
            # a crowd is answering: acknowledge within Discord's 3 seconds first, then say what was recorded
            await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await service.answer(self.post_id, interaction.user.id, index=self.index)
        await send_feedback(interaction, outcome)


class ShortAnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:short:(?P<post>\d+)"):
    def __init__(self, post_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("quiz.short_button"),
                style=discord.ButtonStyle.primary,
                emoji="✏️",
                custom_id=f"quiz:short:{post_id}",
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["post"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ShortAnswerModal(f"quiz:modal:{self.post_id}", daily_post=self.post_id))


class PracticeButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"quiz:pr:(?P<kind>[pr]):(?P<qid>[a-z0-9-]{1,60}):(?P<choice>\d|w)",
):
    """Practice/review answer: stateless, the question and the choice are in the custom id."""

    def __init__(self, kind: str, question_id: str, choice: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"quiz:pr:{kind}:{question_id}:{choice}"
            )
        )
        self.kind, self.question_id, self.choice = kind, question_id, choice

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["kind"], match["qid"], match["choice"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        service = quiz(interaction)
        question = service.kb.questions.get(self.question_id)
        if question is None:
            await reply(interaction, t("quiz.missing"))
            return
        if self.choice == "w":
            await interaction.response.send_modal(
                ShortAnswerModal(f"quiz:prm:{self.kind}:{self.question_id}", practice=(self.kind, self.question_id))
            )
            return
        choice = (
            question.choices[int(self.choice)]
            if self.choice.isdigit() and int(self.choice) < len(question.choices)
            else ""
        )
        outcome = await service.check_practice(
            interaction.guild_id or 0,
            interaction.user.id,
            question.id,
            choice,
            "practice" if self.kind == "p" else "review",
        )
        await send_feedback(interaction, outcome)


class ShortAnswerModal(discord.ui.Modal):
    answer = discord.ui.TextInput(label="답", max_length=100, custom_id="answer")

    def __init__(self, custom_id: str, *, daily_post: int | None = None, practice: tuple[str, str] | None = None):
        super().__init__(title=t("quiz.modal_title"), custom_id=custom_id, timeout=600)
        self.answer.label = t("quiz.modal_label")
        self.daily_post, self.practice = daily_post, practice

    async def on_submit(self, interaction: discord.Interaction) -> None:
        service = quiz(interaction)
        if self.daily_post is not None:
            outcome = await service.answer(self.daily_post, interaction.user.id, text=self.answer.value)
        else:
            kind, qid = self.practice  # type: ignore[misc]
            outcome = await service.check_practice(
                interaction.guild_id or 0,
                interaction.user.id,
                qid,
                self.answer.value,
                "practice" if kind == "p" else "review",
            )
        await send_feedback(interaction, outcome)


async def send_feedback(interaction: discord.Interaction, outcome: AnswerOutcome) -> None:
    text = quiz_text.feedback(outcome)
    view = None
    if outcome.reveal_mode == "immediate" and outcome.question is not None and outcome.status == "recorded":
        titles = {s: interaction.client.app.kb.sections[s].title for s in outcome.question.section_ids}  # type: ignore[attr-defined]
        view = source_view(outcome.question.section_ids, titles)
    await reply(interaction, fit(text, 2000), **({"view": view} if view else {}))


def practice_view(shown: Shown, kind: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    q = shown.question
    if shown.is_short:
        view.add_item(PracticeButton(kind, q.id, "w", t("quiz.short_button")))
    else:
        for i, choice in enumerate(shown.choices):
            view.add_item(PracticeButton(kind, q.id, str(q.choices.index(choice)), quiz_text.label(i, shown)))
    return view


async def send_practice(interaction: discord.Interaction, shown: Shown, kind: str) -> None:
    """A practice ("p") or review ("r") question, only for the member who asked."""
    title = "quiz.practice_title" if kind == "p" else "quiz.review_title"
    await interaction.response.send_message(
        embed=question_embed(shown, title, topic_title(interaction, shown)),
        view=practice_view(shown, kind),
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )


# -- the cog --------------------------------------------------------------------------------------


@app_commands.guild_only()
class QuizCog(commands.GroupCog, group_name="quiz", group_description=_("Daily quiz")):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.service = bot.app.quiz
        super().__init__()

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()

    # scheduling -------------------------------------------------------------------------------

    @tasks.loop(seconds=30)
    async def ticker(self) -> None:
        await self.tick()

    @ticker.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    @ticker.error
    async def _tick_error(self, error: BaseException) -> None:
        log.exception("quiz tick failed", exc_info=error)

    async def tick(self) -> None:
        """Close what is due, then post what is due. Safe to run twice or in two processes."""
        for reveal in await self.service.closing():
            await self.publish_reveal(reveal)
        for due in await self.service.due():
            await self.post(due.settings)
        for recap in await self.bot.app.board.recaps_due():
            await self.publish_recap(recap)

    async def publish_recap(self, recap) -> None:
        """The weekly recap, claimed in the database (a unique row) before it is sent."""
        settings = recap.settings
        guild = self.bot.get_guild(settings.guild_id)
        teams = []
        registered = await self.service.store.teams(settings.guild_id)
        if registered and guild is not None:
            roles = {r: (name, {m.id for m in role.members}) for r, name in registered if (role := guild.get_role(r))}
            teams = scoring.team_standings(recap.standings, roles)
        end = recap.week_start + timedelta(days=6)
        lines = board_text.recap_lines(recap, namer(guild), teams[0] if teams else None)
        embed = discord.Embed(
            title=t("recap.title", start=recap.week_start, end=end), description=fit("\n".join(lines), 4000)
        )
        channel = self.bot.get_partial_messageable(settings.channel_id, guild_id=settings.guild_id)
        try:
            message = await channel.send(embed=embed, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("recap for %s failed: %s", settings.guild_id, exc)
            await self.bot.app.board.recap_posted(recap, None)
            return
        await self.bot.app.board.recap_posted(recap, message.id)

    async def post(self, settings: GuildSettings, *, manual: bool = False) -> tuple[discord.Message | None, str]:
        """Claim, then send; returns the message, or None and why not."""
        claimed = await self.service.claim(settings, manual=manual)
        if claimed is None:
            return None, "claimed-elsewhere"
        post, shown = claimed
        mode_key = "quiz.footer_immediate" if settings.reveal_mode == "immediate" else "quiz.footer_at_close"
        closes = schedule.close_time(
            self.service.clock(), settings.post_time, schedule.parse_zone(settings.timezone), settings.close_hour
        )
        embed = question_embed(
            shown,
            "quiz.daily_title",
            t(mode_key, close=closes.astimezone(schedule.parse_zone(settings.timezone)).strftime("%m/%d %H:%M")),
        )
        channel = self.bot.get_partial_messageable(settings.channel_id, guild_id=settings.guild_id)
        try:
            message = await channel.send(embed=embed, view=answer_view(shown), allowed_mentions=NO_PINGS)
        except (discord.Forbidden, discord.NotFound) as exc:
            reason = t("quiz.reason.forbidden") if isinstance(exc, discord.Forbidden) else t("quiz.reason.not_found")
            await self.service.failed(post, reason)
            await self.tell_admin(settings, reason)
            return None, reason
        except discord.HTTPException as exc:
            await self.service.failed(post, f"HTTP {exc.status}")
            await self.tell_admin(settings, f"HTTP {exc.status}")
            return None, f"HTTP {exc.status}"
        await self.service.posted(post, message.id, settings)
        return message, ""

    async def tell_admin(self, settings: GuildSettings, reason: str) -> None:
        if not settings.admin_id:
            return
        guild = self.bot.get_guild(settings.guild_id)
        text = t(
            "quiz.post_failed_dm",
            guild=guild.name if guild else settings.guild_id,
            channel=f"<#{settings.channel_id}>",
            reason=reason,
        )
        try:
            await send_dm(self.bot, settings.admin_id, text)
        except discord.HTTPException:
            log.warning("could not tell admin %s of a failed post in %s", settings.admin_id, settings.guild_id)

    async def publish_reveal(self, reveal: Reveal) -> None:
        post = reveal.post
        titles = {
            s: self.service.kb.sections[s].title for s in reveal.question.section_ids if s in self.service.kb.sections
        }
        if post.message_id:
            message = self.bot.get_partial_messageable(post.channel_id, guild_id=post.guild_id).get_partial_message(
                post.message_id
            )
            try:
                await message.edit(
                    embed=reveal_embed(reveal, topic_title(self.bot, Shown(post.id, reveal.question, ()))),
                    view=source_view(reveal.question.section_ids, titles),
                    allowed_mentions=NO_PINGS,
                )
            except discord.HTTPException as exc:
                log.warning("reveal edit failed for post %s: %s", post.id, exc)
        await self.service.closed(post)

    # admin commands ---------------------------------------------------------------------------

    @app_commands.command(name="setup", description=_("Admin: set the quiz channel, time and time zone"))
    @app_commands.describe(
        channel=_("Channel for the daily question"),
        time=_("Local time, e.g. 09:00"),
        timezone=_("IANA time zone, e.g. Asia/Seoul"),
    )
    @app_commands.default_permissions(manage_guild=True)
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str = "09:00",
        timezone: str = schedule.DEFAULT_TZ,
    ) -> None:
        if not await require_manager(interaction):
            return
        try:
            settings = await self.service.setup(interaction.guild_id, channel.id, time, timezone, interaction.user.id)  # type: ignore[arg-type]
        except schedule.ScheduleError as exc:
            await reply(interaction, str(exc))
            return
        nxt = await self.service.next_post_time(settings)
        await reply(
            interaction,
            t(
                "quiz.setup_done",
                time=settings.post_time,
                timezone=settings.timezone,
                channel=channel.mention,
                next=when(nxt),
            ),
        )

    @setup_cmd.autocomplete("timezone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in schedule.zone_choices(current)]

    async def _settings_or_tell(self, interaction: discord.Interaction) -> GuildSettings | None:
        settings = await self.service.store.settings(interaction.guild_id)  # type: ignore[arg-type]
        if settings is None:
            await reply(interaction, t("quiz.not_setup"))
        return settings

    @app_commands.command(name="pause", description=_("Admin: pause the daily quiz"))
    @app_commands.default_permissions(manage_guild=True)
    async def pause(self, interaction: discord.Interaction) -> None:
        if await require_manager(interaction) and await self._settings_or_tell(interaction):
            await self.service.update(interaction.guild_id, paused=True)  # type: ignore[arg-type]
            await reply(interaction, t("quiz.paused"))

    @app_commands.command(name="resume", description=_("Admin: resume the daily quiz"))
    @app_commands.default_permissions(manage_guild=True)
    async def resume(self, interaction: discord.Interaction) -> None:
        if await require_manager(interaction) and await self._settings_or_tell(interaction):
            settings = await self.service.update(interaction.guild_id, paused=False)  # type: ignore[arg-type]
            await reply(interaction, t("quiz.resumed", next=when(await self.service.next_post_time(settings))))  # type: ignore[arg-type]

    @app_commands.command(name="now", description=_("Admin: post a question now"))
    @app_commands.default_permissions(manage_guild=True)
    async def now(self, interaction: discord.Interaction) -> None:
        if not (await require_manager(interaction) and (settings := await self._settings_or_tell(interaction))):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        message, reason = await self.post(settings, manual=True)
        if message is None:
            await reply(interaction, t("quiz.now_failed", reason=reason or "?"))
        else:
            await reply(interaction, t("quiz.now_posted", link=message.jump_url))

    @app_commands.command(name="settings", description=_("Show the quiz settings"))
    async def settings_cmd(self, interaction: discord.Interaction) -> None:
        settings = await self._settings_or_tell(interaction)
        if settings is None:
            return
        close = t("quiz.close_next") if settings.close_hour is None else t("quiz.close_hour", hour=settings.close_hour)
        await reply(
            interaction,
            t(
                "quiz.settings",
                channel=f"<#{settings.channel_id}>",
                time=settings.post_time,
                timezone=settings.timezone,
                state=t("quiz.state_paused") if settings.paused else t("quiz.state_on"),
                mode=t(f"quiz.mode.{settings.reveal_mode}"),
                close=close,
                next=when(await self.service.next_post_time(settings)),
                error=t("quiz.last_error", error=settings.last_error) if settings.last_error else "",
            ),
        )

    @app_commands.command(name="reveal", description=_("Admin: when answers are revealed"))
    @app_commands.describe(mode=_("at-close (default) or immediate"))
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="at-close", value="at-close"),
            app_commands.Choice(name="immediate", value="immediate"),
        ]
    )
    @app_commands.default_permissions(manage_guild=True)
    async def reveal(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        if await require_manager(interaction) and await self._settings_or_tell(interaction):
            await self.service.update(interaction.guild_id, reveal_mode=mode.value)  # type: ignore[arg-type]
            await reply(interaction, t("quiz.reveal_set", mode=t(f"quiz.mode.{mode.value}")))

    @app_commands.command(name="close", description=_("Admin: when a question closes"))
    @app_commands.describe(hour=_("Local hour 0-23; leave empty for when the next question is posted"))
    @app_commands.default_permissions(manage_guild=True)
    async def close(self, interaction: discord.Interaction, hour: app_commands.Range[int, 0, 23] | None = None) -> None:
        if await require_manager(interaction) and await self._settings_or_tell(interaction):
            await self.service.update(interaction.guild_id, close_hour=hour)  # type: ignore[arg-type]
            text = t("quiz.close_next") if hour is None else t("quiz.close_hour", hour=hour)
            await reply(interaction, t("quiz.close_set", when=text))

    @app_commands.command(name="reset", description=_("Admin: clear this server's scores"))
    @app_commands.default_permissions(manage_guild=True)
    async def reset(self, interaction: discord.Interaction) -> None:
        if not await require_manager(interaction):
            return
        await reply(interaction, t("reset.confirm"), view=ResetView(interaction.user.id))

    # members ----------------------------------------------------------------------------------

    @app_commands.command(name="practice", description=_("Practice question (not counted)"))
    @app_commands.describe(topic=_("Topic"))
    async def practice(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        if topic and topic not in self.service.kb.topics:
            await reply(interaction, t("quiz.no_topic", topic=topic))
            return
        shown = self.service.practice_question(topic)
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
        shown, next_due = await self.service.next_review(interaction.guild_id or 0, interaction.user.id)
        if shown is None:
            text = t("quiz.review_empty", when=when(next_due)) if next_due else t("quiz.review_none")
            await reply(interaction, text)
            return
        await send_practice(interaction, shown, "r")


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(AnswerButton, ShortAnswerButton, PracticeButton)
    await bot.add_cog(QuizCog(bot))
