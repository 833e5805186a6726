"""The offline console: same core, same store, no Discord."""

from __future__ import annotations

import io
import json

import pytest

from console.console import Console
from studybot.app import App
from studybot.config import Settings
from studybot.exam import text as exam_text
from tests.conftest import KNOWLEDGE
from tests.test_knowledge import run_bot


async def make_console(tmp_path, service, clock) -> Console:
    settings = Settings(knowledge_dir=KNOWLEDGE, database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    return Console(await App.open(settings, ask=service, clock=clock), out=io.StringIO(), chart_dir=tmp_path / "charts")


def typed(shown, *, right: bool) -> str:
    """What a member types to answer a shown question right or wrong (letters as shown)."""
    q = shown.question
    if shown.is_short:
        return q.accepted[0] if right else "전혀 아닌 답"
    if q.type == "truefalse":
        return q.correct_choice if right else next(c for c in shown.choices if c != q.correct_choice)
    positions = [i for i, c in enumerate(shown.choices) if (c in q.correct_choices) == right]
    if shown.is_multi and not right:  # the right count with one wrong option among them
        good = [i for i, c in enumerate(shown.choices) if c in q.correct_choices]
        positions = sorted(good[1:] + positions[:1])
    elif not shown.is_multi:
        positions = positions[:1]
    return " ".join("abcdef"[i] for i in positions)


async def test_console_ask_quiz_answer_practice_review(tmp_path, service, clock):
    console = await make_console(tmp_path, service, clock)
    try:
        assert "EFS 처리량 모드" in await console.handle("/ask efs 처리량")
        assert "EFS 처리량 모드" in await console.handle("efs throughput")  # no slash: a look-up
        assert "풀고 있는 문제가 없어요" in await console.handle("/answer A")
        daily = await console.handle("/quiz")
        assert "오늘의 문제" in daily
        assert await console.handle("/quiz") == daily  # once per local day
        _kind, shown = console.current
        assert "정답이에요" in await console.handle(f"/answer {typed(shown, right=True)}")
        assert "이미" in await console.handle(f"/answer {typed(shown, right=False)}")
        practice = await console.handle("/practice ebs")
        assert "연습 문제" in practice
        _, shown = console.current
        assert "아쉬워요" in await console.handle(f"/answer {typed(shown, right=False)}")
        assert "다음 복습" in await console.handle("/review")
        clock.advance(days=2)
        assert "복습 문제" in await console.handle("/review")
        board = await console.handle("/leaderboard")
        assert "이번 주" in board and "콘솔 사용자 —" in board and "◀" in board
        assert "기간은" in await console.handle("/leaderboard yesterday")
        stats = await console.handle("/stats")
        assert "정답률" in stats and str(tmp_path / "charts" / "stats.png") in stats
        assert (tmp_path / "charts" / "stats.png").read_bytes()[:4] == b"\x89PNG"
        assert "모르는 명령" in await console.handle("/dance")
        assert await console.handle("/quit") is None
    finally:
        await console.app.close()


async def test_console_answers_multi_response_questions(tmp_path, kb, clock):
    from studybot.lookup import AskService, KnowledgeBase

    questions = {q.id: q for q in kb.questions.values() if q.type == "multi"}
    ask = AskService(KnowledgeBase(kb.subjects, kb.topics, kb.sections, questions, kb.synonyms))
    console = await make_console(tmp_path, ask, clock)
    try:
        daily = await console.handle("/quiz")
        _, shown = console.current
        word = {2: "두", 3: "세"}[shown.needed]
        example = "b d f" if shown.needed == 3 else "b d"
        assert f"답을 {word} 개 고르세요" in daily and f"예: /answer {example})" in daily
        assert f"예: `/answer {example}`" in await console.handle("/answer")
        assert f"{word} 개 골라야 해요" in await console.handle("/answer a")
        assert "'Z'은(는) 보기에 없어요" in await console.handle("/answer a z")
        assert "두 번 골랐어요" in await console.handle("/answer a a")
        right = typed(shown, right=True)
        assert "정답이에요" in await console.handle("/answer " + right.replace(" ", "").upper())  # "BD" works too
        assert f"이미 '{right.upper().replace(' ', ', ')}'" in await console.handle(
            f"/answer {typed(shown, right=False)}"
        )
        practice = await console.handle("/practice")
        assert "연습 문제" in practice and "개 고르세요" in practice
        _, shown = console.current
        assert "아쉬워요" in await console.handle(f"/answer {typed(shown, right=False).replace(' ', ',')}")
        clock.advance(days=2)
        assert "복습 문제" in await console.handle("/review")
        _, review = console.current
        assert review.question.id == shown.question.id
        assert "정답이에요" in await console.handle(f"/answer {typed(review, right=True)}")
    finally:
        await console.app.close()


@pytest.mark.slow
def test_bot_ask_cli_text_and_json(tmp_path):
    out = run_bot("ask", "efs throughput")
    assert out.returncode == 0 and "EFS 처리량 모드" in out.stdout
    out = run_bot("ask", "--json", "gp3 vs io2")
    data = json.loads(out.stdout)
    assert set(data) == {"query", "found", "answer", "related", "suggestions"}
    out = run_bot("ask", "--json", stdin="efs throughput\nsqs fifo 처리량\n\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["efs throughput", "sqs fifo 처리량", ""]
    assert lines[0]["found"] and lines[0]["answer"]["id"] == "efs-throughput-modes"
    assert lines[0]["answer"]["text"] and lines[0]["answer"]["path"].startswith("AWS SAA")
    assert not lines[1]["found"] and lines[1]["answer"] is None
    assert not lines[2]["found"]


@pytest.mark.slow
def test_bot_ask_draws_markdown_for_a_terminal_and_keeps_it_for_a_pipe():
    import os
    import pty
    import subprocess
    import sys

    from tests.test_knowledge import ROOT

    assert "**" in run_bot("ask", "efs throughput").stdout  # a script gets what Discord gets
    master, slave = pty.openpty()  # a person at a terminal
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "bot.py"), "ask", "efs throughput"],
            stdout=slave,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    text = shown.decode()
    assert done.returncode == 0 and "EFS 처리량 모드" in text and "**" not in text


@pytest.mark.slow
def test_bot_without_token_points_at_console(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["DISCORD_TOKEN"] = ""
    out = run_bot(env=env)
    assert out.returncode == 2 and "python bot.py console" in out.stderr


async def test_console_draws_the_answer_markdown_for_the_terminal(tmp_path, service, clock):
    console = await make_console(tmp_path, service, clock)
    try:
        text = await console.handle("/ask gp2 vs io2 차이")
        raw = service.ask("gp2 vs io2 차이").compare_text()
        assert "**" in raw and "## " in raw  # the notes' Markdown ...
        assert "**" not in text and "## " not in text  # ... drawn, not printed
        assert "gp3 (최신, 권장)" in text and "• " in text
        assert all(line == line.rstrip() for line in text.splitlines())
    finally:
        await console.app.close()


async def test_console_exam_readiness_and_exam_date(tmp_path, service, clock):
    console = await make_console(tmp_path, service, clock)
    try:
        assert "진행 중인 모의고사가 없어요" in await console.handle("/finish")
        page = await console.handle("/exam 3 6")
        assert "3문제, 6분" in page and "모의고사 1/3" in page
        shown = console.exam.page.shown
        right = [i for i, c in enumerate(shown.choices) if c in shown.question.correct_choices]
        labels = ",".join(exam_text.label(i, shown) for i in right)
        assert "모의고사 2/3" in await console.handle(f"/pick {labels}")
        assert "알 수 없는" not in await console.handle("/flag")
        assert "모의고사 1/3" in await console.handle("/prev")
        assert "모의고사 3/3" in await console.handle("/go 3")
        assert "그 답은 받을 수 없어요" in await console.handle("/pick Z")
        result = await console.handle("/finish")
        assert "1/3" in result and "환산 점수(추정)" in result and "틀린 문제 1/2" in result
        assert "노트 보기: AWS SAA" in result
        assert "1/3" in await console.handle("/history")
        assert "D-24" in await console.handle("/examdate 2026-12-20")
        ready = await console.handle("/readiness")
        assert "준비도" in ready and "D-24" in ready and "FSRS" in ready
        assert (tmp_path / "charts" / "readiness.png").read_bytes()[:4] == b"\x89PNG"
        assert "지웠어요" in await console.handle("/examdate clear")
        insights = await console.handle("/insights")
        assert "스터디 인사이트" in insights and "참여" in insights
        assert (tmp_path / "charts" / "insights.png").read_bytes()[:4] == b"\x89PNG"
    finally:
        await console.app.close()
