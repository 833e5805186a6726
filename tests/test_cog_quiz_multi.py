"""Multiple-response questions through real discord.py: the daily post's select menu, its answers
and reveal, practice and review by token, restarts between serving and answering, and custom ids
that never say which option is which. Every request body is validated against Discord's spec."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from studybot.lookup import AskService, KnowledgeBase
from studybot.quiz.bank import choice_order, pick_question
from studybot.vocab import PostStatus, QuestionType
from tests.discord_harness import CHANNEL_ID, GUILD_ID, Crash, _message
from tests.test_cog_quiz import (
    EPHEMERAL,
    admin,
    answer_study,
    callback_data,
    components,
    daily_post,
    quiz_cog,
    served,
    setup_quiz,
)

POST_TIME = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)  # 09:00:05 in Seoul
NEXT_DAY = POST_TIME + timedelta(days=1)
STUDY_ID = re.compile(r"quiz:(st:[A-Za-z0-9_-]{16}:(\d|w)|ss:[A-Za-z0-9_-]{16})")


def only(kb: KnowledgeBase, keep) -> KnowledgeBase:
    return KnowledgeBase(
        kb.subjects, kb.topics, kb.sections, {q.id: q for q in kb.questions.values() if keep(q)}, kb.synonyms
    )


@pytest.fixture(scope="module")
def multi_ask(kb) -> AskService:
    return AskService(only(kb, lambda q: q.type is QuestionType.MULTI))


def member(h, n: int) -> dict:
    return h.member(user_id=940000000000000100 + n, name=f"m{n}")


async def live_shown(h):
    [post] = await h.bot.app.storage.posts.with_status(PostStatus.POSTED)
    return post, h.bot.app.quiz.shown(post)


def right_and_wrong(shown) -> tuple[list[str], list[str]]:
    q = shown.question
    right = [i for i, c in enumerate(shown.choices) if c in q.answers]
    other = [i for i in range(len(shown.choices)) if i not in right]
    return [str(i) for i in right], [str(i) for i in sorted(right[1:] + other[:1])]


async def test_daily_multi_post_select_answers_and_reveal_distribution(make_harness, multi_ask):
    h = await make_harness(ask=multi_ask)
    [post_request] = await daily_post(h)
    post, shown = await live_shown(h)
    body = post_request.body
    [menu] = components(body)
    assert menu["type"] == 3 and menu["custom_id"] == f"quiz:pick:{post.id}"
    assert menu["min_values"] == menu["max_values"] == shown.needed == len(shown.question.answers)
    assert [o["value"] for o in menu["options"]] == [str(i) for i in range(len(shown.choices))]
    assert [o["label"][:3] for o in menu["options"]] == [f"{letter}. " for letter in "ABCDEF"[: len(shown.choices)]]
    word = {2: "두", 3: "세"}[shown.needed]
    assert f"{word} 개" in menu["placeholder"] and f"{word} 개 고르세요" in body["embeds"][0]["description"]
    assert body["embeds"][0]["footer"]["text"].startswith("메뉴에서 답을 골라")
    message = _message(body)
    right, wrong = right_and_wrong(shown)

    reqs = await h.dispatch(h.select(menu["custom_id"], right, message=message, member=member(h, 1)))
    data = callback_data(reqs)
    assert data["flags"] & EPHEMERAL and "기록했어요" in data["content"]
    assert ", ".join("ABCDEF"[int(v)] for v in right) in data["content"]
    reqs = await h.dispatch(h.select(menu["custom_id"], wrong, message=message, member=member(h, 2)))
    assert "기록했어요" in callback_data(reqs)["content"]
    reqs = await h.dispatch(h.select(menu["custom_id"], right, message=message, member=member(h, 2)))
    assert "이미" in callback_data(reqs)["content"]
    assert ", ".join("ABCDEF"[int(v)] for v in wrong) in callback_data(reqs)["content"]
    # a crafted submit with the wrong count (Discord's client enforces it) gets a Korean reply, nothing stored
    reqs = await h.dispatch(h.select(menu["custom_id"], right[:1], message=message, member=member(h, 3)))
    assert f"답을 {word} 개 골라야 해요" in callback_data(reqs)["content"]
    reqs = await h.dispatch(h.select(menu["custom_id"], [*right[:-1], "x"], message=message, member=member(h, 3)))
    assert "받을 수 없어요" in callback_data(reqs)["content"]
    await h.bot.app.quiz.drain()
    assert await h.bot.app.storage.answers.count(post.id) == (2, 1)

    h.bot.app.quiz.clock.now = NEXT_DAY
    before = len(h.requests)
    await quiz_cog(h).tick()
    [edit] = [r for r in h.requests[before:] if r.method == "PATCH"]
    embed = edit.body["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "고르세요" not in embed["description"] and shown.choices[0] in embed["description"]
    picked = Counter(int(v) for v in right + wrong)
    lines = fields["결과"].splitlines()
    for i in range(len(shown.choices)):
        count = picked[i]
        assert lines[i].startswith(f"{'ABCDEF'[i]}: {count}명 ({100 * count // 2}%)"), lines
        assert lines[i].endswith("✅") is (str(i) in right)
    assert lines[-1] == "2명 참여 · 1명 정답"
    assert fields["정답"].splitlines() == [f"{'ABCDEF'[int(v)]}. {shown.choices[int(v)]}" for v in right]
    assert all(c["custom_id"].startswith(("ask:section:", "rep:new:q:")) for c in components(edit.body))
    reqs = await h.dispatch(h.select(menu["custom_id"], right, message=message, member=member(h, 4)))
    assert "마감" in callback_data(reqs)["content"]


async def test_daily_multi_select_after_a_restart_and_immediate_feedback(make_harness, multi_ask):
    first = await make_harness(ask=multi_ask)
    await setup_quiz(first)
    await first.dispatch(
        first.command(
            "quiz-admin", [{"type": 3, "name": "mode", "value": "immediate"}], subcommand="reveal", member=admin(first)
        )
    )
    [post_request] = await daily_post(first)
    post, shown = await live_shown(first)
    right, wrong = right_and_wrong(shown)
    # the process restarts: no view object in memory, the select is routed by its custom id
    second = await make_harness(first.http.state, ask=multi_ask)
    message = _message(post_request.body)
    reqs = await second.dispatch(
        second.select(f"quiz:pick:{post.id}", wrong, message=message, member=member(second, 1))
    )
    content = callback_data(reqs)["content"]
    letters = ", ".join("ABCDEF"[int(v)] for v in right)
    assert content.startswith("❌") and f"정답: '{letters}'" in content and "해설" in content
    reqs = await second.dispatch(
        second.select(f"quiz:pick:{post.id}", right, message=message, member=member(second, 2))
    )
    assert callback_data(reqs)["content"].startswith("✅ 정답이에요!")
    await second.bot.app.quiz.drain()
    assert await second.bot.app.storage.answers.count(post.id) == (2, 1)


async def test_a_multi_post_sent_before_a_crash_is_adopted_not_sent_again(make_harness, multi_ask):
    first = await make_harness(ask=multi_ask)
    await setup_quiz(first)
    first.bot.app.quiz.clock.now = POST_TIME
    first.http.crash_after["/channels/{channel_id}/messages"] = Crash()  # Discord has it, the bot dies
    with pytest.raises(Crash):
        await quiz_cog(first).tick()
    second = await make_harness(first.http.state, ask=multi_ask)
    await quiz_cog(second).tick()
    [message] = [m for m in second.http.state.channels[CHANNEL_ID] if m["components"]]
    post, shown = await live_shown(second)
    assert post.message_id == int(message["id"])  # adopted by its select's custom id
    right, _ = right_and_wrong(shown)
    reqs = await second.dispatch(second.select(f"quiz:pick:{post.id}", right, message=message))
    assert "기록했어요" in callback_data(reqs)["content"]


async def test_practice_and_review_of_multi_with_wrong_count_and_restart(make_harness, multi_ask):
    first = await make_harness(ask=multi_ask)
    reqs = await first.dispatch(first.command("quiz", subcommand="practice"))
    data = callback_data(reqs)
    assert data["flags"] & EPHEMERAL and data["embeds"][0]["title"].startswith("🏋️ 연습 문제")
    [menu] = components(data)
    assert STUDY_ID.fullmatch(menu["custom_id"]) and menu["custom_id"].startswith("quiz:ss:")
    shown = await served(first, data)
    assert shown.is_multi and menu["min_values"] == menu["max_values"] == shown.needed
    right, _ = right_and_wrong(shown)
    reqs = await first.dispatch(first.select(menu["custom_id"], right[:-1], message=_message(data)))
    assert "골라야 해요" in callback_data(reqs)["content"]
    # restart between serving and answering: the order behind the token is in the database
    second = await make_harness(first.http.state, ask=multi_ask)
    # someone else cannot answer with this member's token
    reqs = await answer_study(second, data, right=True, member=member(second, 9))
    assert "찾을 수 없어요" in callback_data(reqs)["content"]
    answered = await served(second, data)  # the order, before the answer uses the token up
    reqs = await answer_study(second, data, right=False)
    assert "아쉬워요" in callback_data(reqs)["content"] and "복습 목록" in callback_data(reqs)["content"]
    # one answer per served question: picking again on the same message records nothing
    right_again, _ = right_and_wrong(answered)
    reqs = await second.dispatch(second.select(menu["custom_id"], right_again, message=_message(data)))
    assert "이미 답했거나" in callback_data(reqs)["content"]
    second.bot.app.quiz.clock.advance(days=2)
    reqs = await second.dispatch(second.command("quiz", subcommand="review"))
    review = callback_data(reqs)
    assert review["embeds"][0]["title"].startswith("🔁 복습 문제")
    assert (await served(second, review)).question.id == shown.question.id
    reqs = await answer_study(second, review, right=True)
    assert callback_data(reqs)["content"].startswith("✅ 정답이에요!")


async def test_an_old_practice_button_says_it_expired(harness):
    reqs = await harness.dispatch(harness.click("quiz:pr:p:q-ebs-003:0"))
    assert "오래된 문제" in callback_data(reqs)["content"]


# -- custom ids that reveal nothing ------------------------------------------------------------------


def first_correct(kb: KnowledgeBase, n: int) -> KnowledgeBase:
    """``n`` choice questions whose correct option is authored first (as most of the bank's are)."""
    picked = [q for q in kb.questions.values() if q.type is QuestionType.CHOICE and q.options[0] == q.answer]
    return only(kb, lambda q: q in picked[:n])


async def test_practice_ids_never_reveal_the_authored_option(make_harness, kb):
    """With the correct option authored first, an id naming the authored index would always mark
    it the same way. Ids carry only an opaque token and the shown position: the correct option's
    position varies, no two servings share an id, and nothing names the question or an option."""
    small = first_correct(kb, 4)
    h = await make_harness(ask=AskService(small))
    positions: Counter[int] = Counter()
    ids: set[str] = set()
    for _ in range(40):
        data = callback_data(await h.dispatch(h.command("quiz", subcommand="practice")))
        shown = await served(h, data)
        buttons = components(data)
        assert all(STUDY_ID.fullmatch(b["custom_id"]) for b in buttons), buttons
        assert not any(shown.question.id in b["custom_id"] for b in buttons)
        correct = shown.choices.index(shown.question.correct_choice)
        [button] = [b for b in buttons if b["custom_id"].endswith(f":{correct}")]
        assert button["label"] == "ABCDE"[correct]
        positions[correct] += 1
        ids.add(button["custom_id"])
    assert len(ids) == 40  # a fresh token each time
    assert len(positions) >= 3 and max(positions.values()) <= 24, positions  # authored-first would be 40 at 0


async def test_a_multi_select_names_only_shown_positions(make_harness, multi_ask):
    h = await make_harness(ask=multi_ask)
    correct_values: Counter[str] = Counter()
    for _ in range(20):
        data = callback_data(await h.dispatch(h.command("quiz", subcommand="practice")))
        shown = await served(h, data)
        [menu] = components(data)
        assert [o["value"] for o in menu["options"]] == [str(i) for i in range(len(shown.choices))]
        for o in menu["options"]:  # each label is the shown letter and the option shown there
            assert o["label"] == f"{'ABCDEF'[int(o['value'])]}. {shown.choices[int(o['value'])]}"
        correct_values.update(str(shown.choices.index(a)) for a in shown.question.answers)
    assert len(correct_values) >= 5, correct_values


async def test_daily_order_is_not_derivable_from_the_guild_and_the_date(make_harness, kb):
    """The daily question is drawn with a seed anyone could rebuild (guild, date), but its option
    order comes from a secure source and is stored with the post: replaying the public seed does
    not give the order, and the correct option's button moves from day to day."""
    small = first_correct(kb, 1)
    [question] = small.questions.values()
    h = await make_harness(ask=AskService(small))
    await setup_quiz(h)
    positions: Counter[int] = Counter()
    replayed = 0
    for day in range(10):
        h.bot.app.quiz.clock.now = POST_TIME + timedelta(days=day)
        before = len(h.requests)
        await quiz_cog(h).tick()
        [post_request] = [r for r in h.requests[before:] if r.method == "POST" and r.path.endswith("/messages")]
        post = (await h.bot.app.storage.posts.with_status(PostStatus.POSTED))[-1]
        ids = [b["custom_id"] for b in components(post_request.body)]
        assert ids == [f"quiz:answer:{post.id}:{i}" for i in range(len(question.options))]
        correct = h.bot.app.quiz.shown(post).choices.index(question.answer)
        positions[correct] += 1
        rng = random.Random(f"{GUILD_ID}:{post.local_date.isoformat()}:daily")
        pick_question(small, [], rng)
        replayed += list(post.choice_order) == choice_order(question, rng)
    assert len(positions) >= 2 and replayed <= 2, (positions, replayed)


async def test_a_failing_select_answers_the_member(make_harness, multi_ask, monkeypatch):
    h = await make_harness(ask=multi_ask)
    [post_request] = await daily_post(h)
    post, shown = await live_shown(h)

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(h.bot.app.quiz, "answer", broken)
    monkeypatch.setattr(h.bot.app.quiz, "answer_study", broken)
    right, _ = right_and_wrong(shown)
    reqs = await h.dispatch(h.select(f"quiz:pick:{post.id}", right, message=_message(post_request.body)))
    content = callback_data(reqs)["content"]
    assert "문제가 생겼어요" in content and "fire" not in content
    reqs = await h.dispatch(h.select("quiz:ss:AAAAAAAAAAAAAAAA", right))
    assert "문제가 생겼어요" in callback_data(reqs)["content"]
