"""`bot.py export-questions`, `bot.py import-csv` and the console's /suggest, /report and /queue."""

from __future__ import annotations

import asyncio
import csv
import io
import shutil

import bot
from studybot.app import App
from studybot.config import Settings
from studybot.lookup import check
from tests.conftest import KNOWLEDGE
from tests.test_community import HEADER, csv_text, form
from tests.test_console import make_console

GUILD = 555


def test_export_questions_writes_yaml_that_loads_back(tmp_path, monkeypatch, capsys, kb, service):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"

    async def approve() -> None:
        async with await App.open(Settings(knowledge_dir=KNOWLEDGE, database_url=url), ask=service) as app:
            for prompt in ("첫 번째 문제?", "두 번째 문제?\n둘째 줄"):
                sid = (await app.community.suggest(GUILD, 7, "m", form(kb, prompt=prompt))).suggestion.id
                await app.community.approve(GUILD, sid, 8)

    asyncio.run(approve())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE))
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    out = root / "aws-saa" / "questions" / "members.yaml"
    assert bot.main(["export-questions", "--guild", str(GUILD), "--out", str(out)]) == 0
    loaded, problems = check(root)
    assert problems == []
    assert {loaded.questions["m-1"].prompt, loaded.questions["m-2"].prompt} == {
        "첫 번째 문제?",
        "두 번째 문제?\n둘째 줄",
    }
    assert bot.main(["export-questions", "--guild", str(GUILD), "--out", str(out)]) == 1  # never overwrites
    capsys.readouterr()
    assert bot.main(["export-questions", "--guild", str(GUILD)]) == 0
    assert capsys.readouterr().out.startswith("# ")


def test_import_csv_all_or_nothing(tmp_path, monkeypatch, capsys, kb):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(root))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    base = form(kb)
    good = [
        "",
        base.section_id,
        "choice",
        "cost",
        "2",
        base.source,
        base.prompt,
        "S3 Standard|S3 Glacier Deep Archive|EBS gp3",
        "S3 Glacier Deep Archive",
        base.explanation,
    ]
    tf = [
        "",
        base.section_id,
        "truefalse",
        "cost",
        "1",
        base.source,
        "Deep Archive가 가장 싸다?",
        "",
        "O",
        base.explanation,
    ]
    bad = [*good]
    bad[8] = "EFS"  # not one of the options
    path = tmp_path / "week2 questions.csv"
    path.write_bytes(("\ufeff" + csv_text([good, tf, bad])).encode("utf-8"))
    assert bot.main(["import-csv", str(path), "--subject", "aws-saa"]) == 1
    err = capsys.readouterr().err
    assert "week2 questions.csv:4: answer: 정답이 options 중 하나와 글자 그대로 같아야 합니다" in err
    assert "아무것도 쓰지 않았습니다" in err
    target = root / "aws-saa" / "questions" / "week2 questions.yaml"
    assert not target.exists()
    path.write_bytes(("\ufeff" + csv_text([good, tf])).encode("utf-8"))
    assert bot.main(["import-csv", str(path), "--subject", "aws-saa"]) == 0
    assert "2개" in capsys.readouterr().out
    loaded, problems = check(root)
    assert problems == []
    assert loaded.questions["q-week2-questions-002"].answer is True
    assert bot.main(["import-csv", str(path), "--subject", "aws-saa"]) == 1  # never overwrites


def test_csv_export_round_trips_through_import(kb):
    """What a member exports (front/back CSV) is for Anki; what a maintainer round-trips is the
    question CSV: bank questions written as CSV come back equal through import-csv's reader."""
    from studybot.community import csv_questions

    picked = [q for q in kb.questions.values() if q.type == "choice"][:5]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for q in picked:
        writer.writerow(
            [
                "",
                "|".join(q.section_ids),
                q.type,
                q.domain,
                q.difficulty,
                q.source,
                q.prompt,
                "|".join(q.options),
                q.answer,
                q.explanation,
            ]
        )
    got, problems = csv_questions("bank.csv", out.getvalue().encode(), kb)
    assert problems == []
    assert [(g.prompt, g.options, g.answer, g.explanation, g.section_ids) for g in got] == [
        (q.prompt, q.options, q.answer, q.explanation, q.section_ids) for q in picked
    ]


async def test_console_suggest_report_queue(tmp_path, service, clock, kb):
    console = await make_console(tmp_path, service, clock)
    try:
        assert "사용법" in await console.handle("/suggest 너무 짧아요")
        f = form(kb)
        line = f"/suggest {f.section_id} | choice | cost | {f.prompt} | S3 Standard; S3 Glacier Deep Archive | B | {f.explanation} | {f.source}"
        assert "제안 #1" in await console.handle(line)
        bad = line.replace("| B |", "| Z |")
        assert "정답: 정답이 options 중 하나와 글자 그대로 같아야 합니다" in await console.handle(bad)
        assert "신고 #1" in await console.handle(f"/report {f.section_id} 설명이 틀렸어요")
        assert "사용법" in await console.handle("/report")
        queue = await console.handle("/queue")
        assert "#1 제안" in queue and "#1 신고" in queue and "설명이 틀렸어요" in queue
        # the same queue the Discord front end reads (guild 0, the local member)
        assert (await console.app.community.queue(0)).pending == 1
    finally:
        await console.app.close()
