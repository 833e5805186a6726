"""Scoring rules (pure) and the board service over a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from studybot.board import BoardService, scoring
from studybot.quiz import QuizService
from tests.answering import answer_kwargs

D = date(2026, 11, 23)  # a Monday


def test_day_points_and_capped_streak_bonus():
    assert scoring.day_points(1, 1, 1) == 10
    assert scoring.day_points(1, 0, 1) == 2
    assert scoring.day_points(1, 1, 2) == 11
    assert scoring.day_points(1, 1, 6) == 15
    assert scoring.day_points(1, 1, 60) == 15  # capped
    assert scoring.day_points(0, 0, 3) == 0


def test_points_are_whole_numbers():
    for answered, correct, streak in [(1, 1, 1), (1, 0, 3), (3, 2, 9), (0, 0, 4)]:
        assert type(scoring.day_points(answered, correct, streak)) is int, (answered, correct, streak)


def test_streaks_current_and_best():
    days = [D, D + timedelta(days=1), D + timedelta(days=2), D + timedelta(days=5)]
    assert scoring.streaks(days, D + timedelta(days=5)) == (1, 3)
    assert scoring.streaks(days, D + timedelta(days=6)) == (1, 3)  # today not answered yet: still alive
    assert scoring.streaks(days, D + timedelta(days=7)) == (0, 3)
    assert scoring.streaks([], D) == (0, 0)


def test_standings_count_only_the_period_but_streaks_run_into_it():
    rows = [(1, D - timedelta(days=2), 1, 1), (1, D - timedelta(days=1), 1, 1), (1, D, 1, 1), (2, D, 2, 1)]
    board = scoring.standings(rows, D, D)
    assert {s.user_id for s in board} == {1, 2}
    one = next(s for s in board if s.user_id == 1)
    assert one.points == 10 + 2  # day 3 of a streak: +2, though days 1-2 are before the period
    two = next(s for s in board if s.user_id == 2)
    assert two.points == 10 + 2 and two.accuracy == 0.5


def test_a_member_with_nothing_in_the_period_does_not_hide_the_others():
    rows = [(1, D - timedelta(days=1), 1, 1), (2, D, 1, 1), (3, D, 1, 0)]  # 1 only answered before the period
    assert [s.user_id for s in scoring.standings(rows, D, D)] == [2, 3]


def test_author_bonus_is_capped_per_day():
    assert [scoring.author_points(n) for n in (-1, 0, 1, 2, 7)] == [0, 0, 5, 5, 5]


def test_author_bonus_joins_the_standings_from_the_period_start():
    rows = [(1, D, 1, 1), (2, D, 1, 0)]
    authored = [(2, D, 3), (2, D - timedelta(days=1), 1), (9, D, 1), (8, D - timedelta(days=1), 2)]
    board = {
        s.user_id: s for s in scoring.standings(rows, D, D, history={9: [D - timedelta(days=1), D]}, authored=authored)
    }
    assert board[1].points == 10
    assert board[2].points == 2 + 5  # participation and one capped day of bonus; the day before is out
    assert (board[9].points, board[9].answered, board[9].correct, board[9].streak) == (5, 0, 0, 2)
    assert 8 not in board  # a bonus only from before the period
    everything = {s.user_id: s.points for s in scoring.standings(rows, None, D, authored=authored)}
    assert everything[2] == 2 + 5 + 5 and everything[8] == 5


def test_an_author_keeps_their_current_streak_and_a_bonus_beside_older_answers():
    old = D - timedelta(days=9)
    history = {9: [old - timedelta(days=2), old - timedelta(days=1), old, D]}  # best 3, current 1
    board = {s.user_id: s for s in scoring.standings([], D, D, history, authored=[(9, D, 1)])}
    assert (board[9].points, board[9].streak) == (5, 1)
    # a member whose answers are all before the period still shows with their bonus in it
    rows = [(4, D - timedelta(days=1), 1, 1)]
    board = {s.user_id: s for s in scoring.standings(rows, D, D, authored=[(4, D, 1)])}
    assert (board[4].points, board[4].answered) == (5, 0)


def test_history_lengthens_the_current_streak_but_not_the_points():
    rows = [(1, D, 1, 1), (2, D, 1, 1)]
    history = {1: [D - timedelta(days=2), D - timedelta(days=1)], 3: [D - timedelta(days=1)]}
    board = {s.user_id: s for s in scoring.standings(rows, D, D, history)}
    assert (board[1].streak, board[2].streak) == (3, 1)
    assert board[1].points == board[2].points == 10


def test_equal_points_rank_more_correct_answers_first_then_the_lower_id():
    rows = [(1, D, 5, 0), (3, D, 1, 1), (2, D, 1, 1)]  # ten points each; 1 has no correct answer
    assert [s.user_id for s in scoring.standings(rows, D, D)] == [2, 3, 1]


def test_season_period_starts_on_the_season_start_and_all_never_starts():
    now = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    seoul = ZoneInfo("Asia/Seoul")
    season = date(2026, 11, 2)
    assert scoring.period_start("season", now, seoul, season) == season
    assert scoring.period_start("all", now, seoul, season) is None


def test_period_starts_in_guild_zone():
    seoul = ZoneInfo("Asia/Seoul")
    # Sunday 23:30 UTC is already Monday 08:30 in Seoul: the week starts that Monday
    now = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert scoring.period_start("week", now, seoul) == date(2026, 11, 30)
    assert scoring.period_start("week", now, ZoneInfo("America/Los_Angeles")) == date(2026, 11, 23)
    assert scoring.period_start("month", now, seoul) == date(2026, 11, 30).replace(day=1)
    assert scoring.period_start("today", now, seoul) == date(2026, 11, 30)
    assert scoring.period_start("all", now, seoul) is None
    # across a DST change the week still starts on local Monday
    ny = ZoneInfo("America/New_York")
    assert scoring.period_start("week", datetime(2026, 3, 9, 4, 30, tzinfo=UTC), ny) == date(2026, 3, 9)


def test_team_average_beats_headcount():
    board = [scoring.Standing(u, p, 1, 1, 1) for u, p in [(1, 30), (2, 30), (3, 10), (4, 10), (5, 10), (6, 10)]]
    teams = {100: ("small", {1, 2}), 200: ("big", {3, 4, 5, 6, 7, 8})}
    ranked = scoring.team_standings(board, teams)
    assert [t.name for t in ranked] == ["small", "big"]
    big = ranked[1]
    assert (big.points, big.active, big.members, big.average) == (40, 4, 6, 10.0)


def test_team_ties_on_average_go_to_more_points_then_the_name_and_keep_their_role():
    board = [scoring.Standing(u, 10, 1, 1, 1) for u in (1, 2, 3, 4)]
    teams = {7: ("c-two", {1, 2}), 8: ("b-one", {3}), 9: ("a-one", {4}), 10: ("idle", {5})}
    ranked = scoring.team_standings(board, teams)
    assert [(t.role_id, t.name) for t in ranked] == [(7, "c-two"), (9, "a-one"), (8, "b-one"), (10, "idle")]


# -- the service over a real store ------------------------------------------------------------


async def play_day(quiz: QuizService, clock, day: date, answers: dict[int, bool]) -> None:
    """Post the day's question at 09:00 Seoul and let members answer right or wrong."""
    clock.now = datetime.combine(day, datetime.min.time(), tzinfo=UTC)  # 09:00 in Seoul
    for due in await quiz.due():
        post, shown = await quiz.claim(due.settings)
        await quiz.posted(post, 1, due.settings)
        for user, right in answers.items():
            await quiz.answer(post.id, user, guild_id=post.guild_id, **answer_kwargs(shown, right))


async def test_board_periods_seasons_departed_export(kb, store, clock):
    quiz = QuizService(kb, store, clock)
    board = BoardService(kb, store, clock)
    await quiz.setup(1, 2, "09:00", "Asia/Seoul", 3)
    for offset in range(7):  # Mon..Sun of one week
        day = D + timedelta(days=offset)
        answers = {10: True, 11: offset % 2 == 0} | ({12: True} if offset < 2 else {})  # 12 stops after Tuesday
        await play_day(quiz, clock, day, answers)
    clock.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # Sunday 21:00 Seoul
    week = await board.board(1, "week")
    assert [s.user_id for s in week.standings] == [10, 11, 12]
    top = week.standings[0]
    assert top.answered == 7 and top.correct == 7 and top.streak == 7
    assert top.points == 70 + (0 + 1 + 2 + 3 + 4 + 5 + 5)
    today = await board.board(1, "today")
    assert [s.user_id for s in today.standings] == [10, 11]  # 12 did not answer today
    # a new season starts on Monday; last week's answers are not in it
    clock.now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 10:00 Seoul
    assert await board.start_season(1, "12월 시즌")
    assert not await board.start_season(1, "12월 시즌")  # names are unique
    assert (await board.board(1, "season")).standings == []
    assert (await board.board(1, "season", "12월 시즌")).season.name == "12월 시즌"
    # a member who left drops off the board but keeps the history
    await store.community.set_departed(1, 11, True, clock.now)
    assert [s.user_id for s in (await board.board(1, "all")).standings] == [10, 12]
    await store.community.set_departed(1, 11, False, clock.now)
    assert len((await board.board(1, "all")).standings) == 3
    csv_text = await board.export_csv(1, {10: "하나"})
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("rank,user_id,name,points") and lines[1].startswith("1,10,하나,")
    stats = await board.stats(1, 10)
    assert stats.rank == 1 and stats.best_streak == 7 and stats.answered == 7
    assert sum(c for _, c in stats.daily_activity) == 7 and len(stats.daily_activity) == 30
    from studybot.board.chart import stats_png

    assert stats_png(stats)[:8] == b"\x89PNG\r\n\x1a\n"


async def test_weekly_recap_exactly_once(kb, store, clock):
    quiz = QuizService(kb, store, clock)
    board = BoardService(kb, store, clock)
    await quiz.setup(1, 2, "09:00", "Asia/Seoul", 3)
    for offset in range(3):
        await play_day(quiz, clock, D + timedelta(days=offset), {10: True, 11: False})
    clock.now = datetime(2026, 11, 29, 14, 59, tzinfo=UTC)  # Sunday 23:59 Seoul: the week has not ended
    assert await board.recaps_due(lambda g: {}) == []
    clock.now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # Monday 00:00 Seoul
    recaps = await board.recaps_due(lambda g: {})
    assert len(recaps) == 1 and recaps[0].week_start == D
    assert recaps[0].top[0].user_id == 10 and recaps[0].missed is not None
    assert await board.recaps_due(lambda g: {}) == []  # claimed: never twice


async def test_reset_clears_scores_only_when_asked(kb, store, clock):
    quiz = QuizService(kb, store, clock)
    board = BoardService(kb, store, clock)
    await quiz.setup(1, 2, "09:00", "Asia/Seoul", 3)
    await play_day(quiz, clock, D, {10: True})
    assert (await board.board(1, "all")).standings
    assert await board.reset(1) == 1
    assert (await board.board(1, "all")).standings == []


async def test_long_streak_beyond_the_read_window_is_exact_for_shown_members(kb, store, clock):
    from studybot.board.service import STREAK_WINDOW

    quiz = QuizService(kb, store, clock)
    board = BoardService(kb, store, clock)
    await quiz.setup(1, 2, "09:00", "Asia/Seoul", 3)
    days = STREAK_WINDOW + 5
    first = D - timedelta(days=days - 1)
    for offset in range(days):
        await play_day(quiz, clock, first + timedelta(days=offset), {10: True})
    await quiz.drain()
    week = await board.board(1, "week", caller=10)
    assert week.standings[0].streak == days
    assert (await board.stats(1, 10)).best_streak == days


async def test_a_season_started_and_ended_on_the_same_day_shows_that_days_answers(kb, store, clock):
    quiz = QuizService(kb, store, clock)
    board = BoardService(kb, store, clock)
    await quiz.setup(1, 2, "09:00", "Asia/Seoul", 3)
    clock.now = datetime(2026, 11, 30, 0, 0, 5, tzinfo=UTC)  # Monday 09:00 Seoul
    assert await board.start_season(1, "짧은 시즌")
    await play_day(quiz, clock, date(2026, 11, 30), {10: True})
    assert await board.start_season(1, "다음 시즌")  # the same day: the first one ends today
    short = await board.board(1, "season", "짧은 시즌")
    assert [s.user_id for s in short.standings] == [10]
    assert short.season is not None and short.season.end_date == date(2026, 11, 30)
    import pytest

    from studybot.guild import SettingError

    with pytest.raises(SettingError, match="50자"):  # long names never reach a custom id
        await board.start_season(1, "x" * 51)
