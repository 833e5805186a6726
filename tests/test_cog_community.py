"""Member questions, the moderation queue, "틀린 내용 신고" and /quiz export through real discord.py
(tests/discord_harness.py); every request body is validated against Discord's OpenAPI spec."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import discord
import yaml

from studybot.lookup import AskService, load
from tests.conftest import KNOWLEDGE
from tests.discord_harness import CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, _message
from tests.test_cog_quiz import EPHEMERAL, admin, callback_data, last_text
from tests.test_community import anki_notes

REVIEW_ID = 970000000000000777
AUTHOR_ID = 940000000000000001  # the harness's default member
SECTION = "efs-throughput-modes"
GOOD = {
    "prompt": "한 팀이 EFS 처리량을 스토리지 크기와 상관없이 정하려고 합니다. 어떤 모드를 써야 할까요?",
    "options": "Bursting\nProvisioned\nMax I/O\nGeneral Purpose",
    "answer": "B",
    "explanation": "Provisioned 모드는 처리량을 스토리지 크기와 독립적으로 지정합니다.",
    "source": "https://docs.aws.amazon.com/efs/latest/ug/performance.html",
}


def text_channel(channel_id: int, name: str) -> dict:
    return {"id": str(channel_id), "type": 0, "name": name, "permissions": "0", "guild_id": str(GUILD_ID)}


async def setup_with_review(h):
    h.add_guild(channels=(CHANNEL_ID, REVIEW_ID))
    resolved = {
        "channels": {
            str(CHANNEL_ID): text_channel(CHANNEL_ID, "study"),
            str(REVIEW_ID): text_channel(REVIEW_ID, "review"),
        }
    }
    options = [
        {"type": 7, "name": "channel", "value": str(CHANNEL_ID)},
        {"type": 7, "name": "review_channel", "value": str(REVIEW_ID)},
    ]
    reqs = await h.dispatch(h.command("quiz-admin", options, subcommand="setup", member=admin(h), resolved=resolved))
    assert f"<#{REVIEW_ID}>" in callback_data(reqs)["content"]


def suggest_command(h, section=SECTION, type_="choice", domain="performance", member=None):
    options = [
        {"type": 3, "name": "section", "value": section},
        {"type": 3, "name": "type", "value": type_},
        {"type": 3, "name": "domain", "value": domain},
    ]
    return h.command("quiz", options, subcommand="suggest", member=member)


async def open_form(h, **kw) -> str:
    reqs = await h.dispatch(suggest_command(h, **kw))
    body = reqs[-1].body
    assert body["type"] == 9, body  # the modal
    return body["data"]["custom_id"]


def review_posts(reqs) -> list:
    return [r for r in reqs if r.method == "POST" and r.url.endswith(f"/channels/{REVIEW_ID}/messages")]


def button_ids(body) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


def dms(reqs) -> list[str]:
    return [
        r.body["content"] for r in reqs if r.method == "POST" and r.url.endswith(f"/channels/{DM_CHANNEL_ID}/messages")
    ]


async def submit_good(h, **changes) -> dict:
    """A valid suggestion; the review channel's post (its body)."""
    modal_id = await open_form(h)
    reqs = await h.dispatch(h.modal_submit(modal_id, {**GOOD, **changes}))
    assert "받았어요" in callback_data(reqs)["content"]
    [post] = review_posts(reqs)
    return post.body


async def test_suggest_modal_validation_and_queue_post(harness):
    await setup_with_review(harness)
    reqs = await harness.dispatch(harness.autocomplete("quiz", "section", "처리량", subcommand="suggest"))
    assert SECTION in [c["value"] for c in callback_data(reqs)["choices"]]
    reqs = await harness.dispatch(suggest_command(harness))
    modal = reqs[-1].body["data"]
    inputs = [row["components"][0] if "components" in row else row["component"] for row in modal["components"]]
    assert len(inputs) == 5 and len(modal["title"]) <= 45
    assert {i["custom_id"]: i["max_length"] for i in inputs}["prompt"] == 1500
    # wrong by the bank's rules: the bank's messages, and what was typed comes back
    bad = {**GOOD, "options": "Bursting\nBursting", "answer": "Elastic", "source": "http://x", "prompt": "가" * 1600}
    reqs = await harness.dispatch(harness.modal_submit(modal["custom_id"], bad))
    content = callback_data(reqs)["content"]
    assert callback_data(reqs)["flags"] & EPHEMERAL
    assert (
        "보기: 같은 보기가 두 번 있습니다" in content and "출처 URL: https:// 로 시작하는 URL이어야 합니다" in content
    )
    assert "문제: 1500자 이하여야 합니다 (지금 1600자)" in content
    assert "입력한 내용" in content and "Bursting" in content
    assert not review_posts(reqs)
    # right: acknowledged, and posted to the review channel with its three buttons
    body = await submit_good(harness)
    ids = button_ids(body)
    assert [i.split(":")[1] for i in ids] == ["ok", "ed", "no"]
    assert "✅" in body["embeds"][0]["description"] and "Provisioned" in body["embeds"][0]["description"]
    # an unknown section is refused before the form opens
    reqs = await harness.dispatch(suggest_command(harness, section="no-such-section"))
    assert "찾을 수 없어요" in callback_data(reqs)["content"]


async def test_five_pending_then_a_clear_message(harness):
    for _ in range(5):
        modal_id = await open_form(harness)
        reqs = await harness.dispatch(harness.modal_submit(modal_id, GOOD))
        assert "받았어요" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(suggest_command(harness))
    assert reqs[-1].body["type"] == 4 and "이미 5개" in callback_data(reqs)["content"]
    # a form opened before the cap was reached is refused on submit too
    reqs = await harness.dispatch(harness.modal_submit(modal_id, GOOD))
    assert "이미 5개" in callback_data(reqs)["content"]


async def test_approve_after_restart_counts_once_and_tells_the_author(make_harness):
    first = await make_harness()
    await setup_with_review(first)
    body = await submit_good(first)
    approve = button_ids(body)[0]
    message = _message(body, REVIEW_ID)
    other = await submit_good(first, prompt="두 번째 제안: 어떤 모드일까요?")
    other_message = _message(other, REVIEW_ID)
    reqs = await first.dispatch(
        first.click(button_ids(other)[2], message=other_message, member=admin(first), channel_id=REVIEW_ID)
    )
    reject_modal = reqs[-1].body["data"]["custom_id"]  # the moderator is typing the reason...
    # the bot restarts: the buttons of the message posted before still work
    second = await make_harness(first.http.state)
    second.add_guild(channels=(CHANNEL_ID, REVIEW_ID))
    member = second.member(permissions=0)
    reqs = await second.dispatch(second.click(approve, message=message, member=member, channel_id=REVIEW_ID))
    assert "Manage Server" in callback_data(reqs)["content"]
    reqs = await second.dispatch(second.click(approve, message=message, member=admin(second), channel_id=REVIEW_ID))
    update = [r for r in reqs if r.path.endswith("/callback")][-1].body
    assert update["type"] == 7 and "components" in update["data"] and update["data"]["components"] == []
    assert "승인됨" in update["data"]["embeds"][0]["footer"]["text"]
    assert any("승인됐어요" in d for d in dms(reqs))
    reqs = await second.dispatch(second.click(approve, message=message, member=admin(second), channel_id=REVIEW_ID))
    assert "이미 처리된" in callback_data(reqs)["content"]
    questions = await second.bot.app.community.questions(GUILD_ID)
    assert len(questions) == 1 and questions[0].author_id == AUTHOR_ID
    # ...and submits it after the restart (no modal object in this process): it counts
    reqs = await second.dispatch(
        second.modal_submit(
            reject_modal, {"reason": "중복이에요"}, member=admin(second), message=other_message, channel_id=REVIEW_ID
        )
    )
    assert any("중복이에요" in d for d in dms(reqs))
    # the approved question is in the guild's bank: practice can serve it, YAML export has it
    assert questions[0].id in await second.bot.app.quiz.bank(GUILD_ID)


async def test_edit_then_reject_with_a_reason_dmed(harness):
    await setup_with_review(harness)
    body = await submit_good(harness)
    approve, edit, reject = button_ids(body)
    message = _message(body, REVIEW_ID)
    reqs = await harness.dispatch(harness.click(edit, message=message, member=admin(harness), channel_id=REVIEW_ID))
    modal = reqs[-1].body
    assert modal["type"] == 9
    inputs = [row["components"][0] if "components" in row else row["component"] for row in modal["data"]["components"]]
    assert {i["custom_id"]: i.get("value") for i in inputs}["answer"] == "Provisioned"  # prefilled
    modal_id = modal["data"]["custom_id"]
    reqs = await harness.dispatch(
        harness.modal_submit(
            modal_id, {**GOOD, "answer": "Z"}, member=admin(harness), message=message, channel_id=REVIEW_ID
        )
    )
    assert "저장하지 않았어요" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(
        harness.modal_submit(
            modal_id,
            {**GOOD, "prompt": "고친 문제: 어떤 모드일까요?"},
            member=admin(harness),
            message=message,
            channel_id=REVIEW_ID,
        )
    )
    update = [r for r in reqs if r.path.endswith("/callback")][-1].body
    assert update["type"] == 7 and "고친 문제" in update["data"]["embeds"][0]["description"]
    reqs = await harness.dispatch(harness.click(reject, message=message, member=admin(harness), channel_id=REVIEW_ID))
    reject_modal = reqs[-1].body["data"]["custom_id"]
    reqs = await harness.dispatch(
        harness.modal_submit(
            reject_modal,
            {"reason": "노트에 없는 내용이에요"},
            member=admin(harness),
            message=message,
            channel_id=REVIEW_ID,
        )
    )
    assert any("노트에 없는 내용이에요" in d for d in dms(reqs))
    reqs = await harness.dispatch(harness.click(approve, message=message, member=admin(harness), channel_id=REVIEW_ID))
    assert "이미 처리된" in callback_data(reqs)["content"]
    assert await harness.bot.app.community.questions(GUILD_ID) == []


async def test_queue_lists_items_for_managers_only(harness):
    await submit_good_without_channel(harness)
    reqs = await harness.dispatch(harness.command("quiz", subcommand="queue"))
    assert "Manage Server" in callback_data(reqs)["content"]
    reqs = await harness.dispatch(harness.command("quiz", subcommand="queue", member=admin(harness)))
    data = callback_data(reqs)
    assert "검토 대기 제안 1개" in data["content"] and data["flags"] & EPHEMERAL
    assert [i.split(":")[1] for i in button_ids(data)] == ["ok", "ed", "no"]


async def submit_good_without_channel(h):
    modal_id = await open_form(h)
    reqs = await h.dispatch(h.modal_submit(modal_id, GOOD))
    assert "받았어요" in callback_data(reqs)["content"] and not review_posts(reqs)


async def test_report_from_ask_flagged_resolved_and_reporter_told(harness):
    await setup_with_review(harness)
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "efs throughput"}]))
    answer = callback_data(reqs)
    report_id = button_ids(answer)[-1]
    assert report_id == f"rep:new:s:{SECTION}"
    shown = _message(answer)
    for n in range(3):
        member = harness.member(user_id=940000000000000100 + n, name=f"m{n}")
        reqs = await harness.dispatch(harness.click(report_id, message=shown, member=member))
        modal_id = reqs[-1].body["data"]["custom_id"]
        reqs = await harness.dispatch(
            harness.modal_submit(modal_id, {"reason": "Elastic 모드 설명이 빠졌어요"}, member=member, message=shown)
        )
        assert "신고 #" in callback_data(reqs)["content"]
    [post] = review_posts(reqs)
    embed = post.body["embeds"][0]
    assert "3명이 신고" in embed["description"]
    assert any("Provisioned" in f["value"] for f in embed["fields"])  # the text the member saw
    reqs = await harness.dispatch(harness.command("quiz", subcommand="reports", member=admin(harness)))
    assert "열린 신고 3개" in callback_data(reqs)["content"]
    # the reporter has blocked DMs: the report is still resolved
    response = type("R", (), {"status": 403, "reason": "Forbidden"})()
    harness.http.fail_next["/users/@me/channels"] = discord.Forbidden(response, {"code": 50007, "message": "no"})
    fixed = button_ids(post.body)[0]
    reqs = await harness.dispatch(
        harness.click(fixed, message=_message(post.body, REVIEW_ID), member=admin(harness), channel_id=REVIEW_ID)
    )
    assert [r for r in reqs if r.path.endswith("/callback")][-1].body["type"] == 7
    assert "처리했어요" in last_text(reqs)
    open_reports = await harness.bot.app.community.queue(GUILD_ID)
    assert open_reports.open == 2


async def test_member_question_drawn_credited_and_its_author_rewarded(make_harness, tmp_path):
    tree = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, tree)
    questions = tree / "aws-saa" / "questions"
    one = yaml.safe_load((questions / "efs.yaml").read_text(encoding="utf-8"))["questions"][:1]
    for f in questions.glob("*.yaml"):
        f.unlink()
    (questions / "efs.yaml").write_text(yaml.safe_dump({"questions": one}, allow_unicode=True), encoding="utf-8")
    h = await make_harness(knowledge=tree, ask=AskService(load(tree)))
    await setup_with_review(h)
    body = await submit_good(h)
    await h.dispatch(
        h.click(button_ids(body)[0], message=_message(body, REVIEW_ID), member=admin(h), channel_id=REVIEW_ID)
    )
    scheduler = h.bot.get_cog("QuizScheduler")
    credited = []
    for day in (26, 27, 28):  # a bank of two: the member's question is drawn on one of the first two days
        h.bot.app.quiz.clock.now = datetime(2026, 11, day, 0, 0, 5, tzinfo=UTC)
        before = len(h.requests)
        await scheduler.tick()
        for edit in [r for r in h.requests[before:] if r.method == "PATCH"]:
            fields = {f["name"]: f["value"] for f in edit.body["embeds"][0]["fields"]}
            if "출제" in fields:
                credited.append(fields["출제"])
    assert credited and set(credited) == {f"<@{AUTHOR_ID}>"}
    used = [qid for qid, _ in await h.bot.app.storage.posts.used_questions(GUILD_ID)]
    assert len(used) == 3 and 1 <= used.count("m-1") <= 2
    board = await h.bot.app.board.board(GUILD_ID, "all")
    [author] = [s for s in board.standings if s.user_id == AUTHOR_ID]
    assert author.points == 5 * used.count("m-1")  # the author bonus, one a day (they did not answer)


async def test_export_sends_anki_and_csv(harness, kb, tmp_path):
    reqs = await harness.dispatch(harness.command("quiz", subcommand="export"))
    assert "내보낼 문제가 없어요" in last_text(reqs)
    question = next(q for q in kb.questions.values() if q.type == "choice")
    wrong = next(o for o in question.options if o != question.answer)
    await harness.bot.app.quiz.check_practice(GUILD_ID, AUTHOR_ID, question.id, wrong, "practice")
    reqs = await harness.dispatch(harness.command("quiz", subcommand="export"))
    followup = [r for r in reqs if r.files][-1]
    assert followup.body["flags"] & EPHEMERAL
    names = [f.filename for f in followup.files]
    assert names == ["studybot-missed.apkg", "studybot-missed.csv"]
    notes = anki_notes(followup.files[0].fp.getvalue(), tmp_path)
    assert len(notes) == 1 and question.prompt[:30] in notes[0][0] and question.answer in notes[0][1]
    csv_text = followup.files[1].fp.getvalue().decode("utf-8-sig")
    assert csv_text.startswith("front,back,section,topic")
    reqs = await harness.dispatch(
        harness.command("quiz", [{"type": 5, "name": "bank", "value": True}], subcommand="export")
    )
    assert "Manage Server" in last_text(reqs)
    reqs = await harness.dispatch(
        harness.command(
            "quiz", [{"type": 5, "name": "bank", "value": True}], subcommand="export", member=admin(harness)
        )
    )
    followup = [r for r in reqs if r.files][-1]
    assert len(anki_notes(followup.files[0].fp.getvalue(), tmp_path)) == len(kb.questions)
