"""The leaderboard on Discord: boards with paging, seasons, teams, stats with a chart, export,
reset, and the weekly recap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.board.commands import BoardAdminCog, CommunityCog, LeaderboardCog
from cogs.board.views import PageButton

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(PageButton)
    await bot.add_cog(LeaderboardCog(bot))
    await bot.add_cog(BoardAdminCog(bot))
    await bot.add_cog(CommunityCog(bot))
