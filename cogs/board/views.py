"""Board rendering and components: the board embed, persistent ◀ ▶ paging, the reset confirmation."""

from __future__ import annotations

import re

import discord

from cogs.runtime import NO_PINGS, Guarded, SafeView, reply
from cogs.runtime.errors import tell_member
from cogs.runtime.replies import app_of, guild_of
from cogs.runtime.ui import namer
from studybot.board import Board, BoardService
from studybot.board import text as board_text
from studybot.lookup import fit
from studybot.messages import t
from studybot.vocab import Period


def service(interaction: discord.Interaction) -> BoardService:
    return app_of(interaction).board


def board_embed(board: Board, page: int, guild: discord.Guild | None, caller: int) -> discord.Embed:
    lines = board_text.board_lines(board, page, namer(guild), caller)
    embed = discord.Embed(
        title=fit(t("board.title", period=board_text.period_label(board)), 256),
        description=fit("\n".join(lines), 4000),
        colour=discord.Colour.gold(),
    )
    if board.pages > 1:
        embed.set_footer(text=t("board.page", page=page + 1, pages=board.pages))
    return embed


def pager(board: Board, page: int) -> discord.ui.View | None:
    if board.pages <= 1:
        return None
    view = SafeView(timeout=None)
    season = board.season.id if board.season else 0
    for label, target in (("◀", page - 1), ("▶", page + 1)):
        button = PageButton(board.period, target, season, label)
        button.item.disabled = not 0 <= target < board.pages
        view.add_item(button)
    return view


class PageButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"lb:page:(?P<period>[a-z]{1,8}):(?P<page>\d{1,4}):(?P<season>\d{1,12})",
):
    """Pages of a board; the period and the season's id travel in the custom id (never a name,
    which could be long), so paging survives restarts."""

    def __init__(self, period: Period, page: int, season_id: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"lb:page:{period}:{max(page, 0)}:{season_id}",
            )
        )
        self.period, self.page, self.season_id = period, max(page, 0), season_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        period = match["period"]
        if period not in set(Period):
            raise ValueError(f"unknown period {period!r}")
        return cls(Period(period), int(match["page"]), int(match["season"]), getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None:
            await reply(interaction, t("error.guild_only"))
            return
        board = await service(interaction).board(
            interaction.guild_id, self.period, self.season_id or None, page=self.page, caller=interaction.user.id
        )
        page = min(self.page, board.pages - 1)
        await interaction.response.edit_message(
            embed=board_embed(board, page, interaction.guild, interaction.user.id),
            view=pager(board, page),
            allowed_mentions=NO_PINGS,
        )


class ResetView(SafeView):
    """The confirmation for `/board-admin reset`: only the admin who asked can press it."""

    def __init__(self, admin_id: int):
        super().__init__(timeout=120)
        self.admin_id = admin_id
        self.confirm.label = t("reset.button")
        self.cancel.label = t("reset.cancel")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.admin_id:
            await reply(interaction, t("error.no_permission"))
            return False
        return True

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="board:reset:confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        try:
            count = await service(interaction).reset(guild_of(interaction))
        except Exception as exc:
            await tell_member(interaction, exc)
            return
        await interaction.response.edit_message(content=t("reset.done", count=count), view=None)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="board:reset:cancel")
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=t("reset.cancelled"), view=None)
