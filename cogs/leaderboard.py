"""Leaderboard, seasons, teams and stats on Discord. Thin: rules live in studybot.board/scoring."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from cogs.runtime import NO_PINGS, reply, require_manager
from cogs.ui import UploadFile, namer
from studybot import board_text
from studybot.ask import fit
from studybot.board import Board, BoardService
from studybot.chart import stats_png
from studybot.messages import t
from studybot.scoring import PERIODS

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

PERIOD_CHOICES = [app_commands.Choice(name=p, value=p) for p in PERIODS]
SCOPE_CHOICES = [app_commands.Choice(name="members", value="members"), app_commands.Choice(name="teams", value="teams")]


def service(interaction: discord.Interaction) -> BoardService:
    return interaction.client.app.board  # type: ignore[attr-defined]


def board_embed(board: Board, page: int, guild: discord.Guild | None, caller: int) -> discord.Embed:
    lines = board_text.board_lines(board, page, namer(guild), caller)
    embed = discord.Embed(
        title=t("board.title", period=board_text.period_label(board)), description=fit("\n".join(lines), 4000)
    )
    embed.colour = discord.Colour.gold()
    if board.pages > 1:
        embed.set_footer(text=t("board.page", page=page + 1, pages=board.pages))
    return embed


def pager(board: Board, page: int, season_key: str) -> discord.ui.View | None:
    if board.pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    for label, target in (("◀", page - 1), ("▶", page + 1)):
        button = PageButton(board.period, target, season_key, label)
        button.item.disabled = not 0 <= target < board.pages
        view.add_item(button)
    return view


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"lb:page:(?P<period>[a-z]+):(?P<page>\d{1,4}):(?P<season>[^:]{0,60})",
):
    """Pages of a board; the period and season travel in the custom id, so paging survives restarts."""

    def __init__(self, period: str, page: int, season: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"lb:page:{period}:{max(page, 0)}:{season}"
            )
        )
        self.period, self.page, self.season = period, max(page, 0), season

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["period"], int(match["page"]), match["season"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.period not in PERIODS or interaction.guild_id is None:
            await reply(interaction, t("error.generic"))
            return
        board = await service(interaction).board(
            interaction.guild_id, self.period, self.season or None, page=self.page, caller=interaction.user.id
        )
        page = min(self.page, board.pages - 1)
        view = pager(board, page, self.season)
        await interaction.response.edit_message(
            embed=board_embed(board, page, interaction.guild, interaction.user.id), view=view, allowed_mentions=NO_PINGS
        )


@app_commands.guild_only()
class LeaderboardCog(commands.GroupCog, group_name="leaderboard", group_description=_("Leaderboard")):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description=_("Show the leaderboard"))
    @app_commands.describe(
        period=_("today, week, month, season or all"), scope=_("members or teams"), season=_("A past season by name")
    )
    @app_commands.choices(period=PERIOD_CHOICES, scope=SCOPE_CHOICES)
    async def show(
        self,
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
        scope: app_commands.Choice[str] | None = None,
        season: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        chosen = period.value if period else ("season" if season else "week")
        boards = service(interaction)
        if scope is not None and scope.value == "teams":
            guild = interaction.guild
            registered = await boards.store.teams(interaction.guild_id)  # type: ignore[arg-type]
            members_of = {}
            for role_id, _name in registered:
                role = guild.get_role(role_id) if guild else None
                members_of[role_id] = {m.id for m in role.members} if role else set()
            teams = await boards.teams(interaction.guild_id, chosen, members_of)  # type: ignore[arg-type]
            label = board_text.period_label(Board(chosen, season, None, []))
            embed = discord.Embed(
                title=t("board.team_title", period=label),
                description=fit("\n".join(board_text.team_lines(teams)), 4000),
            )
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
            return
        board = await boards.board(interaction.guild_id, chosen, season, caller=interaction.user.id)  # type: ignore[arg-type]
        if chosen == "season" and board.season is None:
            await reply(interaction, t("board.no_season"))
            return
        view = pager(board, 0, season or "")
        kwargs = {"view": view} if view else {}
        await interaction.response.send_message(
            embed=board_embed(board, 0, interaction.guild, interaction.user.id), allowed_mentions=NO_PINGS, **kwargs
        )

    @show.autocomplete("season")
    async def season_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = await service(interaction).season_names(interaction.guild_id)  # type: ignore[arg-type]
        return [app_commands.Choice(name=n, value=n) for n in names if current.lower() in n.lower()][:25]

    @app_commands.command(name="export", description=_("Admin: export the standings as CSV"))
    @app_commands.default_permissions(manage_guild=True)
    async def export(self, interaction: discord.Interaction) -> None:
        if not await require_manager(interaction):
            return
        guild = interaction.guild
        names = {m.id: m.display_name for m in guild.members} if guild else {}
        text = await service(interaction).export_csv(interaction.guild_id, names)  # type: ignore[arg-type]
        count = max(text.count("\n") - 1, 0)
        file = UploadFile(io.BytesIO(text.encode("utf-8-sig")), filename="leaderboard.csv")
        await interaction.response.send_message(
            t("board.export_done", count=count), file=file, ephemeral=True, allowed_mentions=NO_PINGS
        )


class CommunityCog(commands.Cog):
    """Top-level /season, /team and /stats, and tracking members who leave."""

    def __init__(self, bot: StudyBot):
        self.bot = bot

    season = app_commands.Group(name="season", description=_("Seasons"), guild_only=True)
    team = app_commands.Group(name="team", description=_("Teams"), guild_only=True)

    @season.command(name="start", description=_("Admin: start a new season"))
    @app_commands.describe(name=_("Season name"))
    async def season_start(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        if not await require_manager(interaction):
            return
        name = name.strip()
        if not name:
            await reply(interaction, t("season.bad_name"))
            return
        if await service(interaction).start_season(interaction.guild_id, name):  # type: ignore[arg-type]
            await reply(interaction, t("season.started", name=discord.utils.escape_markdown(name)), ephemeral=False)
        else:
            await reply(interaction, t("season.taken", name=discord.utils.escape_markdown(name)))

    @season.command(name="list", description=_("List seasons"))
    async def season_list(self, interaction: discord.Interaction) -> None:
        seasons = await service(interaction).store.seasons(interaction.guild_id)  # type: ignore[arg-type]
        lines = [
            t(
                "season.line",
                name=discord.utils.escape_markdown(s.name),
                start=s.start_date,
                end=s.end_date or t("season.running"),
            )
            for s in seasons
        ]
        await reply(interaction, t("season.list", lines="\n".join(lines)) if lines else t("season.none"))

    @team.command(name="add", description=_("Admin: register a role as a team"))
    @app_commands.describe(role=_("Role"))
    async def team_add(self, interaction: discord.Interaction, role: discord.Role) -> None:
        if not await require_manager(interaction):
            return
        if role.is_default():
            await reply(interaction, t("team.everyone"))
            return
        added = await service(interaction).store.add_team(interaction.guild_id, role.id, role.name[:100])  # type: ignore[arg-type]
        await reply(interaction, t("team.added" if added else "team.exists", role=role.mention))

    @team.command(name="remove", description=_("Admin: remove a team"))
    @app_commands.describe(role=_("Role"))
    async def team_remove(self, interaction: discord.Interaction, role: discord.Role) -> None:
        if not await require_manager(interaction):
            return
        removed = await service(interaction).store.remove_team(interaction.guild_id, role.id)  # type: ignore[arg-type]
        await reply(interaction, t("team.removed" if removed else "team.missing", role=role.mention))

    @team.command(name="list", description=_("List teams"))
    async def team_list(self, interaction: discord.Interaction) -> None:
        teams = await service(interaction).store.teams(interaction.guild_id)  # type: ignore[arg-type]
        guild = interaction.guild
        lines = []
        for role_id, name in teams:
            role = guild.get_role(role_id) if guild else None
            lines.append(f"- <@&{role_id}> ({len(role.members) if role else 0}명)" if role else f"- {name}")
        await reply(interaction, t("team.list", lines="\n".join(lines)) if lines else t("board.no_teams"))

    @app_commands.command(name="stats", description=_("Study stats and a chart"))
    @app_commands.describe(member=_("Member (default: you)"))
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        target = member or interaction.user
        await interaction.response.defer(thinking=True)
        stats = await service(interaction).stats(interaction.guild_id, target.id)  # type: ignore[arg-type]
        png = await discord.utils.maybe_coroutine(stats_png, stats)
        embed = discord.Embed(
            title=t("stats.title", name=discord.utils.escape_markdown(target.display_name)),
            description="\n".join(board_text.stats_lines(stats, self.bot.app.kb)),
            colour=discord.Colour.teal(),
        )
        embed.set_image(url="attachment://stats.png")
        await interaction.followup.send(
            embed=embed, file=UploadFile(io.BytesIO(png), filename="stats.png"), allowed_mentions=NO_PINGS
        )

    # members leaving and coming back ------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.bot.app.store.set_departed(payload.guild_id, payload.user.id, True, self.bot.app.quiz.clock())

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self.bot.app.store.set_departed(member.guild.id, member.id, False, self.bot.app.quiz.clock())


async def setup(bot: StudyBot) -> None:
    bot.add_dynamic_items(PageButton)
    await bot.add_cog(LeaderboardCog(bot))
    await bot.add_cog(CommunityCog(bot))
