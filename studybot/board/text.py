"""Words and lines of the leaderboard, stats and recap that both front ends show."""

from __future__ import annotations

from collections.abc import Callable

from studybot.board.scoring import Standing, TeamStanding
from studybot.board.service import Board, Recap, Stats
from studybot.lookup import KnowledgeBase
from studybot.messages import t
from studybot.vocab import Period

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
Name = Callable[[int], str]


def period_label(board: Board) -> str:
    if board.period is Period.SEASON:
        return t("board.period.season", name=board.season.name if board.season else "-")
    return t(f"board.period.{board.period}")


def standing_line(rank: int, s: Standing, name: str, me: bool = False) -> str:
    line = t(
        "board.line",
        rank=MEDALS.get(rank, f"{rank}."),
        name=name,
        points=s.points,
        accuracy=round(100 * s.accuracy),
        streak=s.streak,
    )
    return f"**{line}** ◀" if me else line


def board_lines(board: Board, page: int, name: Name, caller: int | None) -> list[str]:
    if not board.standings:
        return [t("board.empty")]
    lines = [standing_line(rank, s, name(s.user_id), s.user_id == caller) for rank, s in board.page(page)]
    rank = board.rank_of(caller) if caller is not None else None
    shown = {s.user_id for _, s in board.page(page)}
    if rank is not None and caller is not None and caller not in shown:
        lines += ["…", standing_line(rank, board.standings[rank - 1], name(caller), True)]
    elif rank is None and caller is not None:
        lines += ["", t("board.you_none")]
    return lines


def team_lines(teams: list[TeamStanding]) -> list[str]:
    if not teams:
        return [t("board.no_teams")]
    return [
        t(
            "board.team_line",
            rank=MEDALS.get(n, f"{n}."),
            name=s.name,
            average=s.average,
            points=s.points,
            active=s.active,
            members=s.members,
        )
        for n, s in enumerate(teams, 1)
    ]


def stats_lines(stats: Stats, kb: KnowledgeBase) -> list[str]:
    rank = t("board.rank_of", rank=stats.rank, members=stats.members) if stats.rank else t("board.rank_none")
    lines = [
        t("stats.points", points=stats.points, rank=rank),
        t("stats.accuracy", accuracy=round(100 * stats.accuracy), correct=stats.correct, answered=stats.answered),
        t("stats.streak", streak=stats.streak, best=stats.best_streak),
        t("stats.reviews", due=stats.reviews_due),
    ]
    for key, item in (("stats.strongest", stats.strongest), ("stats.weakest", stats.weakest)):
        if item:
            topic, n, c = item
            lines.append(t(key, topic=kb.topic_title(topic), accuracy=round(100 * c / n), answered=n))
    if not stats.strongest:
        lines.append(t("stats.topics_none"))
    return lines


def recap_lines(recap: Recap, name: Name) -> list[str]:
    top_team = recap.top_team
    lines = [t("recap.top")]
    lines += [standing_line(n, s, name(s.user_id)) for n, s in enumerate(recap.top, 1)] or [t("board.empty")]
    if top_team is not None and top_team.active:
        lines += ["", t("recap.team", name=top_team.name, average=top_team.average, active=top_team.active)]
    if recap.missed:
        question, answered, correct = recap.missed
        lines += [
            "",
            t("recap.missed", accuracy=round(100 * correct / answered), answered=answered),
            f"> {question.prompt.strip()[:500]}",
            t("recap.answer", answer=question.correct_choice or " / ".join(question.answers or question.accepted[:3])),
            f"💡 {question.explanation.strip()[:700]}",
        ]
    return lines
