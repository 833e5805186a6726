"""`/leaderboard`, `/stats` and `/board-admin` on Discord; members leaving and coming back; the
weekly recap. Thin: every rule lives in studybot.board."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from cogs.board.views import ResetView, board_embed, pager, service
from cogs.runtime import NO_PINGS, manager_only, reply
from cogs.runtime.jobs import Jobs, keep_running
from cogs.runtime.replies import guild_of
from cogs.runtime.ui import UploadFile, namer, role_members
from studybot.board import Recap
from studybot.board import text as board_text
from studybot.board.chart import stats_png
from studybot.guild import SettingError
from studybot.lookup import fit
from studybot.messages import t
from studybot.vocab import Period

if TYPE_CHECKING:
    from cogs.runtime import StudyBot

log = logging.getLogger("studybot.board")
PERIOD_CHOICES = [app_commands.Choice(name=str(p), value=str(p)) for p in Period]
SCOPE_CHOICES = [app_commands.Choice(name="members", value="members"), app_commands.Choice(name="teams", value="teams")]


def escape(text: str) -> str:
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


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
        chosen = Period(period.value) if period else (Period.SEASON if season else Period.WEEK)
        guild_id = guild_of(interaction)
        boards = service(interaction)
        if scope is not None and scope.value == "teams":
            board, teams = await boards.team_board(guild_id, role_members(interaction.guild), chosen, season)
            if chosen is Period.SEASON and board.season is None:
                await reply(interaction, t("board.no_season"))
                return
            embed = discord.Embed(
                title=fit(t("board.team_title", period=board_text.period_label(board)), 256),
                description=fit("\n".join(board_text.team_lines(teams)), 4000),
            )
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
            return
        board = await boards.board(guild_id, chosen, season, caller=interaction.user.id)
        if chosen is Period.SEASON and board.season is None:
            await reply(interaction, t("board.no_season"))
            return
        embed = board_embed(board, 0, interaction.guild, interaction.user.id)
        view = pager(board, 0)
        if view is None:
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS)

    @show.autocomplete("season")
    async def season_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = await service(interaction).season_names(guild_of(interaction))
        return [app_commands.Choice(name=n, value=n) for n in names if current.lower() in n.lower()][:25]

    @app_commands.command(name="seasons", description=_("List seasons"))
    async def seasons(self, interaction: discord.Interaction) -> None:
        seasons = await service(interaction).seasons(guild_of(interaction))
        lines = [
            t("season.line", name=escape(s.name), start=s.start_date, end=s.end_date or t("season.running"))
            for s in seasons
        ]
        await reply(interaction, t("season.list", lines="\n".join(lines)) if lines else t("season.none"))

    @app_commands.command(name="teams", description=_("List teams"))
    async def teams(self, interaction: discord.Interaction) -> None:
        teams = await service(interaction).team_list(guild_of(interaction))
        guild = interaction.guild
        lines = []
        for role_id, name in teams:
            role = guild.get_role(role_id) if guild else None
            lines.append(
                t("team.line", role=f"<@&{role_id}>", count=len(role.members)) if role else f"- {escape(name)}"
            )
        await reply(interaction, t("team.list", lines="\n".join(lines)) if lines else t("board.no_teams"))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class BoardAdminCog(commands.GroupCog, group_name="board-admin", group_description=_("Admin: leaderboard")):
    def __init__(self, bot: StudyBot):
        self.bot = bot
        super().__init__()

    @app_commands.command(name="export", description=_("Admin: export the standings as CSV"))
    @manager_only()
    async def export(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        names = {m.id: m.display_name for m in guild.members} if guild else {}
        text = await service(interaction).export_csv(guild_of(interaction), names)
        count = max(text.count("\n") - 1, 0)
        file = UploadFile(io.BytesIO(text.encode("utf-8-sig")), filename="leaderboard.csv")
        await interaction.response.send_message(
            t("board.export_done", count=count), file=file, ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="reset", description=_("Admin: clear this server's scores"))
    @manager_only()
    async def reset(self, interaction: discord.Interaction) -> None:
        await reply(interaction, t("reset.confirm"), view=ResetView(interaction.user.id))

    @app_commands.command(name="season", description=_("Admin: start a new season"))
    @app_commands.describe(name=_("Season name"))
    @manager_only()
    async def season_start(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        try:
            started = await service(interaction).start_season(guild_of(interaction), name)
        except SettingError as exc:
            await reply(interaction, str(exc))
            return
        if started:
            await reply(interaction, t("season.started", name=escape(started)), ephemeral=False)
        else:
            await reply(interaction, t("season.taken", name=escape(name)))

    @app_commands.command(name="team-add", description=_("Admin: register a role as a team"))
    @app_commands.describe(role=_("Role"))
    @manager_only()
    async def team_add(self, interaction: discord.Interaction, role: discord.Role) -> None:
        if role.is_default():
            await reply(interaction, t("team.everyone"))
            return
        added = await service(interaction).add_team(guild_of(interaction), role.id, role.name)
        await reply(interaction, t("team.added" if added else "team.exists", role=role.mention))

    @app_commands.command(name="team-remove", description=_("Admin: remove a team"))
    @app_commands.describe(role=_("Role"))
    @manager_only()
    async def team_remove(self, interaction: discord.Interaction, role: discord.Role) -> None:
        removed = await service(interaction).remove_team(guild_of(interaction), role.id)
        await reply(interaction, t("team.removed" if removed else "team.missing", role=role.mention))


class CommunityCog(commands.Cog):
    """`/stats`, members who leave and come back, and the weekly recap."""

    def __init__(self, bot: StudyBot):
        self.bot = bot
        self.board = bot.app.board
        self.jobs = Jobs()
        self._stopping = False
        keep_running(self.recaps, lambda: self._stopping)

    async def cog_load(self) -> None:
        self.recaps.start()

    async def cog_unload(self) -> None:
        self._stopping = True
        self.recaps.cancel()

    @app_commands.command(name="stats", description=_("Study stats and a chart"))
    @app_commands.describe(member=_("Member (default: you)"))
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        target = member or interaction.user
        await interaction.response.defer(thinking=True)
        stats = await self.board.stats(guild_of(interaction), target.id)
        titles = {tid: self.board.kb.topic_title(tid) for tid, _, _ in stats.topics}
        png = await asyncio.to_thread(stats_png, stats, titles)  # drawing takes ~100 ms: off the event loop
        embed = discord.Embed(
            title=fit(t("stats.title", name=escape(target.display_name)), 256),
            description="\n".join(board_text.stats_lines(stats, self.board.kb)),
            colour=discord.Colour.teal(),
        )
        embed.set_image(url="attachment://stats.png")
        file = UploadFile(
            io.BytesIO(png), filename="stats.png", description=t("stats.alt", name=target.display_name)[:1000]
        )
        await interaction.followup.send(embed=embed, file=file, allowed_mentions=NO_PINGS)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.board.member_left(payload.guild_id, payload.user.id)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self.board.member_joined(member.guild.id, member.id)

    # weekly recap ------------------------------------------------------------------------------

    @tasks.loop(minutes=1)
    async def recaps(self) -> None:
        due: list[Recap] = []

        async def collect() -> None:
            due.extend(await self.board.recaps_due(self._members))

        await self.jobs.run("recaps", collect)
        for recap in due:
            await self.jobs.run(f"recap:{recap.settings.guild_id}", partial(self.publish_recap, recap))

    @recaps.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    def _members(self, guild_id: int) -> dict[int, set[int]]:
        return role_members(self.bot.get_guild(guild_id))(guild_id)

    async def publish_recap(self, recap: Recap) -> None:
        """The weekly recap, claimed in the database (a unique row) before it is sent."""
        settings = recap.settings
        end = recap.week_start + timedelta(days=6)
        lines = board_text.recap_lines(recap, namer(self.bot.get_guild(settings.guild_id)))
        embed = discord.Embed(
            title=t("recap.title", start=recap.week_start, end=end), description=fit("\n".join(lines), 4000)
        )
        channel = self.bot.get_partial_messageable(settings.channel_id, guild_id=settings.guild_id)
        try:
            message = await channel.send(embed=embed, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("recap for %s failed: %s", settings.guild_id, exc)
            await self.board.recap_posted(recap, None)
            return
        await self.board.recap_posted(recap, message.id)
