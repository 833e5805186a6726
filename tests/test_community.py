"""Member questions, moderation, reports and exports over a real store (studybot/community/)."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import zipfile

import pytest

from studybot.board import BoardService
from studybot.community import CommunityService, QuestionForm, csv_questions
from studybot.community.export import ANKI_MODEL_ID, bank_yaml
from studybot.lookup import check
from studybot.quiz import QuizService
from studybot.vocab import Decided, Period, ReportStatus, ReportTarget, SuggestionStatus
from tests.conftest import KNOWLEDGE

GUILD = 321
AUTHOR = 41
MOD = 42


def form(kb, **changes) -> QuestionForm:
    section = next(iter(kb.sections))
    data = dict(
        section_id=section,
        type="choice",
        domain="cost",
        difficulty=2,
        prompt="한 회사가 로그를 1년 보관하면서 가장 싸게 두려고 합니다. 어떤 선택이 맞을까요?",
        options="S3 Standard\nS3 Glacier Deep Archive\nEBS gp3\nEFS Standard",
        answer="B",
        explanation="거의 읽지 않는 장기 보관은 Deep Archive가 가장 저렴합니다.",
        source="https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html",
    )
    data.update(changes)
    return QuestionForm(**data)


def anki_notes(apkg: bytes, folder) -> list[list[str]]:
    """The notes of an Anki package (a zip holding a SQLite collection), each as its fields."""
    archive = zipfile.ZipFile(io.BytesIO(apkg))
    assert "collection.anki2" in archive.namelist()
    path = folder / "collection.anki2"
    path.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(path) as db:
        rows = db.execute("select flds from notes order by id").fetchall()
        models = db.execute("select models from col").fetchone()[0]
    assert str(ANKI_MODEL_ID) in models
    return [row[0].split("\x1f") for row in rows]


@pytest.fixture
def community(kb, store, clock):
    return CommunityService(kb, store, clock)


async def test_suggestion_is_checked_by_the_bank_rules(community, kb):
    bad = form(kb, options="S3\nS3", answer="EFS", source="http://example.com", explanation="")
    result = await community.suggest(GUILD, AUTHOR, "작성자", bad)
    assert result.suggestion is None
    text = "\n".join(result.problems)
    # the same messages as `bot.py check`
    assert "보기: 같은 보기가 두 번 있습니다" in text
    assert "정답: 정답이 options 중 하나와 글자 그대로 같아야 합니다" in text
    assert "출처 URL: https:// 로 시작하는 URL이어야 합니다" in text
    assert "해설: 비어 있습니다" in text
    ok = await community.suggest(GUILD, AUTHOR, "작성자", form(kb))
    assert ok.suggestion is not None and ok.question is not None
    assert ok.question.answer == "S3 Glacier Deep Archive" and ok.question.author_id == AUTHOR
    tf = await community.suggest(GUILD, AUTHOR, "작성자", form(kb, type="truefalse", options="", answer="거짓"))
    assert tf.question is not None and tf.question.answer is False
    gone = await community.suggest(GUILD, AUTHOR, "작성자", form(kb, section_id="no-such-section"))
    assert gone.refused and "찾을 수 없어요" in gone.refused


async def test_at_most_five_pending_even_when_submitted_together(community, kb):
    results = await asyncio.gather(*(community.suggest(GUILD, AUTHOR, "a", form(kb)) for _ in range(8)))
    accepted = [r for r in results if r.suggestion]
    assert len(accepted) == 5
    assert all("5개" in (r.refused or "") for r in results if not r.suggestion)
    assert "5개" in (await community.can_suggest(GUILD, AUTHOR, next(iter(kb.sections))) or "")
    assert await community.can_suggest(GUILD, AUTHOR + 1, next(iter(kb.sections))) is None
    # a decision frees a slot
    await community.reject(GUILD, accepted[0].suggestion.id, MOD, "중복")
    assert await community.can_suggest(GUILD, AUTHOR, next(iter(kb.sections))) is None


async def test_approve_twice_makes_one_question_and_it_is_drawn(community, kb, store, clock):
    sid = (await community.suggest(GUILD, AUTHOR, "a", form(kb))).suggestion.id
    first, second = await asyncio.gather(community.approve(GUILD, sid, MOD), community.approve(GUILD, sid, MOD))
    assert sorted([first.status, second.status]) == [Decided.ALREADY, Decided.DONE]
    # a restart: a new service over the same database, the click again
    again = await CommunityService(kb, store, clock).approve(GUILD, sid, MOD)
    assert again.status is Decided.ALREADY
    assert [q.id for q in await community.questions(GUILD)] == [f"m-{sid}"]
    assert (await community.suggestion(GUILD, sid)).status is SuggestionStatus.APPROVED
    assert await community.approve(GUILD + 1, sid, MOD) == type(first)(Decided.MISSING)  # another guild's
    quiz = QuizService(kb, store, clock)
    bank = await quiz.bank(GUILD)
    assert f"m-{sid}" in bank and bank[f"m-{sid}"].author_id == AUTHOR
    assert f"m-{sid}" not in await quiz.bank(GUILD + 1)
    # the daily draw serves it once the shipped bank's cycle is used up
    import random

    from studybot.quiz.bank import pick_question

    used = [(q.id, q.topic_id) for q in kb.questions.values()]
    picked = pick_question(kb, used, random.Random(1), await quiz.member_questions(GUILD))
    assert picked.id == f"m-{sid}"
    outcome = await quiz.check_practice(GUILD, 7, picked.id, "EBS gp3", "practice")
    assert outcome.question.id == picked.id and not outcome.correct
    shown, _ = await quiz.next_review(GUILD, 7)
    assert shown is None  # due tomorrow
    clock.advance(days=2)
    shown, _ = await quiz.next_review(GUILD, 7)
    assert shown.question.id == picked.id


async def test_an_approved_member_question_joins_the_guilds_exams(community, kb, store, clock):
    import dataclasses

    from studybot.exam import ExamService

    sid = (await community.suggest(GUILD, AUTHOR, "a", form(kb))).suggestion.id
    await community.approve(GUILD, sid, MOD)
    bare = dataclasses.replace(kb, questions={})  # a bank with nothing shipped: only the group's question
    exam = ExamService(bare, store, clock)
    exam.member_questions = QuizService(bare, store, clock).member_questions
    view = await exam.start(GUILD, 7, questions=1, minutes=2)
    assert view.page is not None and view.page.shown.question.id == f"m-{sid}"
    other = await exam.start(GUILD + 1, 7, questions=1, minutes=2)
    assert other.page is None  # another guild's bank does not have it


async def test_edit_and_reject(community, kb):
    sid = (await community.suggest(GUILD, AUTHOR, "a", form(kb))).suggestion.id
    bad = await community.edit(GUILD, sid, {"answer": "Z"})
    assert bad.status is Decided.INVALID and any("정답" in p for p in bad.problems)
    good = await community.edit(GUILD, sid, {"answer": "S3 Standard", "prompt": "고친 문제?"})
    assert good.status is Decided.DONE and good.question.prompt == "고친 문제?"
    assert good.question.answer == "S3 Standard"
    rejected = await community.reject(GUILD, sid, MOD, "근거가 부족해요")
    assert rejected.status is Decided.DONE and rejected.suggestion.reason == "근거가 부족해요"
    assert (await community.reject(GUILD, sid, MOD, "x")).status is Decided.ALREADY
    assert (await community.approve(GUILD, sid, MOD)).status is Decided.ALREADY
    assert (await community.edit(GUILD, sid, {"prompt": "x?"})).status is Decided.ALREADY


async def test_reports_flagged_from_three_members_and_resolved_once(community, kb):
    section = next(iter(kb.sections))
    for user in (1, 2, 2, 3):
        reported = await community.report(GUILD, user, ReportTarget.SECTION, section, "본문", "틀렸어요", "https://x")
    assert reported.reporters == 3 and reported.flagged
    queue = await community.queue(GUILD)
    assert queue.open == 4 and all(n == 3 for _, n in queue.reports)
    rid = queue.reports[0][0].id
    done = await community.resolve(GUILD, rid, MOD, fixed=True)
    assert done.status is Decided.DONE and done.report.status is ReportStatus.FIXED
    assert (await community.resolve(GUILD, rid, MOD, fixed=False)).status is Decided.ALREADY
    assert (await community.resolve(GUILD + 1, rid, MOD, fixed=False)).status is Decided.MISSING


async def test_author_bonus_is_small_and_capped(community, kb, store, clock):
    sid = (await community.suggest(GUILD, AUTHOR, "a", form(kb))).suggestion.id
    await community.approve(GUILD, sid, MOD)
    quiz = QuizService(kb, store, clock)
    settings = await quiz.setup(GUILD, 5, "09:00", "Asia/Seoul", None)
    for n in range(2):  # two posts of the author's question on one day: the bonus once
        post = await store.posts.claim(
            guild_id=GUILD,
            local_date=clock().date(),
            slot=f"now-{n}",
            question_id=f"m-{sid}",
            topic_id="x",
            choice_order=[0, 1, 2, 3],
            channel_id=5,
            now=clock(),
            snapshot=None,
        )
        await quiz.posted(post, 1000 + n, settings)
    board = await BoardService(kb, store, clock).board(GUILD, Period.ALL)
    [author] = [s for s in board.standings if s.user_id == AUTHOR]
    assert author.points == 5 and author.answered == 0


async def test_exports_open_back(community, kb, store, clock, tmp_path):
    quiz = QuizService(kb, store, clock)
    missed = [q for q in kb.questions.values() if q.type == "choice"][:3]
    for q in missed:
        wrong = next(o for o in q.options if o != q.answer)
        await quiz.check_practice(GUILD, 9, q.id, wrong, "practice")
    assert (await community.export_missed(GUILD, 10)).count == 0
    result = await community.export_missed(GUILD, 9)
    assert result.count == 3
    fronts = [fields[0] for fields in anki_notes(result.apkg, tmp_path)]
    assert len(fronts) == 3 and all(any(q.prompt[:20] in f for f in fronts) for q in missed)
    rows = list(csv.reader(io.StringIO(result.csv)))
    assert rows[0] == ["front", "back", "section", "topic"] and len(rows) == 4


async def test_exported_yaml_loads_back_through_the_loader(community, kb, tmp_path):
    sid = (await community.suggest(GUILD, AUTHOR, "a", form(kb, prompt="첫 줄\n둘째 줄?"))).suggestion.id
    await community.approve(GUILD, sid, MOD)
    text, count = await community.bank_yaml(GUILD)
    assert count == 1
    root = tmp_path / "knowledge"
    import shutil

    shutil.copytree(KNOWLEDGE, root)
    (root / "aws-saa" / "questions" / "members.yaml").write_text(text, encoding="utf-8")
    loaded, problems = check(root)
    assert problems == []
    assert loaded.questions[f"m-{sid}"].prompt == "첫 줄\n둘째 줄?"


HEADER = ["id", "section", "type", "domain", "difficulty", "source", "prompt", "options", "answer", "explanation"]


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def test_csv_round_trip_and_errors_name_file_line_column(kb):
    questions = [q for q in kb.questions.values() if q.type in ("choice", "truefalse")][:4]
    rows = []
    for q in questions:
        answer = q.answer if q.type == "choice" else ("O" if q.answer else "X")
        options = "|".join(q.options)
        rows.append(
            [
                f"x-{q.id}",
                q.section_ids[0],
                q.type,
                q.domain,
                q.difficulty,
                q.source,
                q.prompt,
                options,
                answer,
                q.explanation,
            ]
        )
    raw = ("\ufeff" + csv_text(rows)).encode("utf-8")  # Excel's BOM
    got, problems = csv_questions("qs.csv", raw, kb)
    assert problems == [] and [q.prompt for q in got] == [q.prompt for q in questions]
    assert [q.answer for q in got] == [q.answer for q in questions]
    assert bank_yaml(got).startswith("questions:")
    got_cp949, problems = csv_questions("qs.csv", csv_text(rows).encode("cp949", errors="replace"), kb)
    assert problems == [] and len(got_cp949) == 4
    # a bad row: the file, the line where the row starts and the column are named; nothing comes back
    rows[2][3] = "speed"
    line = csv_text(rows[:2]).count("\n") + 1
    got, problems = csv_questions("qs.csv", csv_text(rows).encode(), kb)
    assert got == []
    assert [str(p) for p in problems] == [
        f"qs.csv:{line}: domain: domain은 secure, resilient, performance, cost 중 하나여야 합니다"
    ]
    rows[2][3], rows[3][1] = "cost", "no-such-section"
    _, problems = csv_questions("qs.csv", csv_text(rows).encode(), kb)
    assert [(p.field, "no-such-section" in p.message) for p in problems] == [("section", True)]
    _, problems = csv_questions("bad.csv", b"prompt,answer\n", kb)
    assert problems[0].line == 1 and "section" in problems[0].message
    _, problems = csv_questions("bin.csv", b"\xff\xfegarbage"[2:] + b"\x80\x81\xff", kb)
    assert problems and problems[0].field == "(file)"


async def test_a_suggestion_whose_section_was_removed_is_not_approved(community, kb, store, clock):
    from dataclasses import replace as copy

    from studybot.lookup import KnowledgeBase

    f = form(kb)
    sid = (await community.suggest(GUILD, AUTHOR, "a", f)).suggestion.id
    sections = {k: v for k, v in kb.sections.items() if k != f.section_id}
    smaller = KnowledgeBase(kb.subjects, kb.topics, sections, dict(kb.questions), kb.synonyms)
    reloaded = CommunityService(smaller, store, clock)  # a reload removed the section
    result = await reloaded.approve(GUILD, sid, MOD)
    assert result.status is Decided.INVALID
    assert any(f"없는 섹션 id '{f.section_id}'" in p for p in result.problems)
    assert (await reloaded.suggestion(GUILD, sid)).status is SuggestionStatus.PENDING  # nothing lost
    assert reloaded.preview(await reloaded.suggestion(GUILD, sid)) is None
    assert (await reloaded.suggest(GUILD, AUTHOR, "a", copy(f))).refused  # a form opened before the reload


def test_author_bonus_rule():
    from datetime import date

    from studybot.board import scoring

    assert [scoring.author_points(n) for n in (0, 1, 2, 5)] == [0, 5, 5, 5]
    day = date(2026, 11, 26)
    rows = [(1, day, 1, 1)]  # member 1 answered right; member 2 only wrote the day's question
    board = scoring.standings(rows, day, day, authored=[(2, day, 2), (1, day, 1), (3, date(2026, 11, 1), 1)])
    assert [(s.user_id, s.points) for s in board] == [(1, 15), (2, 5)]  # member 3's bonus is before the period
