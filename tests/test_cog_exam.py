"""The mock exam through real discord.py objects: /exam start, answering with buttons and the
multiple-response select, ◀ ▶, the flag, the jump list, the hand-in, the result pages with their
notes buttons, the history, the time limit, and a restart in the middle of an exam. Every
request body is validated against Discord's OpenAPI spec."""

from __future__ import annotations

from datetime import timedelta

from studybot.exam import rules
from studybot.vocab import QuestionType
from tests.discord_harness import _message
from tests.test_cog_quiz import EPHEMERAL, callback_data

UPDATE_MESSAGE = 7


def ids(data: dict) -> list[str]:
    return [c["custom_id"] for row in data.get("components", []) for c in row["components"] if "custom_id" in c]


def component(data: dict, prefix: str) -> dict:
    found = [c for row in data["components"] for c in row["components"] if c.get("custom_id", "").startswith(prefix)]
    assert found, ids(data)
    return found[0]


def nav(data: dict, kind: str) -> str:
    """The custom id of ◀ ("p") or ▶ ("n") on a page."""
    [found] = [c for c in ids(data) if c.startswith("exam:g:") and c.endswith(":" + kind)]
    return found


def pressing(h, data: dict, custom_id: str, values: list[str] | None = None) -> dict:
    """The interaction Discord sends when the member presses a component of the message ``data``."""
    payload = h.click(custom_id, message=_message(data))
    if values is not None:
        payload["data"]["component_type"] = 3
        payload["data"]["values"] = values
    return payload


async def press(h, data: dict, custom_id: str, values: list[str] | None = None, member=None) -> dict:
    payload = pressing(h, data, custom_id, values)
    if member is not None:
        payload["member"] = member
    reqs = await h.dispatch(payload)
    [callback] = [r for r in reqs if r.path.endswith("/callback")]
    return callback.body


async def start(h, *options) -> dict:
    reqs = await h.dispatch(h.command("exam", list(options), subcommand="start"))
    return callback_data(reqs)


def question(h, data: dict):
    """The question on a page, found through the running exam (what the member reads)."""
    title = data["embeds"][0]["title"]  # "🧪 모의고사 5/20"
    number = int(title.split()[2].split("/")[0])
    return number - 1


async def current(h, user_id=940000000000000001):
    exam = await h.bot.app.storage.exams.running(910000000000000001, user_id)
    return exam


async def page_of(h, exam_id: int, position: int):
    return (await h.bot.app.exam.show(exam_id, 910000000000000001, 940000000000000001, position)).page


async def answer_right(h, data: dict) -> dict:
    """Answer the page's question correctly through its own components."""
    exam = await current(h)
    page = await page_of(h, exam.id, question(h, data))
    right = [i for i, c in enumerate(page.shown.choices) if c in page.shown.question.correct_choices]
    if page.shown.question.type is QuestionType.MULTI:
        select = component(data, "exam:m:")
        assert select["min_values"] == select["max_values"] == len(right)
        body = await press(h, data, select["custom_id"], [str(i) for i in right])
    else:
        body = await press(h, data, f"exam:a:{exam.id}:{page.position}:{right[0]}")
    assert body["type"] == UPDATE_MESSAGE
    return body["data"]


async def test_start_is_ephemeral_with_a_timer_and_controls(harness, clock):
    data = await start(harness)
    assert data["flags"] & EPHEMERAL
    assert "20문제, 40분" in data["content"]
    ends = int((clock.now + timedelta(minutes=40)).timestamp())
    assert f"<t:{ends}:R>" in data["content"]
    embed = data["embeds"][0]
    assert embed["title"] == "🧪 모의고사 1/20"
    assert f"<t:{ends}:R>" in embed["fields"][0]["value"]
    assert "정답" not in embed["description"]
    controls = ids(data)
    assert any(c.startswith("exam:g:") for c in controls) and any(c.startswith("exam:f:") for c in controls)
    assert any(c.startswith("exam:s:") for c in controls) and any(c.startswith("exam:j:") for c in controls)
    prev = component(data, "exam:g:")
    assert prev["disabled"] is True  # no ◀ on the first question
    # a second /exam start reopens the same exam
    again = await start(harness)
    assert "다시 열었어요" in again["content"] and again["embeds"][0]["title"] == "🧪 모의고사 1/20"


async def test_a_whole_exam_through_discord(harness, kb):
    data = await start(harness, {"type": 4, "name": "questions", "value": 65})
    exam = await current(harness)
    seen_multi = False
    for n in range(65):
        page = await page_of(harness, exam.id, n)
        seen_multi |= page.shown.question.type is QuestionType.MULTI
        if n == 3:  # flag one, leave it unanswered, and move on with ▶
            body = await press(harness, data, f"exam:f:{exam.id}:3")
            assert body["data"]["embeds"][0]["title"].endswith("🚩")
            data = body["data"]
            data = (await press(harness, data, nav(data, "n")))["data"]
            continue
        if n == 4:
            assert data["embeds"][0]["title"] == "🧪 모의고사 5/65"
        if n < 50:
            data = await answer_right(harness, data)
        else:
            data = (await press(harness, data, nav(data, "n")))["data"]
    assert seen_multi
    # the jump list goes back to the flagged question
    jump = component(data, "exam:j:")
    assert len(jump["options"]) <= 25
    while not any(o["value"] == "3" for o in jump["options"]):  # it lists the questions around this one
        data = (await press(harness, data, jump["custom_id"], [jump["options"][0]["value"]]))["data"]
        jump = component(data, "exam:j:")
    assert "🚩" in next(o["label"] for o in jump["options"] if o["value"] == "3")
    back = (await press(harness, data, jump["custom_id"], ["3"]))["data"]
    assert back["embeds"][0]["title"] == "🧪 모의고사 4/65 🚩"
    # hand in: a confirmation first, then the result
    body = await press(harness, back, f"exam:s:{exam.id}:3")
    confirm = body["data"]
    assert "안 푼 문제 16개" in confirm["content"] and confirm["embeds"] == []
    body = await press(harness, confirm, f"exam:done:{exam.id}")
    result = body["data"]
    embed = result["embeds"][0]
    assert "**49/65**" in embed["description"]
    assert f"**{rules.scaled_score(49, 65)}**" in embed["description"] and "추정" in embed["description"]
    names = [f["name"] for f in embed["fields"]]
    assert names == ["영역별 (시험 비중)", "주제별"]
    assert "보안 아키텍처 설계 (30%)" in embed["fields"][0]["value"]
    # the misses, one page each, with the explanation and a button to the notes
    body = await press(harness, result, f"exam:r:{exam.id}:1:n")
    miss = body["data"]
    assert miss["embeds"][0]["title"].startswith("❌ 틀린 문제 1/16")
    assert [f["name"] for f in miss["embeds"][0]["fields"]] == ["내 답", "정답", "💡 해설"]
    notes = [c for c in ids(miss) if c.startswith("ask:section:")]
    assert notes
    reqs = await harness.dispatch(harness.click(notes[0]))
    assert callback_data(reqs)["embeds"][0]["fields"][0]["name"] == "위치"
    # a press on the finished exam's old page shows the result, never a new answer
    body = await press(harness, back, f"exam:a:{exam.id}:3:0")
    assert body["data"]["embeds"][0]["title"] == "🏁 모의고사 결과"
    # the history keeps it and reopens the result
    reqs = await harness.dispatch(harness.command("exam", subcommand="history"))
    history = callback_data(reqs)
    assert "49/65" in history["embeds"][0]["description"]
    body = await press(harness, history, component(history, "exam:r:")["custom_id"])
    assert body["type"] == 4 and body["data"]["embeds"][0]["title"] == "🏁 모의고사 결과"
    # 16 misses joined the review queue; the leaderboard never saw the exam
    storage = harness.bot.app.storage
    harness.bot.app.exam.clock.advance(days=1)
    assert len(await storage.reviews.due(910000000000000001, 940000000000000001, harness.bot.app.exam.clock())) == 16
    reqs = await harness.dispatch(harness.command("leaderboard", subcommand="show"))
    assert "아직" in callback_data(reqs)["embeds"][0]["description"]


async def test_multi_select_needs_the_right_count_and_other_members_are_refused(harness):
    data = await start(harness, {"type": 4, "name": "questions", "value": 65})
    exam = await current(harness)
    for n in range(65):
        page = await page_of(harness, exam.id, n)
        if page.shown.question.type is QuestionType.MULTI:
            break
    for _ in range(n):
        data = (await press(harness, data, nav(data, "n")))["data"]
    select = component(data, "exam:m:")
    assert len(select["options"]) == len(page.shown.choices)
    # Discord enforces min/max; a forged press with too few values gets a clear reply
    reqs = await harness.dispatch(pressing(harness, data, select["custom_id"], ["0"]))
    assert f"{rules.picks(page.shown.question)}개" in callback_data(reqs)["content"]
    other = harness.member(user_id=940000000000000002, name="other")
    body = await press(harness, data, f"exam:f:{exam.id}:{n}", member=other)
    assert "찾을 수 없어요" in body["data"]["content"]


async def test_time_limit_refuses_the_answer_and_shows_the_result(harness, clock):
    data = await start(
        harness, {"type": 4, "name": "questions", "value": 5}, {"type": 4, "name": "minutes", "value": 5}
    )
    exam = await current(harness)
    data = await answer_right(harness, data)
    clock.advance(minutes=5)
    body = await press(harness, data, f"exam:a:{exam.id}:1:0")
    assert body["type"] == UPDATE_MESSAGE
    assert "시간이 끝나서" in body["data"]["content"]
    assert "**1/5**" in body["data"]["embeds"][0]["description"]
    assert "시간 종료" in body["data"]["embeds"][0]["description"]
    reqs = await harness.dispatch(harness.command("exam", subcommand="finish"))
    assert "진행 중인 모의고사가 없어요" in callback_data(reqs)["content"]  # handed in once, already
    [done] = await harness.bot.app.exam.history(910000000000000001, 940000000000000001)
    assert done.correct == 1 and done.timed_out


async def test_expired_exams_are_handed_in_by_the_job(harness, clock):
    await start(harness, {"type": 4, "name": "questions", "value": 3})
    exam = await current(harness)
    clock.advance(minutes=7)
    await harness.bot.get_cog("ExamCog").tick()
    assert await current(harness) is None
    [done] = await harness.bot.app.exam.history(910000000000000001, 940000000000000001)
    assert done.id == exam.id and done.timed_out


async def test_restart_in_the_middle_of_an_exam_resumes_with_the_time_left(make_harness, clock):
    first = await make_harness()
    data = await start(first, {"type": 4, "name": "questions", "value": 10})
    exam = await current(first)
    for _ in range(4):
        data = await answer_right(first, data)
    clock.advance(minutes=6)
    # the process dies; a new one starts on the same database and the same Discord
    second = await make_harness(first.http.state)
    # a button on the old ephemeral message still works after the restart
    body = await press(second, data, f"exam:f:{exam.id}:4")
    assert body["type"] == UPDATE_MESSAGE and body["data"]["embeds"][0]["title"] == "🧪 모의고사 5/10 🚩"
    # /exam start reopens it where the member was, with the time that was left
    again = await start(second)
    assert "다시 열었어요" in again["content"]
    assert again["embeds"][0]["title"] == "🧪 모의고사 5/10 🚩"
    assert "답한 문제 4/10" in again["embeds"][0]["fields"][1]["value"]
    left = (exam.ends_at - clock.now).total_seconds()
    assert left == 14 * 60
    assert f"<t:{int(exam.ends_at.timestamp())}:R>" in again["content"]
    data = await answer_right(second, again)
    reqs = await second.dispatch(second.command("exam", subcommand="finish"))
    assert "**5/10**" in callback_data(reqs)["embeds"][0]["description"]


async def test_exam_commands_register_with_a_valid_body(harness):
    await harness.bot.tree.sync()
    [put] = [r for r in harness.requests if r.method == "PUT" and r.path.endswith("/commands")]
    exam = next(c for c in put.body if c["name"] == "exam")
    assert {o["name"] for o in exam["options"]} == {"start", "finish", "history", "date"}
    assert exam["description_localizations"]["ko"] == "모의고사"
    start_cmd = next(o for o in exam["options"] if o["name"] == "start")
    questions = next(o for o in start_cmd["options"] if o["name"] == "questions")
    assert (questions["min_value"], questions["max_value"]) == (1, 65)
    assert questions["description_localizations"]["ko"].startswith("문제 수")


async def test_readiness_with_a_korean_chart_in_a_server_and_in_dms(harness):
    data = await start(harness, {"type": 4, "name": "questions", "value": 4})
    data = await answer_right(harness, data)
    await harness.dispatch(harness.command("exam", subcommand="finish"))
    for guild_id in (910000000000000001, None):
        reqs = await harness.dispatch(harness.command("readiness", guild_id=guild_id))
        defer = next(r for r in reqs if r.path.endswith("/callback"))
        assert defer.body["type"] == 5 and defer.body["data"]["flags"] & EPHEMERAL
        followup = [r for r in reqs if r.path.startswith("/webhooks/") and r.method == "POST"][-1]
        embed = followup.body["embeds"][0]
        assert embed["image"]["url"] == "attachment://readiness.png"
        assert "준비도" in embed["description"] and "모의고사 1" in embed["description"]
        names = [f["name"] for f in embed["fields"]]
        assert names[-2:] == ["다음에 공부할 주제", "어떻게 계산하나요?"]
        assert "FSRS" in embed["fields"][-1]["value"]
        [upload] = followup.files
        assert upload.filename == "readiness.png" and "차트" in upload.description
        assert followup.body["attachments"][0]["description"] == upload.description


async def test_readiness_is_registered_for_user_installs_and_dms(harness):
    await harness.bot.tree.sync()
    [put] = [r for r in harness.requests if r.method == "PUT" and r.path.endswith("/commands")]
    ready = next(c for c in put.body if c["name"] == "readiness")
    assert sorted(ready["integration_types"]) == [0, 1]  # guild install and user install
    assert sorted(ready["contexts"]) == [0, 1, 2]  # servers, the bot's DMs, other DMs and group DMs
