"""Leaderboards, member stats, the weekly recap and data export: the service both the cogs
and the console call. Periods are computed in the guild's own time zone; nothing here deletes
history except ``reset`` (the admin's ``/board-admin reset``)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from studybot.board import scoring
from studybot.clock import Clock
from studybot.guild import DEFAULT_TZ, GuildSettings, SettingError, parse_zone
from studybot.lookup import KnowledgeBase, Question
from studybot.messages import t
from studybot.storage import Season, Storage
from studybot.text import spreadsheet_safe
from studybot.vocab import Period, RecapStatus

PAGE_SIZE = 10
STREAK_WINDOW = 35  # days of history read for the streak column; longer runs are read in full


Members = Callable[[int], dict[int, set[int]]]  # guild id -> {team role id: ids of members holding it}
SEASON_NAME_MAX = 50


@dataclass(frozen=True)
class Board:
    period: Period
    season: Season | None  # the season shown when period is SEASON
    start: date | None
    standings: list[scoring.Standing]

    def rank_of(self, user_id: int) -> int | None:
        return next((n for n, s in enumerate(self.standings, 1) if s.user_id == user_id), None)

    def page(self, number: int) -> list[tuple[int, scoring.Standing]]:
        first = number * PAGE_SIZE
        return list(enumerate(self.standings[first : first + PAGE_SIZE], first + 1))

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.standings) // PAGE_SIZE))


@dataclass(frozen=True)
class Stats:
    user_id: int
    points: int
    rank: int | None
    members: int
    answered: int
    correct: int
    streak: int
    best_streak: int
    topics: list[tuple[str, int, int]]  # (topic id, answered, correct), best accuracy first
    reviews_due: int
    daily_activity: list[tuple[date, int]]  # the last 30 local days, oldest first

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def strongest(self) -> tuple[str, int, int] | None:
        ranked = [t for t in self.topics if t[1] >= 2]
        return ranked[0] if ranked else None

    @property
    def weakest(self) -> tuple[str, int, int] | None:
        ranked = [t for t in self.topics if t[1] >= 2]
        return ranked[-1] if len(ranked) > 1 else None


@dataclass(frozen=True)
class Recap:
    settings: GuildSettings
    week_start: date
    standings: list[scoring.Standing]  # the whole week's board
    missed: tuple[Question, int, int] | None  # question, answers, correct
    top_team: scoring.TeamStanding | None = None

    @property
    def top(self) -> list[scoring.Standing]:
        return self.standings[:3]


class BoardService:
    def __init__(self, kb: KnowledgeBase, storage: Storage, clock: Clock):
        self.kb = kb
        self.storage = storage
        self.data = storage.community
        self.clock = clock

    async def zone(self, guild_id: int) -> ZoneInfo:
        settings = await self.storage.guilds.get(guild_id)
        return settings.zone if settings else parse_zone(DEFAULT_TZ)

    async def board(
        self,
        guild_id: int,
        period: Period = Period.WEEK,
        season: str | int | None = None,
        *,
        page: int = 0,
        caller: int | None = None,
    ) -> Board:
        """Standings for a period; members who left the server are left out (history is kept).
        ``season`` picks a season by name or id (default: the running one, else the latest).

        The streak column is exact for the members shown (``page`` and ``caller``); for the
        others it counts only the days the period's rows reach (nobody sees it)."""
        period = Period(period)
        zone = await self.zone(guild_id)
        now = self.clock()
        today = now.astimezone(zone).date()
        start: date | None
        until: date | None = None
        chosen = None
        if period is Period.SEASON:
            chosen = await self.season(guild_id, season)
            if chosen is None:
                return Board(period, None, None, [])
            start = chosen.start_date
            # a season ended today still shows today's answers (it ended at the new one's start)
            until = (
                chosen.end_date + timedelta(days=1) if chosen.end_date and chosen.end_date == start else chosen.end_date
            )
        else:
            start = scoring.period_start(period, now, zone)
        since = start - timedelta(days=scoring.STREAK_BONUS_CAP) if start else None
        rows, left, authored = await asyncio.gather(
            self.data.day_rows(guild_id, since, until),
            self.data.departed_ids(guild_id),
            self.storage.contributions.author_days(guild_id, start, until),
        )
        ranked = [s for s in scoring.standings(rows, start, today, authored=authored) if s.user_id not in left]
        if since is not None or until is not None:
            # the period's rows may not reach back to where a current streak began: read the
            # streak column for the members shown from the last STREAK_WINDOW days, and the
            # whole history only for a run longer than that
            shown = [s.user_id for s in ranked[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
            if caller is not None and caller not in shown and any(s.user_id == caller for s in ranked):
                shown.append(caller)
            window = today - timedelta(days=STREAK_WINDOW)
            recent = await self.data.answered_days(guild_id, shown, since=window) if shown else {}
            streak = {u: scoring.streaks(recent.get(u, []), today)[0] for u in shown}
            longer = [u for u, n in streak.items() if n >= (today - window).days]
            if longer:
                full = await self.data.answered_days(guild_id, longer)
                streak.update({u: scoring.streaks(full[u], today)[0] for u in longer})
            ranked = [replace(s, streak=streak[s.user_id]) if s.user_id in streak else s for s in ranked]
        return Board(period, chosen, start, ranked)

    async def season(self, guild_id: int, key: str | int | None = None) -> Season | None:
        seasons = await self.data.seasons(guild_id)
        if isinstance(key, int):
            return next((s for s in seasons if s.id == key), None)
        if key:
            return next((s for s in seasons if s.name == key), None)
        return next((s for s in seasons if s.end_date is None), seasons[0] if seasons else None)

    async def start_season(self, guild_id: int, name: str) -> str | None:
        """Start a season (ending the running one); its name as stored, or None when taken.
        Raises SettingError for an empty or overlong name."""
        name = " ".join(name.split())
        if not name:
            raise SettingError(t("season.bad_name"))
        if len(name) > SEASON_NAME_MAX:
            raise SettingError(t("season.long_name", limit=SEASON_NAME_MAX))
        today = self.clock().astimezone(await self.zone(guild_id)).date()
        return name if await self.data.start_season(guild_id, name, today) else None

    async def seasons(self, guild_id: int) -> list[Season]:
        return await self.data.seasons(guild_id)

    async def season_names(self, guild_id: int) -> list[str]:
        return [s.name for s in await self.data.seasons(guild_id)]

    # -- teams ----------------------------------------------------------------------------------

    async def add_team(self, guild_id: int, role_id: int, name: str) -> bool:
        return await self.data.add_team(guild_id, role_id, name[:100])

    async def remove_team(self, guild_id: int, role_id: int) -> bool:
        return await self.data.remove_team(guild_id, role_id)

    async def team_list(self, guild_id: int) -> list[tuple[int, str]]:
        return await self.data.teams(guild_id)

    def _rank_teams(
        self, standings: list[scoring.Standing], registered: list[tuple[int, str]], members_of: dict[int, set[int]]
    ) -> list[scoring.TeamStanding]:
        teams = {role: (name, members_of.get(role, set())) for role, name in registered}
        return scoring.team_standings(standings, teams)

    async def team_board(
        self, guild_id: int, members: Members, period: Period = Period.WEEK, season: str | int | None = None
    ) -> tuple[Board, list[scoring.TeamStanding]]:
        """Team standings for the same window as the member board (a past season included)."""
        board = await self.board(guild_id, period, season)
        registered = await self.data.teams(guild_id)
        return board, self._rank_teams(board.standings, registered, members(guild_id) if registered else {})

    # -- members leaving and coming back --------------------------------------------------------

    async def member_left(self, guild_id: int, user_id: int) -> None:
        await self.data.set_departed(guild_id, user_id, True, self.clock())

    async def member_joined(self, guild_id: int, user_id: int) -> None:
        await self.data.set_departed(guild_id, user_id, False, self.clock())

    async def stats(self, guild_id: int, user_id: int) -> Stats:
        zone = await self.zone(guild_id)
        now = self.clock()
        today = now.astimezone(zone).date()
        board = await self.board(guild_id, Period.ALL)
        mine = next((s for s in board.standings if s.user_id == user_id), None)
        days = (await self.data.answered_days(guild_id, [user_id])).get(user_id, [])
        current, best = scoring.streaks(days, today)
        acc = await self.storage.reviews.topic_accuracy(guild_id, user_id)
        topics = sorted(((t, n, c) for t, (n, c) in acc.items()), key=lambda x: (-x[2] / x[1], -x[1], x[0]))
        first = today - timedelta(days=29)
        since = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        counts: dict[date, int] = {}
        for moment in await self.storage.reviews.activity_times(guild_id, user_id, since):
            day = moment.astimezone(zone).date()
            counts[day] = counts.get(day, 0) + 1
        activity = [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(30)]
        # the reviews /quiz review can serve (a card whose question left the bank is never served)
        members = {row.question_id for row in await self.storage.contributions.questions(guild_id)}
        due = [
            q for q in await self.storage.reviews.due(guild_id, user_id, now) if q in self.kb.questions or q in members
        ]
        return Stats(
            user_id=user_id,
            points=mine.points if mine else 0,
            rank=board.rank_of(user_id),
            members=len(board.standings),
            answered=mine.answered if mine else 0,
            correct=mine.correct if mine else 0,
            streak=current,
            best_streak=best,
            topics=topics,
            reviews_due=len(due),
            daily_activity=activity,
        )

    # -- weekly recap ---------------------------------------------------------------------------

    async def recaps_due(self, members: Members) -> list[Recap]:
        """Guilds whose last week ended and has no recap yet: each claimed (a unique row) here."""
        out = []
        now = self.clock()
        for settings in await self.storage.guilds.all():
            try:
                zone = settings.zone
            except SettingError:
                continue
            this_week = scoring.period_start(Period.WEEK, now, zone)
            assert this_week is not None
            last_week = this_week - timedelta(days=7)
            rows = await self.data.day_rows(settings.guild_id, last_week, this_week)
            if not rows or not await self.data.claim_recap(settings.guild_id, last_week, now):
                continue
            out.append(await self._recap(settings, last_week, members))
        return out

    async def _recap(self, settings: GuildSettings, last_week: date, members: Members) -> Recap:
        guild_id = settings.guild_id
        this_week = last_week + timedelta(days=7)
        left = await self.data.departed_ids(guild_id)
        earlier = await self.data.day_rows(guild_id, last_week - timedelta(days=scoring.STREAK_BONUS_CAP), this_week)
        authored = await self.storage.contributions.author_days(guild_id, last_week, this_week)
        week = [s for s in scoring.standings(earlier, last_week, this_week, authored=authored) if s.user_id not in left]
        missed = await self.data.most_missed(guild_id, last_week, this_week)
        question = None
        if missed:
            found = self.kb.questions.get(missed[0]) or await self._member_question(guild_id, missed[0])
            question = (found, missed[1], missed[2]) if found is not None else None
        registered = await self.data.teams(guild_id)
        teams = self._rank_teams(week, registered, members(guild_id)) if registered else []
        return Recap(settings, last_week, week, question, teams[0] if teams else None)

    async def _member_question(self, guild_id: int, question_id: str) -> Question | None:
        """One of the guild's approved member questions (``m-<id>``), which the daily quiz also posts."""
        for row in await self.storage.contributions.questions(guild_id):
            if row.question_id == question_id:
                return Question.from_json(row.question)
        return None

    async def recap_posted(self, recap: Recap, message_id: int | None) -> None:
        status = RecapStatus.POSTED if message_id else RecapStatus.FAILED
        await self.data.set_recap(recap.settings.guild_id, recap.week_start, status=status, message_id=message_id)

    # -- admin data tools -----------------------------------------------------------------------

    async def export_csv(self, guild_id: int, names: dict[int, str]) -> str:
        board = await self.board(guild_id, Period.ALL)
        days = await self.data.answered_days(guild_id, [s.user_id for s in board.standings])
        today = self.clock().astimezone(await self.zone(guild_id)).date()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["rank", "user_id", "name", "points", "answered", "correct", "accuracy", "streak", "best_streak"]
        )
        for rank, s in enumerate(board.standings, 1):
            current, best = scoring.streaks(days.get(s.user_id, []), today)
            name = spreadsheet_safe(names.get(s.user_id, ""))
            writer.writerow(
                [rank, s.user_id, name, s.points, s.answered, s.correct, f"{s.accuracy:.3f}", current, best]
            )
        return out.getvalue()

    async def reset(self, guild_id: int) -> int:
        """``/board-admin reset``: clears the guild's daily answers (the standings), after confirmation."""
        return await self.storage.answers.clear_guild(guild_id)
