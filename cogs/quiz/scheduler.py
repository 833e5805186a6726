"""The daily post's life on Discord: claim -> send (with a nonce) -> posted, recovery of a post
a crash left mid-send, and the reveal at close. Runs every 30 s; each guild's work is isolated."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from cogs.community.views import report_button
from cogs.quiz.embeds import question_embed, reveal_embed, source_view
from cogs.quiz.views import answer_view
from cogs.runtime import NO_PINGS, SafeView, send_dm
from cogs.runtime.jobs import Jobs, keep_running
from studybot.guild import GuildSettings
from studybot.messages import t
from studybot.quiz import Due, Post, Reveal, Shown, nonce
from studybot.vocab import ReportTarget, RevealMode

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

log = logging.getLogger("studybot.quiz")
HISTORY_SCAN = 50  # recent messages searched for a post that was sent before a crash


def names_post(message: discord.Message, post_id: int) -> bool:
    """Whether a message is the bot's post for ``post_id`` (its custom ids name the post)."""
    ids = {f"quiz:short:{post_id}", f"quiz:pick:{post_id}"}
    for row in message.components:
        for child in getattr(row, "children", []):
            custom_id = getattr(child, "custom_id", None) or ""
            if custom_id in ids or custom_id.startswith(f"quiz:answer:{post_id}:"):
                return True
    return False


class QuizScheduler(commands.Cog):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.service = bot.app.quiz
        self.jobs = Jobs()
        self._stopping = False
        keep_running(self.ticker, lambda: self._stopping)

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        self._stopping = True
        self.ticker.cancel()

    @tasks.loop(seconds=30)
    async def ticker(self) -> None:
        await self.tick()

    @ticker.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        """Recover, close and post what is due. Safe to run twice or in two processes: every
        step is claimed in the database first."""
        await self.jobs.run("stuck-closing", self._reveal_stuck)
        await self.jobs.run("recover", self._recover_all)
        reveals: list[Reveal] = []
        await self.jobs.run("closing", partial(self._collect, reveals))
        for reveal in reveals:
            await self.jobs.run(f"reveal:{reveal.post.id}", partial(self.publish_reveal, reveal))
        dues: list[Due] = []
        await self.jobs.run("due", partial(self._due, dues))
        for due in dues:
            await self.jobs.run(f"post:{due.settings.guild_id}", partial(self.post, due.settings))

    async def _collect(self, into: list[Reveal]) -> None:
        into.extend(await self.service.closing())

    async def _due(self, into: list) -> None:
        into.extend(await self.service.due())

    async def _reveal_stuck(self) -> None:
        """Posts left in ``closing`` (a crash or a Discord error mid-reveal) are revealed again;
        the edit is idempotent, so a second process doing the same is harmless."""
        for reveal in await self.service.stuck_closing():
            await self.jobs.run(f"reveal:{reveal.post.id}", partial(self.publish_reveal, reveal))

    async def _recover_all(self) -> None:
        for post, shown, settings, expired in await self.service.interrupted():
            if expired:
                job = partial(self.give_up, post, settings, t("quiz.reason.interrupted"))
            else:
                job = partial(self.recover, post, shown, settings)
            await self.jobs.run(f"recover:{post.id}", job)

    # posting -----------------------------------------------------------------------------------

    async def post(self, settings: GuildSettings, *, manual: bool = False) -> tuple[discord.Message | None, str]:
        """Claim, then send; returns the message, or None and why not."""
        claimed = await self.service.claim(settings, manual=manual)
        if claimed is None:
            return None, "claimed-elsewhere"
        post, shown = claimed
        return await self.send(post, shown, settings)

    async def send(self, post: Post, shown: Shown, settings: GuildSettings) -> tuple[discord.Message | None, str]:
        """Send a claimed post. The nonce makes a resend return the first message instead of a
        second one; a network error leaves the row in ``sending`` for recovery."""
        mode_key = "quiz.footer_immediate" if settings.reveal_mode is RevealMode.IMMEDIATE else "quiz.footer_at_close"
        mode_key += "_multi" if shown.is_multi else ""
        closes = self.service.closes_at(settings).astimezone(settings.zone)
        topic = self.service.kb.topic_title(shown.question.topic_id)
        embed = question_embed(shown, "quiz.daily_title", topic, t(mode_key, close=closes.strftime("%m/%d %H:%M")))
        channel = self.bot.get_partial_messageable(settings.channel_id, guild_id=settings.guild_id)
        try:
            message = await channel.send(
                embed=embed, view=answer_view(shown), allowed_mentions=NO_PINGS, nonce=nonce(post)
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            reason = t("quiz.reason.forbidden") if isinstance(exc, discord.Forbidden) else t("quiz.reason.not_found")
            await self.give_up(post, settings, reason)
            return None, reason
        except discord.HTTPException as exc:
            if exc.status >= 500:
                raise  # Discord's side: the row stays in `sending` and is recovered on a later tick
            await self.give_up(post, settings, f"HTTP {exc.status}")
            return None, f"HTTP {exc.status}"
        await self.service.posted(post, message.id, settings)
        return message, ""

    async def recover(self, post: Post, shown: Shown, settings: GuildSettings) -> None:
        """A post a crash left in ``sending``: adopt the message if Discord has it, else resend."""
        channel = self.bot.get_partial_messageable(post.channel_id, guild_id=post.guild_id)
        try:
            async for message in channel.history(limit=HISTORY_SCAN):
                if self.bot.user and message.author.id == self.bot.user.id and names_post(message, post.id):
                    log.info("post %s was sent before a crash: adopting message %s", post.id, message.id)
                    await self.service.posted(post, message.id, settings)
                    return
        except (discord.Forbidden, discord.NotFound) as exc:
            reason = t("quiz.reason.forbidden") if isinstance(exc, discord.Forbidden) else t("quiz.reason.not_found")
            await self.give_up(post, settings, reason)
            return
        log.info("post %s was not sent before a crash: sending it now", post.id)
        await self.send(post, shown, settings)

    async def give_up(self, post: Post, settings: GuildSettings, reason: str) -> None:
        await self.service.failed(post, reason)
        await self.tell_admin(settings, reason)

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

    # reveal ------------------------------------------------------------------------------------

    async def publish_reveal(self, reveal: Reveal) -> None:
        post = reveal.post
        if post.message_id:
            channel = self.bot.get_partial_messageable(post.channel_id, guild_id=post.guild_id)
            message = channel.get_partial_message(post.message_id)
            topic = self.service.kb.topic_title(reveal.question.topic_id)
            view = source_view(self.service.kb, reveal.question.section_ids) or SafeView(timeout=None)
            view.add_item(report_button(ReportTarget.QUESTION, reveal.question.id))
            try:
                await message.edit(embed=reveal_embed(reveal, topic), view=view, allowed_mentions=NO_PINGS)
            except (discord.Forbidden, discord.NotFound) as exc:
                log.warning("reveal edit for post %s is impossible: %s", post.id, exc)
        await self.service.closed(post)
