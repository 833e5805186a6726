"""The exam date and reminders through real discord.py objects: /exam date set|clear, the D-day in
/readiness, /quiz remind, the reminder DM with its review button (pressed in the DM), a member
who blocked DMs, and /quiz review and practice in DMs (user install). Bodies checked against the spec."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import discord

from studybot.quiz import after_answer
from studybot.vocab import StudyKind
from tests.discord_harness import DM_CHANNEL_ID, GUILD_ID
from tests.test_cog_quiz import callback_data

USER = 940000000000000001


def text_option(name: str, value) -> dict:
    return {"type": 3 if isinstance(value, str) else 4, "name": name, "value": value}


async def date_set(h, value: str):
    payload = h.command("exam", [{"type": 1, "name": "set", "options": [text_option("date", value)]}])
    payload["data"]["options"] = [{"type": 2, "name": "date", "options": payload["data"]["options"]}]
    return callback_data(await h.dispatch(payload))


async def test_exam_date_set_clear_and_the_countdown(harness, clock):
    data = await date_set(harness, "2026-12-20")
    assert "2026-12-20" in data["content"] and "D-" in data["content"]
    assert (await date_set(harness, "2020-01-01"))["content"].startswith("2020-01-01")  # in the past
    assert "알 수 없는 날짜" in (await date_set(harness, "언젠가"))["content"]
    reqs = await harness.dispatch(harness.command("readiness"))
    followup = [r for r in reqs if r.path.startswith("/webhooks/") and r.method == "POST"][-1]
    assert "D-24" in data["content"]  # 2026-11-26 in Seoul
    assert "**D-24** (2026-12-20)" in followup.body["embeds"][0]["description"]
    payload = harness.command("exam", [{"type": 2, "name": "date", "options": [{"type": 1, "name": "clear"}]}])
    assert "지웠어요" in callback_data(await harness.dispatch(payload))["content"]
    assert "없어요" in callback_data(await harness.dispatch(payload))["content"]


async def seed_due_review(h, clock):
    kb = h.bot.app.kb
    q = next(iter(kb.questions.values()))
    await h.bot.app.storage.reviews.study(
        GUILD_ID, USER, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer
    )
    return q


def remind(h, mode: str, hour: int | None = None, **kw):
    options = [{"type": 3, "name": "mode", "value": mode}]
    if hour is not None:
        options.append({"type": 4, "name": "hour", "value": hour})
    return h.command("quiz", options, subcommand="remind", **kw)


async def test_reminder_dm_once_a_day_with_a_review_button_that_works_in_the_dm(make_harness, clock):
    h = await make_harness()
    q = await seed_due_review(h, clock)
    data = callback_data(await h.dispatch(remind(h, "on", 21)))
    assert "21:00 (Asia/Seoul)" in data["content"]
    clock.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # 21:00 in Seoul the next day
    cog = h.bot.get_cog("ReminderCog")
    before = len(h.requests)
    await cog.tick()
    dms = [r for r in h.requests[before:] if r.method == "POST" and r.path == "/channels/{channel_id}/messages"]
    assert len(dms) == 1 and str(DM_CHANNEL_ID) in dms[0].url
    assert "복습할 문제가 1개" in dms[0].body["content"]
    button = dms[0].body["components"][0]["components"][0]
    assert button["custom_id"] == "quiz:remind:review"
    # a restart within the hour sends nothing more
    again = await make_harness(h.http.state)
    before = len(again.requests)
    await again.bot.get_cog("ReminderCog").tick()
    await cog.tick()
    assert not [r for r in again.requests[before:] if r.path == "/channels/{channel_id}/messages"]
    # the button, pressed in the DM (no guild), serves the review of the member's server
    message = dms[0].response
    reqs = await again.dispatch(
        again.click(button["custom_id"], message=message, guild_id=None, channel_id=DM_CHANNEL_ID)
    )
    data = callback_data(reqs)
    assert data["embeds"][0]["title"].startswith("🔁 복습 문제")
    assert q.prompt[:50] in data["embeds"][0]["description"]  # the due card's question ...
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    assert any(i.startswith(("quiz:st:", "quiz:ss:")) for i in ids)  # ... answered under a token
    served = await again.bot.app.storage.study.get(next(i for i in ids if i.startswith("quiz:s")).split(":")[2])
    assert served is not None and served.question_id == q.id and served.guild_id == GUILD_ID


class Response:
    status, reason = 403, "Forbidden"


async def test_a_member_who_blocked_dms_is_switched_off_quietly(harness, clock):
    await seed_due_review(harness, clock)
    await harness.dispatch(remind(harness, "on", 10))
    clock.now = datetime(2026, 11, 27, 1, 5, tzinfo=UTC)  # 10:05 in Seoul
    harness.http.fail_next["/channels/{channel_id}/messages"] = discord.Forbidden(
        Response(), {"code": 50007, "message": "Cannot send messages to this user"}
    )
    await harness.bot.get_cog("ReminderCog").tick()
    plan = await harness.bot.app.plans.plan(USER)
    assert plan.remind_hour is None
    data = callback_data(await harness.dispatch(remind(harness, "off")))
    assert "이미 꺼져" in data["content"]


async def test_no_reminder_without_opting_in(harness, clock):
    await seed_due_review(harness, clock)
    for hour in range(24):
        clock.now = datetime(2026, 11, 27, 0, 0, tzinfo=UTC) + timedelta(hours=hour)
        await harness.bot.get_cog("ReminderCog").tick()
    assert not [r for r in harness.requests if r.path == "/channels/{channel_id}/messages"]


async def test_quiz_review_and_practice_in_dms(harness, clock):
    q = await seed_due_review(harness, clock)
    await harness.dispatch(remind(harness, "on"))  # sets the member's home server
    clock.advance(days=1)
    reqs = await harness.dispatch(harness.command("quiz", subcommand="review", guild_id=None, channel_id=DM_CHANNEL_ID))
    data = callback_data(reqs)
    assert data["embeds"][0]["title"].startswith("🔁 복습 문제")
    ids = [
        c["custom_id"] for row in data["components"] for c in row["components"] if c["custom_id"].startswith("quiz:s")
    ]
    served = await harness.bot.app.storage.study.get(ids[0].split(":")[2])
    assert served is not None and (served.question_id, served.guild_id) == (q.id, GUILD_ID)
    # answered in the DM too: the token was served in the member's home server
    reqs = await harness.dispatch(harness.click(ids[0], guild_id=None, channel_id=DM_CHANNEL_ID))
    feedback = json.dumps(callback_data(reqs), ensure_ascii=False)
    assert "정답" in feedback or "아쉬워요" in feedback
    reqs = await harness.dispatch(
        harness.command("quiz", subcommand="practice", guild_id=None, channel_id=DM_CHANNEL_ID)
    )
    assert callback_data(reqs).get("embeds", [{}])[0].get("title", "").startswith("🏋️ 연습 문제"), callback_data(reqs)
    reqs = await harness.dispatch(
        harness.command("quiz", subcommand="settings", guild_id=None, channel_id=DM_CHANNEL_ID)
    )
    assert "서버 안에서만" in callback_data(reqs)["content"]


async def test_quiz_is_registered_for_user_installs(harness):
    await harness.bot.tree.sync()
    [put] = [r for r in harness.requests if r.method == "PUT" and r.path.endswith("/commands")]
    quiz = next(c for c in put.body if c["name"] == "quiz")
    assert sorted(quiz["integration_types"]) == [0, 1] and sorted(quiz["contexts"]) == [0, 1, 2]
    assert "remind" in {o["name"] for o in quiz["options"]}
    exam = next(c for c in put.body if c["name"] == "exam")
    assert {o["name"] for o in exam["options"]} == {"start", "finish", "history", "date"}
