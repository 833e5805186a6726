"""Leaderboard, seasons, teams, stats, export, reset and the weekly recap through real discord.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from tests.answering import answer_kwargs
from tests.discord_harness import GUILD_ID
from tests.test_cog_quiz import admin, callback_data, setup_quiz

MONDAY = date(2026, 11, 23)
TEAM_A, TEAM_B = 970000000000000001, 970000000000000002
USERS = [940000000000000100 + n for n in range(14)]


def role(role_id: int, name: str) -> dict:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": "0",
        "position": 1,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def community(h):
    return h.bot.get_cog("CommunityCog")


async def play_week(h, days: int = 5) -> None:
    """Members answer the daily question: user n gets it right when n % 3 != 0."""
    members = [h.member(user_id=u, name=f"멤버{n}", roles=[TEAM_A if n < 4 else TEAM_B]) for n, u in enumerate(USERS)]
    h.add_guild(roles=[role(TEAM_A, "A팀"), role(TEAM_B, "B팀")], members=members)
    await setup_quiz(h)
    quiz = h.bot.app.quiz
    for offset in range(days):
        quiz.clock.now = datetime.combine(MONDAY + timedelta(days=offset), datetime.min.time(), tzinfo=UTC)
        for due in await quiz.due():
            post, shown = await quiz.claim(due.settings)
            await quiz.posted(post, 1, due.settings)
            for n, user in enumerate(USERS[: 12 if offset else 14]):
                right = n % 3 != 0
                await quiz.answer(post.id, user, guild_id=post.guild_id, **answer_kwargs(shown, right))
    quiz.clock.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday evening in Seoul


async def test_week_board_with_caller_rank_and_paging(harness):
    await play_week(harness)
    last = harness.member(user_id=USERS[13], name="멤버13")
    reqs = await harness.dispatch(harness.command("leaderboard", subcommand="show", member=last))
    data = callback_data(reqs)
    embed = data["embeds"][0]
    assert embed["title"] == "🏆 리더보드 · 이번 주"
    lines = embed["description"].splitlines()
    assert lines[0].startswith("🥇") and "정답률" in lines[0] and "🔥" in lines[0]
    assert len([line for line in lines if "점 ·" in line]) == 11  # top 10 and the caller
    assert lines[-1].endswith("◀") and "멤버13" in lines[-1]
    assert data["allowed_mentions"] == {"parse": []}
    buttons = [c for row in data["components"] for c in row["components"]]
    nxt = next(b for b in buttons if b["label"] == "▶")
    reqs = await harness.dispatch(harness.click(nxt["custom_id"], member=last))
    body = reqs[-1].body
    assert body["type"] == 7  # the board message is updated in place
    assert body["data"]["embeds"][0]["footer"]["text"] == "2/2 쪽"


async def test_periods_and_seasons(harness):
    await play_week(harness)
    reqs = await harness.dispatch(
        harness.command("leaderboard", [{"type": 3, "name": "period", "value": "today"}], subcommand="show")
    )
    assert "오늘" in callback_data(reqs)["embeds"][0]["title"]
    reqs = await harness.dispatch(
        harness.command("leaderboard", [{"type": 3, "name": "period", "value": "season"}], subcommand="show")
    )
    assert "시즌" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command(
            "board-admin", [{"type": 3, "name": "name", "value": "1기"}], subcommand="season", member=admin(harness)
        )
    )
    assert "1기" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command(
            "board-admin", [{"type": 3, "name": "name", "value": "1기"}], subcommand="season", member=admin(harness)
        )
    )
    assert "이미" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command("board-admin", [{"type": 3, "name": "name", "value": "2기"}], subcommand="season")
    )
    assert "Manage Server" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command("leaderboard", [{"type": 3, "name": "season", "value": "1기"}], subcommand="show")
    )
    assert callback_data(reqs)["embeds"][0]["title"] == "🏆 리더보드 · 시즌: 1기"
    reqs = await harness.dispatch(harness.autocomplete("leaderboard", "season", "1", subcommand="show"))
    assert [c["value"] for c in callback_data(reqs)["choices"]] == ["1기"]
    reqs = await harness.dispatch(harness.command("leaderboard", subcommand="seasons"))
    assert "진행 중" in callback_data(reqs)["content"]


async def test_teams_rank_by_average(harness):
    await play_week(harness)
    for role_id in (TEAM_A, TEAM_B):
        resolved = {"roles": {str(role_id): role(role_id, "A팀" if role_id == TEAM_A else "B팀")}}
        reqs = await harness.dispatch(
            harness.command(
                "board-admin",
                [{"type": 8, "name": "role", "value": str(role_id)}],
                subcommand="team-add",
                member=admin(harness),
                resolved=resolved,
            )
        )
        assert "등록했어요" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(harness.command("leaderboard", subcommand="teams"))
    assert "4명" in callback_data(reqs)["content"] and "10명" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command("leaderboard", [{"type": 3, "name": "scope", "value": "teams"}], subcommand="show")
    )
    lines = callback_data(reqs)["embeds"][0]["description"].splitlines()
    assert len(lines) == 2 and "평균" in lines[0] and "참여" in lines[0]
    assert "4/4명" in "".join(lines) and "10/10명" in "".join(lines)


async def test_stats_with_chart_attachment(harness):
    await play_week(harness)
    reqs = await harness.dispatch(harness.command("stats", member=harness.member(user_id=USERS[1], name="멤버1")))
    followup = [r for r in reqs if r.path.startswith("/webhooks/") and r.method == "POST"][-1]
    embed = followup.body["embeds"][0]
    assert embed["image"]["url"] == "attachment://stats.png"
    assert "정답률: **100%**" in embed["description"] and "연속 학습" in embed["description"]
    assert followup.files and followup.files[0].filename == "stats.png"


async def test_export_and_reset_with_confirmation(harness):
    await play_week(harness)
    reqs = await harness.dispatch(harness.command("board-admin", subcommand="export", member=admin(harness)))
    request = [r for r in reqs if r.path.endswith("/callback")][-1]
    assert request.files and request.files[0].filename == "leaderboard.csv"
    assert "14명" in request.body["data"]["content"]
    reqs = await harness.dispatch(harness.command("board-admin", subcommand="reset", member=admin(harness)))
    data = callback_data(reqs)
    confirm = data["components"][0]["components"][0]["custom_id"]
    msg = reqs[-1].response["resource"]["message"]  # the confirmation message Discord created
    other = harness.member(user_id=USERS[0], name="멤버0")
    await harness.dispatch(harness.click(confirm, message=msg, member=other))
    assert (await harness.bot.app.board.board(GUILD_ID, "all")).standings  # only the admin who asked
    reqs = await harness.dispatch(harness.click(confirm, message=msg, member=admin(harness)))
    assert reqs and reqs[-1].body["type"] == 7 and "초기화했어요" in reqs[-1].body["data"]["content"]
    assert (await harness.bot.app.board.board(GUILD_ID, "all")).standings == []


async def test_weekly_recap_posted_once(harness):
    await play_week(harness)
    harness.bot.app.quiz.clock.now = datetime(2026, 11, 29, 15, 0, 30, tzinfo=UTC)  # Monday 00:00 in Seoul
    before = len(harness.requests)
    await community(harness).recaps()
    await community(harness).recaps()
    posts = [r for r in harness.requests[before:] if r.method == "POST" and r.path == "/channels/{channel_id}/messages"]
    recaps = [r for r in posts if r.body["embeds"][0]["title"].startswith("📅")]
    assert len(recaps) == 1
    text = recaps[0].body["embeds"][0]["description"]
    assert "상위 멤버" in text and "가장 많이 틀린 문제" in text


async def test_member_who_left_drops_off_but_keeps_history(harness):
    await play_week(harness)
    gone = USERS[1]
    harness.bot._connection.parse_guild_member_remove(
        {"guild_id": str(GUILD_ID), "user": {"id": str(gone), "username": "x", "discriminator": "0", "avatar": None}}
    )
    await asyncio.sleep(0.05)
    board = await harness.bot.app.board.board(GUILD_ID, "week")
    assert gone not in {s.user_id for s in board.standings}
    assert (await harness.bot.app.storage.community.answered_days(GUILD_ID, [gone]))[gone]
    member = harness.member(user_id=gone, name="back")
    harness.bot._connection.parse_guild_member_add({**member, "guild_id": str(GUILD_ID)})
    await asyncio.sleep(0.05)
    board = await harness.bot.app.board.board(GUILD_ID, "week")
    assert gone in {s.user_id for s in board.standings}
