"""Scoring rules: pure functions, no I/O.

- a correct daily answer: 10 points; a wrong one still earns 2 for taking part;
- a streak bonus for consecutive local days answered: +1 per day of streak beyond the first,
  capped at +5 a day (day 2: +1, day 3: +2, ... day 6 and later: +5);
- no speed race: when in the day a member answers does not matter;
- practice and review never count for standings (they are study activity in /stats);
- an author bonus: +5 when a post uses a question the member wrote (``/quiz suggest``, approved),
  at most +5 a local day however many posts use their questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from studybot.vocab import Period

CORRECT_POINTS = 10
PARTICIPATION_POINTS = 2
STREAK_BONUS_PER_DAY = 1
STREAK_BONUS_CAP = 5
AUTHOR_BONUS = 5
AUTHOR_BONUS_CAP = 5
PERIODS = tuple(Period)


def author_points(posts: int) -> int:
    """The author bonus for one local day on which ``posts`` posts used the member's questions."""
    return min(max(posts, 0) * AUTHOR_BONUS, AUTHOR_BONUS_CAP)


def day_points(answered: int, correct: int, streak_days: int) -> int:
    """Points for one member's answers on one local day, ``streak_days`` counting that day."""
    bonus = min(max(streak_days - 1, 0) * STREAK_BONUS_PER_DAY, STREAK_BONUS_CAP) if answered else 0
    return correct * CORRECT_POINTS + (answered - correct) * PARTICIPATION_POINTS + bonus


def run_lengths(days: Iterable[date]) -> dict[date, int]:
    """For each day answered, how many consecutive days (ending that day) were answered."""
    out: dict[date, int] = {}
    for day in sorted(set(days)):
        out[day] = out.get(day - timedelta(days=1), 0) + 1
    return out


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, best) streak. The current one survives until today ends unanswered."""
    runs = run_lengths(days)
    best = max(runs.values(), default=0)
    current = runs.get(today) or runs.get(today - timedelta(days=1), 0)
    return current, best


@dataclass(frozen=True)
class Standing:
    user_id: int
    points: int
    answered: int
    correct: int
    streak: int  # current streak (local days)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def standings(
    rows: Iterable[tuple[int, date, int, int]],
    start: date | None,
    today: date,
    history: dict[int, list[date]] | None = None,
    authored: Iterable[tuple[int, date, int]] = (),
) -> list[Standing]:
    """Rank members from (user, local day, answered, correct) rows, plus the author bonus from
    (author, local day, posts using their questions) rows.

    ``rows`` may reach back ``STREAK_BONUS_CAP`` days before ``start`` so that a streak running
    into the period earns its bonus; only days from ``start`` on score. ``history`` (optional)
    gives more answered days for the current-streak column.
    """
    per_user: dict[int, dict[date, tuple[int, int]]] = {}
    for user, day, answered, correct in rows:
        per_user.setdefault(user, {})[day] = (answered, correct)
    bonus: dict[int, int] = {}
    for user, day, count in authored:
        if start is None or day >= start:
            bonus[user] = bonus.get(user, 0) + author_points(count)
    out = []
    for user in bonus.keys() - per_user.keys():  # an author who did not answer in the period
        out.append(Standing(user, bonus[user], 0, 0, streaks((history or {}).get(user, ()), today)[0]))
    for user, days in per_user.items():
        runs = run_lengths(days)
        points, answered_sum, correct_sum = bonus.get(user, 0), 0, 0
        for day, (answered, correct) in days.items():
            if start is not None and day < start:
                continue
            points += day_points(answered, correct, runs[day])
            answered_sum += answered
            correct_sum += correct
        if not answered_sum and not points:
            continue
        known = set(days) | set((history or {}).get(user, ()))
        current, _ = streaks(known, today)
        out.append(Standing(user, points, answered_sum, correct_sum, current))
    out.sort(key=lambda s: (-s.points, -s.correct, s.user_id))
    return out


def period_start(period: Period, now: datetime, zone: ZoneInfo, season_start: date | None = None) -> date | None:
    """The first local day of a period in the guild's zone (weeks start on Monday); None = all."""
    today = now.astimezone(zone).date()
    period = Period(period)
    if period is Period.TODAY:
        return today
    if period is Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period is Period.MONTH:
        return today.replace(day=1)
    if period is Period.SEASON:
        return season_start
    return None  # Period.ALL


@dataclass(frozen=True)
class TeamStanding:
    role_id: int
    name: str
    points: int
    active: int  # members who answered in the period
    members: int  # members holding the role

    @property
    def average(self) -> float:
        return self.points / self.active if self.active else 0.0


def team_standings(board: list[Standing], teams: dict[int, tuple[str, set[int]]]) -> list[TeamStanding]:
    """Teams ranked by average points per *active* member, so headcount alone never wins."""
    points = {s.user_id: s.points for s in board}
    out = []
    for role_id, (name, members) in teams.items():
        active = [u for u in members if u in points]
        out.append(TeamStanding(role_id, name, sum(points[u] for u in active), len(active), len(members)))
    out.sort(key=lambda s: (-s.average, -s.points, s.name))
    return out
