"""Fault injection on the Discord side of the bot: a crash at each point of the daily post, a
question that leaves the knowledge base, a failing guild among healthy ones, failing components,
modals after a restart and forged buttons. Every body is still checked against Discord's spec."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studybot.lookup import AskService, KnowledgeBase
from studybot.vocab import PostStatus
from tests.discord_harness import CHANNEL_ID, GUILD_ID, Crash, _message
from tests.test_cog_quiz import admin, callback_data, setup_quiz

POST_TIME = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)  # 09:00:05 in Seoul
NEXT_DAY = datetime(2026, 11, 27, 0, 0, 5, tzinfo=UTC)
MESSAGES = "/channels/{channel_id}/messages"


def scheduler(h):
    return h.bot.get_cog("QuizScheduler")


def channel_posts(h) -> list[dict]:
    return [m for m in h.http.state.channels.get(CHANNEL_ID, []) if m["components"]]


async def only_post(h):
    posts = await h.bot.app.storage.posts.with_status(PostStatus.POSTED)
    assert len(posts) == 1, posts
    return posts[0]


async def answer_and_reveal(h, message: dict) -> None:
    """The post works after recovery: a member answers, and the close edits that one message."""
    button = message["components"][0]["components"][0]["custom_id"]
    if button.startswith("quiz:short:"):
        post_id = button.rsplit(":", 1)[1]
        reqs = await h.dispatch(h.modal_submit(f"quiz:modal:{post_id}", {"answer": "sc1"}))
    else:
        reqs = await h.dispatch(h.click(button, message=message))
    assert "기록했어요" in callback_data(reqs)["content"]
    h.bot.app.quiz.clock.now = NEXT_DAY
    before = len(h.requests)
    await scheduler(h).tick()
    edits = [r for r in h.requests[before:] if r.method == "PATCH"]
    assert len(edits) == 1 and edits[0].url.endswith(message["id"])
    assert "1명 참여" in edits[0].body["embeds"][0]["fields"][2]["value"]


@pytest.mark.parametrize("when", ["before Discord received it", "after Discord accepted it"])
async def test_crash_mid_send_posts_exactly_once(make_harness, when):
    first = await make_harness()
    await setup_quiz(first)
    first.bot.app.quiz.clock.now = POST_TIME
    if when == "before Discord received it":
        first.http.fail_next[MESSAGES] = Crash()
    else:
        first.http.crash_after[MESSAGES] = Crash()
    with pytest.raises(Crash):
        await scheduler(first).tick()
    [stuck] = await first.bot.app.storage.posts.with_status(PostStatus.SENDING)
    assert len(channel_posts(first)) == (0 if when.startswith("before") else 1)
    # the process is gone; a new one starts on the same database and the same Discord
    second = await make_harness(first.http.state)
    await scheduler(second).tick()
    await scheduler(second).tick()
    [message] = channel_posts(second)
    post = await only_post(second)
    assert post.id == stuck.id and post.message_id == int(message["id"])
    await answer_and_reveal(second, message)


async def test_resend_with_the_same_nonce_never_makes_a_second_message(make_harness):
    """Recovery that cannot see the first message (it scrolled away) still makes no second one."""
    first = await make_harness()
    await setup_quiz(first)
    first.bot.app.quiz.clock.now = POST_TIME
    first.http.crash_after[MESSAGES] = Crash()
    with pytest.raises(Crash):
        await scheduler(first).tick()
    state = first.http.state
    hidden = state.channels[CHANNEL_ID][:]
    state.channels[CHANNEL_ID] = [_message({"content": f"chat {i}"}) for i in range(60)]  # chatter after it
    second = await make_harness(state)
    await scheduler(second).tick()
    sent = [r for r in second.requests if r.method == "POST" and r.path == MESSAGES]
    assert len(sent) == 1 and sent[0].body["nonce"] and sent[0].body["enforce_nonce"]
    post = await only_post(second)
    assert post.message_id == int(hidden[0]["id"])  # Discord returned the first message


async def test_interrupted_post_from_an_earlier_day_is_marked_failed_and_admin_sees_it(make_harness):
    first = await make_harness()
    await setup_quiz(first)
    first.bot.app.quiz.clock.now = POST_TIME
    first.http.fail_next[MESSAGES] = Crash()
    with pytest.raises(Crash):
        await scheduler(first).tick()
    first.bot.app.quiz.clock.now = NEXT_DAY.replace(hour=0, minute=0, second=1)
    second = await make_harness(first.http.state)
    await scheduler(second).tick()
    dms = [r for r in second.requests if r.method == "POST" and "/channels/980" in r.url]
    assert dms and "멈췄" in dms[0].body["content"]  # the admin is told
    assert await second.bot.app.storage.posts.with_status(PostStatus.SENDING) == []
    assert len(channel_posts(second)) == 1  # only the new day's question


async def test_question_removed_from_the_bank_still_reveals_and_posting_goes_on(make_harness, kb):
    h = await make_harness()
    await setup_quiz(h)
    h.bot.app.quiz.clock.now = POST_TIME
    await scheduler(h).tick()
    post = await only_post(h)
    smaller = KnowledgeBase(kb.subjects, kb.topics, kb.sections, dict(kb.questions), kb.synonyms)
    del smaller.questions[post.question_id]
    restarted = await make_harness(h.http.state, ask=AskService(smaller))
    restarted.bot.app.quiz.clock.now = NEXT_DAY
    await scheduler(restarted).tick()
    edits = [r for r in restarted.requests if r.method == "PATCH"]
    assert len(edits) == 1 and edits[0].body["embeds"][0]["fields"][0]["name"] == "정답"
    assert len(channel_posts(restarted)) == 2  # the next day's question went out as well


async def test_one_failing_guild_never_stops_the_others(make_harness, monkeypatch):
    h = await make_harness()
    other_guild, other_channel = 910000000000000002, 920000000000000002
    h.add_guild(guild_id=other_guild, channels=(other_channel,))
    await setup_quiz(h)
    await h.bot.app.quiz.setup(other_guild, other_channel, "09:00", "Asia/Seoul", None)
    h.bot.app.quiz.clock.now = POST_TIME
    quiz = h.bot.app.quiz
    real = quiz.claim

    async def claim(settings, **kw):
        if settings.guild_id == GUILD_ID:
            raise RuntimeError("this guild's data is broken")
        return await real(settings, **kw)

    monkeypatch.setattr(quiz, "claim", claim)  # the fault: this guild's claim fails
    await scheduler(h).tick()
    assert h.http.state.channels.get(other_channel), "the healthy guild posted"
    assert scheduler(h).jobs.waiting(f"post:{GUILD_ID}")  # the broken one backs off, logged
    monkeypatch.setattr(quiz, "claim", real)
    assert not h.http.state.channels.get(CHANNEL_ID)


async def test_a_failing_button_answers_the_member(harness, monkeypatch):
    await setup_quiz(harness)
    harness.bot.app.quiz.clock.now = POST_TIME
    await scheduler(harness).tick()
    [message] = channel_posts(harness)

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    for name in ("answer", "answer_study", "check_practice"):  # the fault: every answer path fails
        monkeypatch.setattr(harness.bot.app.quiz, name, broken)
    button = message["components"][0]["components"][0]["custom_id"]
    if button.startswith("quiz:short:"):
        reqs = await harness.dispatch(harness.modal_submit(f"quiz:modal:{button.rsplit(':', 1)[1]}", {"answer": "x"}))
    else:
        reqs = await harness.dispatch(harness.click(button, message=message))
    content = callback_data(reqs)["content"]
    assert "문제가 생겼어요" in content and "Traceback" not in content and "fire" not in content


async def test_short_answer_modal_opened_before_a_restart_counts_after_it(make_harness):
    first = await make_harness()
    await setup_quiz(first)
    first.bot.app.quiz.clock.now = POST_TIME
    await scheduler(first).tick()
    post = await only_post(first)
    second = await make_harness(first.http.state)  # no modal object in this process
    reqs = await second.dispatch(second.modal_submit(f"quiz:modal:{post.id}", {"answer": "정답 아님"}))
    assert "기록했어요" in callback_data(reqs)["content"]
    assert (await second.bot.app.storage.answers.count(post.id))[0] == 1


async def test_a_button_from_another_server_is_refused(harness):
    await setup_quiz(harness)
    harness.bot.app.quiz.clock.now = POST_TIME
    await scheduler(harness).tick()
    [message] = channel_posts(harness)
    post = await only_post(harness)
    other_guild = 910000000000000009
    harness.add_guild(guild_id=other_guild, channels=(920000000000000009,))
    for custom_id in (f"quiz:answer:{post.id}:0", f"quiz:modal:{post.id}"):
        if custom_id.startswith("quiz:modal"):
            payload = harness.modal_submit(custom_id, {"answer": "x"}, guild_id=other_guild)
        else:
            forged = _message({"components": message["components"]}, 920000000000000009)
            payload = harness.click(custom_id, message=forged, guild_id=other_guild)
        reqs = await harness.dispatch(payload)
        assert "찾을 수 없어요" in callback_data(reqs)["content"]
    assert (await harness.bot.app.storage.answers.count(post.id))[0] == 0


async def test_admin_sees_the_real_next_post_and_can_close_now(harness):
    await setup_quiz(harness)
    harness.bot.app.quiz.clock.now = POST_TIME
    await scheduler(harness).tick()
    # a second setup later that day, for a later time: today's question is already out
    reqs = await setup_quiz(harness, time="21:00")
    tomorrow_21 = int(datetime(2026, 11, 27, 12, 0, tzinfo=UTC).timestamp())
    assert f"<t:{tomorrow_21}:f>" in callback_data(reqs)["content"]
    harness.bot.app.quiz.clock.now = datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC)  # 21:00:05 Seoul
    before = len(harness.requests)
    await scheduler(harness).tick()
    assert not [r for r in harness.requests[before:] if r.method == "POST" and r.path == MESSAGES]
    reqs = await harness.dispatch(harness.command("quiz-admin", subcommand="finish", member=admin(harness)))
    assert [r for r in reqs if r.method == "PATCH"], "the post is revealed now"
    assert "공개했어요" in [r for r in reqs if r.path.startswith("/webhooks/")][-1].body["content"]
    reqs = await harness.dispatch(harness.command("quiz-admin", subcommand="finish", member=admin(harness)))
    assert "진행 중인 문제가 없어요" in [r for r in reqs if r.path.startswith("/webhooks/")][-1].body["content"]


async def test_admin_commands_are_hidden_from_members(harness):
    await harness.bot.tree.sync()
    put = [r for r in harness.requests if r.method == "PUT"][-1]
    by_name = {c["name"]: c for c in put.body}
    for name in ("quiz-admin", "board-admin"):
        assert str(by_name[name]["default_member_permissions"]) == str(1 << 5)  # MANAGE_GUILD
    for name in ("quiz", "leaderboard", "ask", "stats"):
        assert by_name[name].get("default_member_permissions") in (None, "")


async def test_export_neutralises_formulas(harness):
    from studybot.board import spreadsheet_safe

    hostile = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "보통 이름"]
    assert [spreadsheet_safe(n)[0] for n in hostile] == ["'"] * 6 + ["보"]
    quiz = harness.bot.app.quiz
    await setup_quiz(harness)
    quiz.clock.now = POST_TIME
    await scheduler(harness).tick()
    post = await only_post(harness)
    await quiz.answer(post.id, 1, guild_id=GUILD_ID, index=0, text="x")
    text = await harness.bot.app.board.export_csv(GUILD_ID, {1: hostile[0]})
    assert "\"'=HYPERLINK" in text


async def test_reload_with_a_broken_file_keeps_the_running_knowledge(make_harness, tmp_path):
    import shutil

    from tests.conftest import KNOWLEDGE

    tree = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, tree)
    h = await make_harness(knowledge=tree)
    app = h.bot.app
    before = app.kb
    topic = tree / "aws-saa" / "topics" / "efs.yaml"
    good = topic.read_text(encoding="utf-8")
    topic.write_text(good.replace("sections:", "sectons:", 1), encoding="utf-8")
    owner = h.member(user_id=950000000000000001, name="owner")
    reqs = await h.dispatch(h.command("knowledge", subcommand="reload", member=owner))
    text = [r for r in reqs if r.path.startswith("/webhooks/")][-1].body["content"]
    assert "efs.yaml:" in text and "그대로" in text
    assert app.kb is before and app.ask.ask("efs 처리량").found
    topic.write_text(good.replace("EFS 처리량 모드", "EFS 처리량 모드 (새로 고침)", 1), encoding="utf-8")
    reqs = await h.dispatch(h.command("knowledge", subcommand="reload", member=owner))
    assert "다시 읽었어요" in [r for r in reqs if r.path.startswith("/webhooks/")][-1].body["content"]
    assert app.kb is not before and app.quiz.kb is app.kb and app.board.kb is app.kb
    assert "새로 고침" in app.ask.ask("efs 처리량 모드").section.title
    member = h.member(user_id=940000000000000005, name="member")
    reqs = await h.dispatch(h.command("knowledge", subcommand="reload", member=member))
    assert "소유자" in callback_data(reqs)["content"]


async def test_jobs_back_off_alone_and_a_loop_that_ends_is_started_again():
    import asyncio

    from discord.ext import tasks

    from cogs.runtime.jobs import Jobs, keep_running

    jobs, ran = Jobs(), []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def fine() -> None:
        ran.append(1)

    assert not await jobs.run("a", broken)
    assert await jobs.run("b", fine) and ran == [1]
    assert jobs.waiting("a") and not await jobs.run("a", fine)  # backing off: not retried at once
    starts = []

    @tasks.loop(seconds=0.01, count=1)
    async def loop() -> None:
        starts.append(1)

    keep_running(loop, lambda: len(starts) >= 3, delay=0.01)
    loop.start()
    for _ in range(100):
        if len(starts) >= 3:
            break
        await asyncio.sleep(0.02)
    loop.cancel()
    assert len(starts) >= 3
