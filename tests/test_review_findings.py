"""Integration bugs found in review (member questions, multi-response questions, DMs), each
reproduced where the features meet."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from studybot.board import BoardService
from studybot.community import CommunityService
from studybot.exam import InsightService
from studybot.quiz import multi
from studybot.storage import NewAnswer
from studybot.vocab import QuestionType
from tests.conftest import FakeClock
from tests.test_community import form

GUILD = 321
AUTHOR = 41
MOD = 42
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def a_multi(kb):
    return sorted((q for q in kb.questions.values() if q.type is QuestionType.MULTI), key=lambda q: q.id)[0]


async def daily_post(store, question, when: datetime, guild: int = GUILD):
    return await store.posts.claim(
        guild_id=guild, local_date=when.date(), slot="daily", question_id=question.id, topic_id=question.topic_id,
        choice_order=list(range(len(question.choices))), channel_id=1, now=when, snapshot=question.to_json(),
    )  # fmt: skip


async def test_insights_name_the_most_chosen_wrong_pick_of_a_multi_question_by_its_options(kb, store):
    """The stored form of a multi-response answer is authored indexes ("0,2"); the leader's
    insights showed those digits as the "most-chosen wrong option" (embed and CSV)."""
    q = a_multi(kb)
    when = NOW - timedelta(days=1)
    post = await daily_post(store, q, when)
    wrong = tuple(o for o in q.options if o not in q.answers)[: len(q.answers)]
    for user in range(10, 14):
        await store.answers.record(
            NewAnswer(post.id, GUILD, user, q.id, multi.encode(q, wrong), False, when, when.date())
        )
    service = InsightService(kb, store, FakeClock(NOW))
    ins = await service.insights(GUILD)
    [figures] = [f for f in ins.questions if f.question_id == q.id]
    assert figures.top_wrong_count == 4
    assert figures.top_wrong == ", ".join(wrong)
    assert ", ".join(wrong) in service.csv(ins)


async def test_weekly_recap_names_a_missed_member_question(kb, store):
    """The week's most-missed daily question was a member's approved question (m-<id>): the recap
    looked it up in the shipped bank only and silently dropped the "most missed" part."""
    clock = FakeClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # Tuesday in Seoul
    community = CommunityService(kb, store, clock)
    sid = (await community.suggest(GUILD, AUTHOR, "작성자", form(kb))).suggestion.id
    moderated = await community.approve(GUILD, sid, MOD)
    member_q = moderated.question
    board = BoardService(kb, store, clock)
    from studybot.quiz import QuizService

    await QuizService(kb, store, clock).setup(GUILD, 2, "09:00", "Asia/Seoul", 3)
    shipped = next(q for q in kb.questions.values() if q.type is QuestionType.CHOICE)
    for n, (q, right) in enumerate(((shipped, True), (member_q, False))):
        when = clock.now + timedelta(days=n)
        post = await daily_post(store, q, when)
        choice = q.answer if right else next(o for o in q.options if o != q.answer)
        await store.answers.record(NewAnswer(post.id, GUILD, 10, q.id, choice, right, when, when.date()))
    clock.now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # Monday 00:00 in Seoul
    [recap] = await board.recaps_due(lambda g: {})
    assert recap.missed is not None
    assert recap.missed[0].id == member_q.id and recap.missed[1:] == (1, 0)


def test_the_board_benchmark_writes_multi_answers_in_their_stored_form(kb):
    """bench/bench_board.py's choice_text returned None for a multi-response question (the
    benchmark crashed on the shipped bank with ``'NoneType' object is not subscriptable``)."""
    from bench.bench_board import choice_text

    q = a_multi(kb)
    rng = random.Random(1)
    right = choice_text(q, True, rng)
    assert right == multi.encode(q, q.answers)
    wrong = choice_text(q, False, rng)
    assert isinstance(wrong, str) and wrong != right
    picked = multi.decode(q, wrong)
    assert len(picked) == len(q.answers) and not multi.judge(q, picked)


async def make_app(tmp_path, clock, ask=None):
    from studybot.app import App
    from studybot.config import Settings
    from tests.conftest import KNOWLEDGE

    settings = Settings(knowledge_dir=KNOWLEDGE, database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    return await App.open(settings, ask=ask, clock=clock)


async def test_a_practice_question_served_in_a_dm_still_answers_after_the_member_used_another_server(
    tmp_path, service, clock
):
    """In DMs practice runs in the member's home server, which (without a plan) is the server
    they last answered in. A member in two servers who practised in a DM, then answered in the
    other server, got "이 문제를 찾을 수 없어요" when they pressed the DM question's button."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind

    app = await make_app(tmp_path, clock, service)
    try:
        some = next(iter(app.kb.questions.values()))
        await app.storage.reviews.study(1, 7, some.id, some.topic_id, StudyKind.PRACTICE, True, clock.now, after_answer)
        shown = await app.quiz.practice_question(0, 7, seed=3)  # in a DM: served in server 1
        clock.advance(minutes=1)
        await app.storage.reviews.study(2, 7, some.id, some.topic_id, StudyKind.PRACTICE, True, clock.now, after_answer)
        clock.advance(minutes=1)
        picks = list(range(shown.needed)) if shown.is_multi else None
        index = None if shown.is_multi or shown.is_short else 0
        text = "아무 답" if shown.is_short else None
        # a button copied to another member, or pressed in another server, records nothing
        assert (
            await app.quiz.answer_study(shown.token, 8, guild_id=0, index=index, picks=picks, text=text)
        ).status == "missing"
        assert (
            await app.quiz.answer_study(shown.token, 7, guild_id=2, index=index, picks=picks, text=text)
        ).status == "missing"
        outcome = await app.quiz.answer_study(shown.token, 7, guild_id=0, index=index, picks=picks, text=text)
        assert outcome.status == "recorded", outcome.status
    finally:
        await app.close()


async def test_a_second_click_on_an_answered_review_question_is_not_recorded_again(tmp_path, service, clock):
    """A practice/review question's buttons stay live after the answer and every click is
    recorded again (a new activity row and a new FSRS rating): a member who missed a review reads
    the right answer in the feedback, presses it on the same message, and the miss is rated Good
    too (due in a day instead of 20 hours); clicking on inflates /stats, /readiness (answers,
    accuracy) and the leader's participation figures."""
    from sqlalchemy import func, select

    from studybot.quiz import after_answer
    from studybot.storage.tables import activity
    from studybot.vocab import StudyKind

    app = await make_app(tmp_path, clock, service)
    try:
        q = next(q for q in app.kb.questions.values() if q.type is QuestionType.CHOICE)
        await app.storage.reviews.study(1, 7, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
        clock.advance(days=2)
        shown, _ = await app.quiz.next_review(1, 7)
        assert shown is not None and shown.question.id == q.id
        wrong = next(i for i, c in enumerate(shown.choices) if c != q.answer)
        right = shown.choices.index(q.answer)
        first = await app.quiz.answer_study(shown.token, 7, guild_id=1, index=wrong)
        assert first.status == "recorded" and not first.correct
        due_after_miss = await app.storage.reviews.next_due(1, 7)
        for _ in range(3):
            await app.quiz.answer_study(shown.token, 7, guild_id=1, index=right)
        async with app.storage.db.connect() as conn:
            rows = (await conn.execute(select(func.count()).select_from(activity))).scalar_one()
        assert rows == 2  # the first practice miss and the one review answer
        assert await app.storage.reviews.next_due(1, 7) == due_after_miss
    finally:
        await app.close()


async def test_a_card_whose_question_left_the_bank_promises_no_review(tmp_path, service, clock):
    """A review card whose question is no longer in the bank (a reload removed or renamed it: the
    week-1 bank is being replaced) is never served, yet /quiz review answered "다음 복습: <a time
    in the past>" and the reminder DM promised "복습할 문제가 1개" every day, its button serving
    nothing."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind

    app = await make_app(tmp_path, clock, service)
    try:
        topic = next(iter(app.kb.topics))
        await app.storage.reviews.study(1, 7, "q-gone-001", topic, StudyKind.PRACTICE, False, clock.now, after_answer)
        await app.plans.remind(7, 1, True, 21)
        clock.now = datetime(2026, 11, 28, 12, 10, tzinfo=UTC)  # 21:10 in Seoul two days later
        shown, next_due = await app.quiz.next_review(1, 7)
        assert shown is None
        assert next_due is None or next_due > clock.now
        assert await app.plans.reminders_due() == []
        assert (await app.board.stats(1, 7)).reviews_due == 0  # /stats: "복습할 문제: 0개"
        # a card of a question in the bank still counts, and its due date is named
        q = next(iter(app.kb.questions.values()))
        await app.storage.reviews.study(1, 7, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
        shown, next_due = await app.quiz.next_review(1, 7)
        assert shown is None and next_due is not None and next_due > clock.now
        clock.advance(days=1)
        [reminder] = await app.plans.reminders_due()
        assert reminder.due == 1
        assert (await app.board.stats(1, 7)).reviews_due == 1
    finally:
        await app.close()


async def test_the_groups_commands_in_a_dm_say_they_need_a_server(harness):
    """/quiz queue, /quiz reports and /quiz export bank:True in a DM (the app installed to the
    member) answered "Manage Server 권한이 있어야" instead of "서버 안에서만"."""
    from tests.discord_harness import DM_CHANNEL_ID
    from tests.test_cog_quiz import last_text

    for sub, options in (("queue", []), ("reports", []), ("export", [{"type": 5, "name": "bank", "value": True}])):
        payload = harness.command("quiz", options, subcommand=sub, guild_id=None, channel_id=DM_CHANNEL_ID)
        assert "서버 안에서만" in last_text(await harness.dispatch(payload)), sub


async def test_readiness_counts_the_groups_approved_questions(tmp_path, service, clock):
    """The group's approved questions are part of its bank (daily, practice, review, and the mock
    exam draws them), but /readiness left them out: a member who answered them saw no coverage
    for them, while "푼 문제" counted the answers."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind

    app = await make_app(tmp_path, clock, service)
    try:
        sid = (await app.community.suggest(GUILD, AUTHOR, "작성자", form(app.kb))).suggestion.id
        member_q = (await app.community.approve(GUILD, sid, MOD)).question
        await app.storage.reviews.study(
            GUILD, 7, member_q.id, member_q.topic_id, StudyKind.PRACTICE, True, clock.now, after_answer
        )
        ready = await app.exam.readiness(GUILD, 7)
        [topic] = [g for g in ready.topics if g.key == member_q.topic_id]
        shipped = sum(1 for q in app.kb.questions.values() if q.topic_id == member_q.topic_id)
        assert (topic.questions, topic.seen) == (shipped + 1, 1)
        assert ready.figure > 0
        # another server's readiness does not count this server's question
        other = await app.exam.readiness(GUILD + 1, 7)
        assert [g.questions for g in other.topics if g.key == member_q.topic_id] == [shipped]
    finally:
        await app.close()


async def test_a_moderator_can_save_a_multi_suggestion_edit_without_retyping_the_answers(harness):
    """The Edit modal filled the one-line answer input with the correct options' full texts,
    joined by newlines and cut to the input's 300 characters: a multi-response suggestion with
    long options came back with its answers cut, so saving any edit (say, the explanation) was
    refused with "정답이 options 중 하나와 …" until the moderator retyped every answer."""
    from tests.discord_harness import GUILD_ID, _message
    from tests.test_cog_community import (
        GOOD,
        REVIEW_ID,
        button_ids,
        open_form,
        review_posts,
        setup_with_review,
    )
    from tests.test_cog_quiz import admin, callback_data

    await setup_with_review(harness)
    modal_id = await open_form(harness, type_="multi")
    options = [
        f"{n}번 보기: " + "EFS 처리량을 스토리지 크기와 상관없이 정하는 설정에 대한 긴 설명 " * 3 for n in range(1, 6)
    ]
    typed = {**GOOD, "options": "\n".join(options), "answer": "A, C, E"}
    reqs = await harness.dispatch(harness.modal_submit(modal_id, typed))
    assert "받았어요" in callback_data(reqs)["content"], callback_data(reqs)["content"]
    [post] = review_posts(reqs)
    edit = button_ids(post.body)[1]
    message = _message(post.body, REVIEW_ID)
    reqs = await harness.dispatch(harness.click(edit, message=message, member=admin(harness), channel_id=REVIEW_ID))
    modal = reqs[-1].body["data"]
    inputs = [row["components"][0] if "components" in row else row["component"] for row in modal["components"]]
    values = {i["custom_id"]: i.get("value") or "" for i in inputs}
    short_inputs = {i["custom_id"] for i in inputs if i["style"] == 1}
    assert all("\n" not in values[k] for k in short_inputs)  # a one-line input holds one line
    values["explanation"] = "고친 해설: Provisioned 모드는 처리량을 독립적으로 정합니다."
    reqs = await harness.dispatch(
        harness.modal_submit(modal["custom_id"], values, member=admin(harness), message=message, channel_id=REVIEW_ID)
    )
    update = [r for r in reqs if r.path.endswith("/callback")][-1].body
    assert update["type"] == 7, update
    question = (await harness.bot.app.community.approve(GUILD_ID, 1, 9)).question
    assert question is not None and question.answers == (options[0].strip(), options[2].strip(), options[4].strip())
    assert question.explanation.startswith("고친 해설")


async def test_the_reveal_counts_picks_of_a_long_member_written_option(kb, store, clock):
    """A stored answer keeps at most 200 characters of the chosen option's text; a member's
    question may have longer options, and the reveal then showed 0 members for every one of
    them (the counts were looked up by the full text)."""
    import dataclasses

    from studybot.quiz import QuizService

    base = next(q for q in kb.questions.values() if q.type is QuestionType.CHOICE)
    options = tuple(f"{n}번: " + "아주 긴 보기 설명 " * 30 for n in range(1, 5))
    q = dataclasses.replace(base, id="m-77", options=options, answer=options[1], author_id=AUTHOR)
    quiz = QuizService(kb, store, clock)
    await quiz.setup(GUILD, 2, "09:00", "Asia/Seoul", 3)
    post = await daily_post(store, q, clock.now)
    await store.posts.set(post.id, status="posted")
    shown = quiz.shown(await store.posts.get(post.id))
    for user, option in ((10, options[1]), (11, options[1]), (12, options[3])):
        outcome = await quiz.answer(post.id, user, guild_id=GUILD, index=shown.choices.index(option))
        assert outcome.status == "recorded" and outcome.correct is (option == options[1])
    await quiz.drain()
    reveal = await quiz.reveal(await store.posts.get(post.id))
    assert (reveal.answered, reveal.right) == (3, 2)
    assert reveal.distribution.get(options[1]) == 2 and reveal.distribution.get(options[3]) == 1


async def test_every_command_a_message_names_exists(harness):
    """Several sentences sent admins to commands that do not exist (`/quiz setup`, `/quiz resume`,
    `/quiz now`, `/team add`, `/season start`: they are `/quiz-admin setup|resume|now`,
    `/board-admin team-add` and `/board-admin season`)."""
    import re

    from discord import app_commands

    from studybot.messages import KO

    tree = {c.name: c for c in harness.bot.tree.get_commands()}
    wrong = []
    for key, text in KO.items():
        if key.startswith("console.") or key == "quiz.multi_how":  # the console's own commands
            continue
        for mention in re.findall(r"`/([^`]+)`", text):
            words = mention.split()
            node: object = tree.get(words[0])
            for word in words[1:]:
                if not isinstance(node, app_commands.Group):
                    break  # a command's options or an example follow
                node = node.get_command(word)
            if node is None:
                wrong.append(f"{key}: /{mention}")
    assert wrong == []


def test_import_csv_names_an_unknown_subject_as_unknown(tmp_path, monkeypatch, capsys):
    """`bot.py import-csv FILE --subject nope` said "과목 id 'nope'는 소문자, 숫자, '-'만 쓸 수
    있습니다" (the importer's message for a malformed id) for a well-formed id the knowledge
    folder simply does not have."""
    import bot
    from tests.conftest import KNOWLEDGE

    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    source = tmp_path / "week2.csv"
    source.write_text("section,prompt,answer,explanation\n", encoding="utf-8")
    assert bot.main(["import-csv", str(source), "--subject", "nope", "--out", str(tmp_path / "o.yaml")]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "없습니다" in err and "aws-saa" in err
    assert "소문자" not in err


async def test_a_reminder_switched_on_in_a_dm_before_any_server_counts_the_home_servers_reviews(
    tmp_path, service, clock
):
    """`/quiz remind` in a DM before the member answered anything in a server saved the plan under
    server 0; the member's review later runs in the server they answer in (their home server),
    but the reminder kept counting server 0's reviews, so it never came."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind

    app = await make_app(tmp_path, clock, service)
    try:
        await app.plans.remind(7, 0, True, 21)  # in a DM, no server yet
        q = next(iter(app.kb.questions.values()))
        await app.storage.reviews.study(GUILD, 7, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer)
        clock.now = datetime(2026, 11, 28, 12, 10, tzinfo=UTC)  # 21:10 in Seoul two days later
        shown, _ = await app.quiz.next_review(0, 7)  # the review the reminder's button serves
        assert shown is not None and shown.question.id == q.id
        [reminder] = await app.plans.reminders_due()
        assert (reminder.guild_id, reminder.due) == (GUILD, 1)
    finally:
        await app.close()


async def test_readiness_of_another_member_is_not_shown_in_a_dm(harness, clock):
    """In DMs /readiness reads every server's answers: it is the member's own view. With the
    member option, anyone could read anyone's record (every server, exam date included) from a DM."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind
    from tests.discord_harness import DM_CHANNEL_ID
    from tests.test_cog_quiz import last_text

    other = 940000000000000777
    q = next(iter(harness.bot.app.kb.questions.values()))
    await harness.bot.app.storage.reviews.study(
        910000000000000001, other, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer
    )
    user = harness.member(user_id=other, name="other")["user"]
    payload = harness.command(
        "readiness",
        [{"type": 6, "name": "member", "value": str(other)}],
        guild_id=None,
        channel_id=DM_CHANNEL_ID,
        resolved={"users": {str(other): user}},
    )
    reqs = await harness.dispatch(payload)
    assert not [r for r in reqs if r.files], "another member's readiness was sent"
    assert "내 준비도만" in last_text(reqs)
    # one's own, in a DM, still works
    reqs = await harness.dispatch(harness.command("readiness", guild_id=None, channel_id=DM_CHANNEL_ID))
    assert [r for r in reqs if r.files]


async def test_personal_review_in_a_server_without_the_bot_runs_in_the_home_server(harness, clock):
    """With the app installed to the member (user install), /quiz review, practice and remind also
    work in servers the bot is not in. They ran under that server's id: "복습할 문제가 없어요" with
    reviews due at home, and /quiz remind there moved the member's home server to it (reminders
    then counted nothing and never came)."""
    from studybot.quiz import after_answer
    from studybot.vocab import StudyKind
    from tests.discord_harness import GUILD_ID
    from tests.test_cog_quiz import callback_data

    user, foreign = 940000000000000001, 915000000000000009
    q = next(iter(harness.bot.app.kb.questions.values()))
    await harness.bot.app.storage.reviews.study(
        GUILD_ID, user, q.id, q.topic_id, StudyKind.PRACTICE, False, clock.now, after_answer
    )
    clock.advance(days=2)

    def user_installed(payload: dict) -> dict:
        payload["authorizing_integration_owners"] = {"1": str(user)}  # not installed to this server
        return payload

    reqs = await harness.dispatch(user_installed(harness.command("quiz", subcommand="review", guild_id=foreign)))
    data = callback_data(reqs)
    assert data.get("embeds") and data["embeds"][0]["title"].startswith("🔁 복습 문제"), data
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    token = next(i for i in ids if i.startswith("quiz:s")).split(":")[2]
    served = await harness.bot.app.storage.study.get(token)
    assert served is not None and served.guild_id == GUILD_ID
    reqs = await harness.dispatch(user_installed(harness.click(ids[0], guild_id=foreign)))
    assert "찾을 수 없어요" not in callback_data(reqs)["content"]
    options = [{"type": 3, "name": "mode", "value": "on"}]
    await harness.dispatch(user_installed(harness.command("quiz", options, subcommand="remind", guild_id=foreign)))
    plan = await harness.bot.app.plans.plan(user)
    assert plan is not None and plan.guild_id in (0, GUILD_ID)
    assert await harness.bot.app.plans.home_guild(user) == GUILD_ID


async def test_two_clicks_at_once_on_a_practice_question_record_one_answer(tmp_path, service, clock):
    """The token is used up inside the answer's transaction: of two simultaneous clicks, one counts."""
    import asyncio

    app = await make_app(tmp_path, clock, service)
    try:
        shown = None
        while shown is None or shown.is_short or shown.is_multi:
            shown = await app.quiz.practice_question(1, 7)
        both = await asyncio.gather(*(app.quiz.answer_study(shown.token, 7, guild_id=1, index=i) for i in (0, 1)))
        assert sorted(o.status for o in both) == ["expired", "recorded"]
    finally:
        await app.close()
