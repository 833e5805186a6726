"""The quiz cog through real discord.py objects: admin commands, the daily post, clicks, modals,
the reveal edit, practice and review. Every request body is validated against Discord's spec."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from studybot.quiz import Shown, present
from tests.discord_harness import CHANNEL_ID, GUILD_ID, _message

MANAGE_GUILD = discord.Permissions(manage_guild=True).value
EPHEMERAL = 64


def admin(h):
    return h.member(user_id=960000000000000001, name="admin", permissions=MANAGE_GUILD)


def callback_data(reqs) -> dict:
    found = [r for r in reqs if r.path.endswith("/callback")]
    assert found, [r.path for r in reqs]
    return found[-1].body.get("data") or {}


def last_text(reqs) -> str:
    """The text of the last reply (a callback or, after a defer, the followup)."""
    for r in reversed(reqs):
        body = r.body or {}
        data = body.get("data", body) if isinstance(body, dict) else {}
        if isinstance(data, dict) and data.get("content"):
            return data["content"]
    raise AssertionError([r.path for r in reqs])


def channel_option(channel_id=CHANNEL_ID):
    resolved = {
        "channels": {
            str(channel_id): {
                "id": str(channel_id),
                "type": 0,
                "name": "study",
                "permissions": "0",
                "guild_id": str(GUILD_ID),
            }
        }
    }
    return {"type": 7, "name": "channel", "value": str(channel_id)}, resolved


async def setup_quiz(h, time="09:00", zone="Asia/Seoul"):
    opt, resolved = channel_option()
    options = [opt, {"type": 3, "name": "time", "value": time}, {"type": 3, "name": "timezone", "value": zone}]
    return await h.dispatch(h.command("quiz-admin", options, subcommand="setup", member=admin(h), resolved=resolved))


def quiz_cog(h):
    return h.bot.get_cog("QuizScheduler")


async def test_setup_requires_manage_server_checked_in_code(harness):
    opt, resolved = channel_option()
    reqs = await harness.dispatch(harness.command("quiz-admin", [opt], subcommand="setup", resolved=resolved))
    assert "Manage Server" in callback_data(reqs)["content"]
    assert await harness.bot.app.storage.guilds.get(GUILD_ID) is None


async def test_setup_validates_time_and_zone(harness):
    reqs = await setup_quiz(harness, time="25:99")
    assert "알 수 없는 시각" in callback_data(reqs)["content"]
    reqs = await setup_quiz(harness, zone="Mars/Olympus")
    assert "알 수 없는 시간대" in callback_data(reqs)["content"]
    reqs = await setup_quiz(harness, time="21:30", zone="America/New_York")
    assert "21:30 (America/New_York)" in callback_data(reqs)["content"]
    settings = await harness.bot.app.storage.guilds.get(GUILD_ID)
    assert settings.post_time == "21:30" and settings.admin_id == 960000000000000001


async def test_timezone_autocomplete(harness):
    reqs = await harness.dispatch(
        harness.autocomplete("quiz-admin", "timezone", "seoul", subcommand="setup", member=admin(harness))
    )
    choices = callback_data(reqs)["choices"]
    assert choices[0]["value"] == "Asia/Seoul"


async def daily_post(h):
    """Configure, then let the scheduler tick at post time; returns the channel post request."""
    await setup_quiz(h)
    h.bot.app.quiz.clock.now = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)  # 09:00:05 in Seoul
    before = len(h.requests)
    await quiz_cog(h).tick()
    posts = [r for r in h.requests[before:] if r.method == "POST" and r.path == "/channels/{channel_id}/messages"]
    return posts


async def test_daily_post_exactly_once_with_buttons(harness):
    posts = await daily_post(harness)
    assert len(posts) == 1
    body = posts[0].body
    assert body["allowed_mentions"] == {"parse": []}
    assert body["embeds"][0]["title"].startswith("📝 오늘의 문제")
    ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert ids and all(i.startswith(("quiz:answer:", "quiz:short:")) for i in ids)
    await quiz_cog(harness).tick()  # a second tick (a reconnect, a retry) posts nothing
    assert len([r for r in harness.requests if r.path == "/channels/{channel_id}/messages" and r.method == "POST"]) == 1


def first_button(post_request) -> tuple[str, dict]:
    body = post_request.body
    button = body["components"][0]["components"][0]
    return button["custom_id"], _message(body)


async def test_click_records_once_and_reveal_edits_post(harness):
    [post] = await daily_post(harness)
    custom_id, message = first_button(post)
    if custom_id.startswith("quiz:short:"):
        reqs = await harness.dispatch(harness.click(custom_id, message=message))
        assert reqs[-1].body["type"] == 9  # the modal opens
        modal_id = reqs[-1].body["data"]["custom_id"]
        reqs = await harness.dispatch(harness.modal_submit(modal_id, {"answer": "sc1"}))
        assert "기록했어요" in callback_data(reqs)["content"]
    else:
        reqs = await harness.dispatch(harness.click(custom_id, message=message))
        data = callback_data(reqs)
        assert data["flags"] & EPHEMERAL and "기록했어요" in data["content"]
        reqs = await harness.dispatch(harness.click(custom_id, message=message))
        assert "이미" in callback_data(reqs)["content"]
    # the next day's post time closes it: the post is edited with the answer and explanation
    harness.bot.app.quiz.clock.now = datetime(2026, 11, 27, 0, 0, 5, tzinfo=UTC)
    before = len(harness.requests)
    await quiz_cog(harness).tick()
    edits = [r for r in harness.requests[before:] if r.method == "PATCH"]
    assert len(edits) == 1
    embed = edits[0].body["embeds"][0]
    names = [f["name"] for f in embed["fields"]]
    assert names == ["정답", "💡 해설", "결과"]
    assert "1명 참여" in embed["fields"][2]["value"]
    source = [c["custom_id"] for row in edits[0].body["components"] for c in row["components"]]
    assert source[-1].startswith("rep:new:q:")  # "틀린 내용 신고"
    source = source[:-1]
    assert source and all(s.startswith("ask:section:") for s in source)
    # the source button shows the section the same way /ask does
    reqs = await harness.dispatch(harness.click(source[0]))
    assert callback_data(reqs)["embeds"][0]["fields"][0]["name"] == "위치"
    # answers after close are refused politely
    if custom_id.startswith("quiz:answer:"):
        other = harness.member(user_id=940000000000000077, name="late")
        reqs = await harness.dispatch(harness.click(custom_id, message=message, member=other))
        assert "마감" in callback_data(reqs)["content"]


async def test_immediate_mode_gives_feedback(harness):
    await setup_quiz(harness)
    reqs = await harness.dispatch(
        harness.command(
            "quiz-admin",
            [{"type": 3, "name": "mode", "value": "immediate"}],
            subcommand="reveal",
            member=admin(harness),
        )
    )
    assert "immediate" in callback_data(reqs)["content"]
    [post] = await daily_post(harness)
    custom_id, message = first_button(post)
    if custom_id.startswith("quiz:answer:"):
        reqs = await harness.dispatch(harness.click(custom_id, message=message))
        content = callback_data(reqs)["content"]
        assert ("정답이에요" in content or "아쉬워요" in content) and "해설" in content


async def test_channel_gone_tells_admin_and_keeps_schedule(harness):
    await setup_quiz(harness)
    harness.bot.app.quiz.clock.now = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)
    response = type("R", (), {"status": 404, "reason": "Not Found"})()
    harness.http.fail_next["/channels/{channel_id}/messages"] = discord.NotFound(
        response, {"code": 10003, "message": "Unknown Channel"}
    )
    await quiz_cog(harness).tick()
    dms = [r for r in harness.requests if r.path == "/users/@me/channels"]
    assert dms, "the admin gets a DM"
    notes = [
        r
        for r in harness.requests
        if r.method == "POST" and r.path == "/channels/{channel_id}/messages" and "/channels/980" in r.url
    ]
    assert notes and "올리지 못했어요" in notes[-1].body["content"]
    settings = await harness.bot.app.storage.guilds.get(GUILD_ID)
    assert not settings.paused and settings.last_error
    reqs = await harness.dispatch(harness.command("quiz", subcommand="settings", member=admin(harness)))
    assert "최근 오류" in callback_data(reqs)["content"]


async def test_pause_resume_now_settings(harness):
    await setup_quiz(harness)
    for sub, expect in (("pause", "일시 정지"), ("resume", "다시 시작")):
        reqs = await harness.dispatch(harness.command("quiz-admin", subcommand=sub, member=admin(harness)))
        assert expect in callback_data(reqs)["content"]
    reqs = await harness.dispatch(harness.command("quiz-admin", subcommand="now", member=admin(harness)))
    posts = [r for r in reqs if r.method == "POST" and r.path == "/channels/{channel_id}/messages"]
    assert len(posts) == 1
    assert "올렸어요" in last_text(reqs)
    reqs = await harness.dispatch(
        harness.command(
            "quiz-admin", [{"type": 4, "name": "hour", "value": 21}], subcommand="close", member=admin(harness)
        )
    )
    assert "21:00" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(harness.command("quiz", subcommand="settings"))
    content = callback_data(reqs)["content"]
    assert "09:00 (Asia/Seoul)" in content and "21:00" in content


async def test_commands_before_setup_and_outside_guild(harness):
    reqs = await harness.dispatch(harness.command("quiz-admin", subcommand="now", member=admin(harness)))
    assert "설정되지 않았어요" in callback_data(reqs)["content"]


def components(data: dict) -> list[dict]:
    return [c for row in data.get("components", []) for c in row["components"]]


async def served(h, data: dict) -> Shown:
    """The practice/review question a reply shows, in its order, from the token its ids carry."""
    token = components(data)[0]["custom_id"].split(":")[2]
    row = await h.bot.app.storage.study.get(token)
    assert row is not None
    return present(h.bot.app.kb.questions[row.question_id], row.choice_order, token=token)


def wrong_positions(shown: Shown) -> list[int]:
    """Shown positions that make a wrong answer (for a multi question: the right count, one wrong)."""
    correct = set(shown.question.correct_choices)
    order = sorted(range(len(shown.choices)), key=lambda i: shown.choices[i] in correct)
    return sorted(order[: shown.needed]) if shown.is_multi else order[:1]


async def answer_study(h, data: dict, *, right: bool, member=None) -> list:
    """Answer the practice/review question of a reply (right or wrong) as a member would."""
    shown = await served(h, data)
    message = _message(data)
    if shown.is_short:
        reqs = await h.dispatch(h.click(f"quiz:st:{shown.token}:w", message=message, member=member))
        modal_id = reqs[-1].body["data"]["custom_id"]
        answer = shown.question.accepted[0] if right else "전혀 다른 답"
        return await h.dispatch(h.modal_submit(modal_id, {"answer": answer}, member=member))
    if right:
        positions = [i for i, c in enumerate(shown.choices) if c in shown.question.correct_choices]
    else:
        positions = wrong_positions(shown)
    if shown.is_multi:
        values = [str(i) for i in positions]
        return await h.dispatch(h.select(f"quiz:ss:{shown.token}", values, message=message, member=member))
    return await h.dispatch(h.click(f"quiz:st:{shown.token}:{positions[0]}", message=message, member=member))


async def test_practice_and_review_flow(harness, kb):
    reqs = await harness.dispatch(
        harness.command("quiz", [{"type": 3, "name": "topic", "value": "ebs"}], subcommand="practice")
    )
    data = callback_data(reqs)
    assert data["flags"] & EPHEMERAL and data["embeds"][0]["title"].startswith("🏋️ 연습 문제")
    reqs = await answer_study(harness, data, right=False)
    assert "아쉬워요" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(harness.command("quiz", subcommand="review"))
    assert "다음 복습" in callback_data(reqs)["content"]
    harness.bot.app.quiz.clock.advance(days=2)
    reqs = await harness.dispatch(harness.command("quiz", subcommand="review"))
    data = callback_data(reqs)
    assert data["embeds"][0]["title"].startswith("🔁 복습 문제")
    reqs = await answer_study(harness, data, right=True)
    assert "정답이에요" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.command("quiz", [{"type": 3, "name": "topic", "value": "s3"}], subcommand="practice")
    )
    assert "찾을 수 없어요" in callback_data(reqs)["content"]


async def test_command_tree_registration_is_valid(harness):
    await harness.bot.tree.sync()
    put = [r for r in harness.requests if r.method == "PUT"][-1]
    names = {c["name"] for c in put.body}
    assert {"ask", "quiz", "quiz-admin", "leaderboard", "board-admin", "stats", "sync"} <= names
