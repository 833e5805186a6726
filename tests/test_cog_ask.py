"""`/ask`, its autocomplete and the section buttons, through the real discord.py objects."""

from __future__ import annotations

import pytest

EPHEMERAL = 64


def callback(requests):
    found = [r for r in requests if r.path.endswith("/callback")]
    assert len(found) == 1, [r.path for r in requests]
    return found[0]


def buttons(data: dict) -> list[dict]:
    return [c for row in data.get("components", []) for c in row.get("components", [])]


async def test_ask_answers_with_embed_and_related_buttons(harness, kb):
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "efs throughput"}]))
    body = callback(reqs).body
    assert body["type"] == 4
    data = body["data"]
    embed = data["embeds"][0]
    assert embed["title"] == kb.sections["efs-throughput-modes"].title
    assert "Provisioned" in embed["description"]
    assert data["allowed_mentions"] == {"parse": []}
    ids = [b["custom_id"] for b in buttons(data)]
    assert ids[-1] == "rep:new:s:efs-throughput-modes"  # "틀린 내용 신고"
    ids = ids[:-1]
    assert ids and all(i.startswith("ask:section:") for i in ids)
    assert {i.removeprefix("ask:section:") for i in ids} == set(kb.sections["efs-throughput-modes"].related[:3])


async def test_related_button_opens_that_section_even_after_restart(harness, kb):
    target = kb.sections["efs-throughput-modes"].related[0]
    reqs = await harness.dispatch(harness.click(f"ask:section:{target}"))
    data = callback(reqs).body["data"]
    assert data["embeds"][0]["title"] == kb.sections[target].title


async def test_unknown_section_button_gets_clean_reply(harness):
    reqs = await harness.dispatch(harness.click("ask:section:no-such-section"))
    data = callback(reqs).body["data"]
    assert data["flags"] & EPHEMERAL
    assert "없어요" in data["content"]


async def test_out_of_scope_query_is_answered_honestly(harness):
    # a cog test: how an uncovered question is shown (the search's own figures are eval/evaluate.py's)
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "sqs fifo 처리량"}]))
    data = callback(reqs).body["data"]
    assert "embeds" not in data or not data["embeds"]
    assert data["flags"] & EPHEMERAL
    assert "노트에" in data["content"] or "찾으셨나요" in data["content"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "가" * 150,
        "🔥🔥🔥",
        "\u200b\u200b",
        "@everyone",
        "**굵게** `코드` ||스포||",
        "<@&123> [링크](http://x)",
    ],
)
async def test_odd_input_gets_clean_reply(harness, query):
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": query}]))
    data = callback(reqs).body["data"]
    assert data["allowed_mentions"] == {"parse": []}
    text = data.get("content") or data["embeds"][0]["description"]
    assert text and "Traceback" not in text
    assert "@everyone" not in text.replace("\\@", "")


async def test_autocomplete_suggests_titles(harness, kb):
    reqs = await harness.dispatch(harness.autocomplete("ask", "query", "efs 처리"))
    body = callback(reqs).body
    assert body["type"] == 8
    names = [c["name"] for c in body["data"]["choices"]]
    assert kb.sections["efs-throughput-modes"].title in names[:5]
    assert len(names) <= 25 and all(len(n) <= 100 for n in names)


async def test_autocomplete_empty_lists_sections(harness):
    reqs = await harness.dispatch(harness.autocomplete("ask", "query", ""))
    assert len(callback(reqs).body["data"]["choices"]) == 25


async def test_cooldown_per_member(harness):
    other = harness.member(user_id=940000000000000099, name="other")
    for _ in range(3):
        await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "eip"}]))
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "eip"}]))
    assert "초 뒤에" in callback(reqs).body["data"]["content"]
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "eip"}], member=other))
    assert callback(reqs).body["data"]["embeds"]


async def test_command_registration_payload_matches_discord_spec(harness):
    await harness.bot.tree.sync()
    put = [r for r in harness.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(put) == 1
    commands = {c["name"]: c for c in put[0].body}
    assert "ask" in commands
    assert commands["ask"]["description_localizations"]["ko"] == "스터디 노트에서 찾아보기"
    assert harness.recorder.contract.checked >= 1


async def test_sync_is_owner_only(harness):
    reqs = await harness.dispatch(harness.command("sync"))
    assert "소유자" in callback(reqs).body["data"]["content"]
    assert not [r for r in harness.requests if r.method == "PUT"]


async def test_owner_syncs_to_this_guild(harness):
    from tests.discord_harness import OWNER_ID

    owner = harness.member(user_id=OWNER_ID, name="owner")
    reqs = await harness.dispatch(harness.command("sync", [{"type": 5, "name": "here", "value": True}], member=owner))
    put = [r for r in reqs if r.method == "PUT"]
    assert len(put) == 1 and "/guilds/" in put[0].url
    assert "동기화했어요" in reqs[-1].body["content"]


async def test_a_comparison_shows_both_sides_side_by_side(harness, kb):
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": "gp2 vs io2 차이"}]))
    data = callback(reqs).body["data"]
    titles = [e["title"] for e in data["embeds"]]
    assert titles == [kb.sections["ebs-gp2-gp3"].title, kb.sections["ebs-io1-io2"].title]
    assert sum(len(e["title"]) + len(e.get("description", "")) for e in data["embeds"]) <= 6000
    assert not data.get("flags", 0) & EPHEMERAL


async def test_an_uncertain_answer_offers_alternatives_as_buttons(harness, kb):
    from eval.evaluate import load_queries

    service = harness.bot.app.ask
    query = next(str(i["q"]) for i in load_queries() if service.ask(str(i["q"])).alternatives)
    answer = service.ask(query)
    reqs = await harness.dispatch(harness.command("ask", [{"type": 3, "name": "query", "value": query}]))
    data = callback(reqs).body["data"]
    assert data["embeds"][0]["title"] == answer.section.title
    labels = {b["custom_id"].removeprefix("ask:section:"): b["label"] for b in buttons(data)}
    for other in answer.alternatives:
        assert labels[other.id].startswith("혹시 이쪽일까요")


async def test_the_query_option_declares_its_length_limit(harness):
    await harness.bot.tree.sync()
    put = [r for r in harness.requests if r.method == "PUT" and r.path.endswith("/commands")]
    (option,) = {c["name"]: c for c in put[0].body}["ask"]["options"]
    assert option["max_length"] == 100


async def test_the_bot_makes_autocomplete_ready_before_the_first_keystroke(kb, tmp_path):
    from studybot.app import App
    from studybot.config import Settings
    from studybot.lookup import AskService
    from tests.conftest import KNOWLEDGE

    service = AskService(kb)
    assert "prefix_keys" not in vars(service.index)  # a one-off look-up (`bot.py ask`) never makes it
    settings = Settings(knowledge_dir=KNOWLEDGE, database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    async with await App.open(settings, ask=service) as app:
        assert "prefix_keys" in vars(service.index)
        assert not await app.reload()
        assert app.ask is not service and "prefix_keys" in vars(app.ask.index)
