"""The leaderboard: scoring, periods, seasons, teams, stats, chart, recap, export and reset."""

from studybot.board.scoring import PERIODS, Standing, TeamStanding
from studybot.board.service import Board, BoardService, Recap, Stats, spreadsheet_safe

__all__ = ["PERIODS", "Board", "BoardService", "Recap", "Standing", "Stats", "TeamStanding", "spreadsheet_safe"]
