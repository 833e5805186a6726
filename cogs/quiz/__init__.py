"""The daily quiz on Discord: member and admin commands, the scheduled post and its recovery,
answer buttons and modals, the reveal edit, practice and review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.quiz.commands import QuizAdminCog, QuizCog
from cogs.quiz.reminders import ReminderCog, ReviewNowButton
from cogs.quiz.scheduler import QuizScheduler
from cogs.quiz.views import AnswerButton, OldPracticeButton, PickSelect, ShortAnswerButton, StudyButton, StudySelect

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(AnswerButton, ShortAnswerButton, PickSelect, StudyButton, StudySelect, OldPracticeButton)
    bot.add_dynamic_items(ReviewNowButton)
    scheduler = QuizScheduler(bot)
    await bot.add_cog(scheduler)
    await bot.add_cog(QuizCog(bot))
    await bot.add_cog(QuizAdminCog(bot, scheduler))
    await bot.add_cog(ReminderCog(bot))
