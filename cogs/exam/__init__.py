"""The mock exam on Discord (issue 11): `/exam`, its ephemeral question pages and results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.exam.commands import ExamCog, ReadinessCog
from cogs.exam.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(ExamCog(bot))
    await bot.add_cog(ReadinessCog(bot))
