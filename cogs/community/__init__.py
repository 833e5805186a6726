"""The group writes the bot, on Discord: `/quiz suggest` and its modal, the moderation queue
(review channel and `/quiz queue`) with persistent Approve / Edit / Reject buttons, the
"틀린 내용 신고" button on /ask answers and reveals, and `/quiz export` (Anki and CSV)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.community.commands import ContributionsCog
from cogs.community.views import ModerateButton, ReportButton, ResolveButton

if TYPE_CHECKING:
    from cogs.runtime import StudyBot


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(ModerateButton, ResolveButton, ReportButton)
    await bot.add_cog(ContributionsCog(bot))
