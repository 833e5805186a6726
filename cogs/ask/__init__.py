"""`/ask` on Discord: the command, its autocomplete, and the buttons that open a section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.ask.commands import AskCog
from cogs.ask.views import SectionButton

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(SectionButton)
    await bot.add_cog(AskCog(bot))
