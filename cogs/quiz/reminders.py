"""Review reminders: at most one DM a day, at the member's chosen local hour, when reviews are
due, with a button that starts the review (it works in the DM, after a restart too). A member
who does not take DMs from the bot (403 / 50007) is switched off quietly. The rules and the
once-a-day claim live in studybot.exam.plan."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from cogs.quiz.views import send_practice
from cogs.runtime import Guarded, SafeView, reply, send_dm
from cogs.runtime.jobs import Jobs, keep_running
from cogs.runtime.replies import app_of, study_guild
from cogs.runtime.ui import when
from studybot.exam import Reminder
from studybot.messages import t

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

log = logging.getLogger("studybot.reminders")
CANNOT_DM = 50007  # Discord's "Cannot send messages to this user"


class ReviewNowButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:remind:review"):
    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("plan.remind_button"),
                emoji="🔁",
                style=discord.ButtonStyle.primary,
                custom_id="quiz:remind:review",
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match):
        return cls()

    async def run(self, interaction: discord.Interaction) -> None:
        quiz = app_of(interaction).quiz
        shown, next_due = await quiz.next_review(study_guild(interaction), interaction.user.id)
        if shown is None:
            await reply(interaction, t("quiz.review_empty", when=when(next_due)) if next_due else t("quiz.review_none"))
            return
        await send_practice(interaction, shown, "r")


def reminder_text(reminder: Reminder, days_left: int | None) -> str:
    countdown = t("plan.remind_countdown", days=days_left) if days_left is not None and days_left >= 0 else ""
    return t("plan.remind_dm", count=reminder.due, countdown=countdown)


class ReminderCog(commands.Cog):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.jobs = Jobs()
        self._stopping = False
        keep_running(self.reminders, lambda: self._stopping)

    async def cog_load(self) -> None:
        self.reminders.start()

    async def cog_unload(self) -> None:
        self._stopping = True
        self.reminders.cancel()

    @tasks.loop(minutes=1)
    async def reminders(self) -> None:
        await self.tick()

    @reminders.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        due: list[Reminder] = []

        async def collect() -> None:
            due.extend(await self.bot.app.plans.reminders_due())

        await self.jobs.run("reminders", collect)
        for reminder in due:
            await self.jobs.run(f"reminder:{reminder.user_id}", partial(self.send, reminder))

    async def send(self, reminder: Reminder) -> None:
        plans = self.bot.app.plans
        view = SafeView(timeout=None)
        view.add_item(ReviewNowButton())
        text = reminder_text(reminder, plans.days_left(await plans.plan(reminder.user_id)))
        try:
            await send_dm(self.bot, reminder.user_id, text, view=view)
        except discord.HTTPException as exc:
            if isinstance(exc, discord.Forbidden) or exc.code == CANNOT_DM:
                log.info("member %s takes no DMs: reminders switched off", reminder.user_id)
                await plans.reminder_blocked(reminder)
                return
            raise
        await plans.reminder_sent(reminder)
