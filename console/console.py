"""Offline console: the bot's features over the same core and the same SQLite store, with no
Discord token. Each line is a command like a slash command (``/ask efs 처리량``); a line without
a slash is treated as ``/ask``. The console plays as one local member in a local "guild" 0."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from console.exam import ExamConsole
from console.markdown import for_terminal
from studybot.app import App
from studybot.board import text as board_text
from studybot.board.chart import stats_png
from studybot.community import FLAG_REPORTERS, MAX_PENDING, QuestionForm
from studybot.lookup import render_text
from studybot.messages import t
from studybot.quiz import CONSOLE_GUILD, Shown
from studybot.quiz import text as quiz_text
from studybot.vocab import Period, ReportTarget, RevealMode

Handler = Callable[[str], Awaitable[str]]
LOCAL_MEMBER = 1


def render_question(shown: Shown, title_key: str, topic: str) -> str:
    lines = [t(title_key, topic=topic), shown.question.prompt, ""]
    if shown.is_short:
        lines.append(t("console.short_hint"))
    else:
        lines += [line.replace("**", "") for line in quiz_text.choice_lines(shown)]
        if shown.is_multi:
            count = quiz_text.count_word(shown.needed)
            lines.append(t("console.multi_hint", count=count, example=quiz_text.pick_example(shown)))
    return "\n".join(lines)


class Console:
    def __init__(self, app: App, out: TextIO | None = None, chart_dir: Path | None = None):
        self.app = app
        self.chart_dir = chart_dir or Path("console-charts")
        self.out = out or sys.stdout
        self.current: tuple[str, Shown] | None = None  # ("daily" | "practice" | "review", question)
        self.commands: dict[str, Handler] = {
            "/ask": self.ask,
            "/help": self.help,
            "/quiz": self.daily,
            "/answer": self.answer,
            "/practice": self.practice,
            "/review": self.review,
            "/leaderboard": self.leaderboard,
            "/stats": self.stats,
            "/suggest": self.suggest,
            "/report": self.report,
            "/queue": self.queue,
        }
        self.exam = ExamConsole(app, LOCAL_MEMBER, self.chart_dir)
        self.commands.update(self.exam.commands())

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def topic(self, shown: Shown) -> str:
        return self.app.kb.topic_title(shown.question.topic_id)

    async def ask(self, arg: str) -> str:
        return self.markdown(render_text(self.app.ask.ask(arg)))

    def markdown(self, text: str) -> str:
        return for_terminal(text, self.out)

    async def help(self, arg: str) -> str:
        return t("console.help")

    async def daily(self, arg: str) -> str:
        """Today's question for the local member (posted once per local day, like on Discord)."""
        quiz = self.app.quiz
        settings = await quiz.settings(CONSOLE_GUILD)
        if settings is None:
            settings = await quiz.setup(CONSOLE_GUILD, 0, "00:00", "Asia/Seoul", None)
            settings = await quiz.update(CONSOLE_GUILD, reveal_mode=RevealMode.IMMEDIATE) or settings
        claimed = await quiz.claim(settings)
        if claimed is not None:
            post, shown = claimed
            await quiz.posted(post, 0, settings)
        else:
            current = await quiz.current(CONSOLE_GUILD)
            if current is None:
                return t("quiz.closed")
            shown = current
        self.current = ("daily", shown)
        return render_question(shown, "quiz.daily_title", self.topic(shown))

    async def practice(self, arg: str) -> str:
        topic = arg.strip() or None
        if topic and topic not in self.app.kb.topics:
            names = ", ".join(tid for tid, _ in self.app.quiz.topics())
            return t("quiz.no_topic", topic=topic) + f"\n({names})"
        shown = await self.app.quiz.practice_question(CONSOLE_GUILD, LOCAL_MEMBER, topic)
        if shown is None:
            return t("quiz.no_topic", topic=topic or "")
        self.current = ("practice", shown)
        return render_question(shown, "quiz.practice_title", self.topic(shown))

    async def review(self, arg: str) -> str:
        shown, next_due = await self.app.quiz.next_review(CONSOLE_GUILD, LOCAL_MEMBER)
        if shown is None:
            return (
                t("quiz.review_empty", when=next_due.astimezone().strftime("%Y-%m-%d %H:%M"))
                if next_due
                else t("quiz.review_none")
            )
        self.current = ("review", shown)
        return render_question(shown, "quiz.review_title", self.topic(shown))

    def name(self, user_id: int) -> str:
        return t("console.me") if user_id == LOCAL_MEMBER else str(user_id)

    async def leaderboard(self, arg: str) -> str:
        name = arg.strip().lower() or Period.WEEK
        if name not in set(Period):
            return t("console.bad_period", periods=", ".join(Period))
        period = Period(name)
        board = await self.app.board.board(CONSOLE_GUILD, period, caller=LOCAL_MEMBER)
        if period is Period.SEASON and board.season is None:
            return t("board.no_season")
        title = t("board.title", period=board_text.period_label(board))
        lines = board_text.board_lines(board, 0, self.name, LOCAL_MEMBER)
        return "\n".join([title, *(line.replace("**", "") for line in lines)])

    async def stats(self, arg: str) -> str:
        stats = await self.app.board.stats(CONSOLE_GUILD, LOCAL_MEMBER)
        path = self.chart_dir / "stats.png"
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        titles = {tid: self.app.kb.topic_title(tid) for tid, _, _ in stats.topics}
        path.write_bytes(await asyncio.to_thread(stats_png, stats, titles))
        lines = [
            t("stats.title", name=t("console.me")),
            *board_text.stats_lines(stats, self.app.kb),
            t("stats.chart_saved", path=path),
        ]
        return "\n".join(line.replace("**", "") for line in lines)

    async def answer(self, arg: str) -> str:
        if self.current is None:
            return t("console.no_question")
        kind, shown = self.current
        index: int | None = None
        picks: tuple[int, ...] | None = None
        if shown.is_multi:
            parsed = quiz_text.picks_of(arg, shown)
            if isinstance(parsed, str):
                return parsed
            picks = parsed
        elif not shown.is_short:
            index = quiz_text.index_of(arg, shown)
            if index is None:
                labels = ", ".join(quiz_text.label(i, shown) for i in range(len(shown.choices)))
                return t("quiz.invalid") + f" ({labels})"
        if kind == "daily":
            outcome = await self.app.quiz.answer(
                shown.post_id or 0, LOCAL_MEMBER, guild_id=CONSOLE_GUILD, index=index, text=arg, picks=picks
            )
        else:
            outcome = await self.app.quiz.answer_study(
                shown.token, LOCAL_MEMBER, guild_id=CONSOLE_GUILD, index=index, text=arg, picks=picks
            )
            self.current = None
        return quiz_text.feedback(outcome)

    async def suggest(self, arg: str) -> str:
        """``/suggest section | type | domain | prompt | option; option | answer | explanation | source``:
        the same check and the same queue as /quiz suggest (as the local member)."""
        parts = [p.strip() for p in arg.split("|")]
        if len(parts) != 8:
            return t("console.suggest_usage")
        section, qtype, domain, prompt, options, answer, explanation, source = parts
        form = QuestionForm(
            section_id=section,
            type=qtype,
            domain=domain,
            difficulty=2,
            prompt=prompt,
            options="\n".join(o.strip() for o in options.split(";")),
            answer=answer,
            explanation=explanation,
            source=source,
        )
        submitted = await self.app.community.suggest(CONSOLE_GUILD, LOCAL_MEMBER, t("console.me"), form)
        if submitted.refused:
            return submitted.refused
        if submitted.suggestion is None:
            return t("community.invalid", problems="\n".join(submitted.problems))
        return t("community.submitted", id=submitted.suggestion.id, pending=submitted.pending, limit=MAX_PENDING)

    async def report(self, arg: str) -> str:
        """``/report section-id what is wrong`` (a section of the notes), or ``/report what is
        wrong`` about the question being answered."""
        first, _, rest = arg.partition(" ")
        if first in self.app.kb.sections and rest.strip():
            section = self.app.kb.sections[first]
            kind, target, shown, reason = ReportTarget.SECTION, first, f"{section.title}\n{section.body}", rest
        elif self.current is not None and arg.strip():
            question = self.current[1].question
            kind, target, shown, reason = ReportTarget.QUESTION, question.id, question.prompt, arg
        else:
            return t("console.report_usage")
        reported = await self.app.community.report(CONSOLE_GUILD, LOCAL_MEMBER, kind, target, shown, reason, "console")
        return t("report.thanks", id=reported.report.id)

    async def queue(self, arg: str) -> str:
        queue = await self.app.community.queue(CONSOLE_GUILD)
        if not queue.suggestions and not queue.reports:
            return t("community.queue_empty")
        shown = len(queue.suggestions) + len(queue.reports)
        lines = [t("community.queue_head", pending=queue.pending, open=queue.open, shown=shown)]
        for suggestion, _question in queue.suggestions:
            section = (suggestion.payload.get("sections") or [""])[0]
            prompt = str(suggestion.payload.get("prompt", "")).splitlines()[0][:60]
            lines.append(
                t(
                    "console.queue_line_s",
                    id=suggestion.id,
                    section=section,
                    author=self.name(suggestion.author_id),
                    prompt=prompt,
                )
            )
        for report, count in queue.reports:
            flag = f" ⚠️ {t('report.flagged', count=count)}" if count >= FLAG_REPORTERS else ""
            lines.append(
                t("console.queue_line_r", id=report.id, target=report.target_id, flag=flag, reason=report.reason[:60])
            )
        return "\n".join(lines)

    async def handle(self, line: str) -> str | None:
        """The reply to one input line; None means quit."""
        line = line.strip()
        if not line:
            return ""
        if not line.startswith("/"):
            line = "/ask " + line
        command, _, arg = line.partition(" ")
        command = command.lower()
        if command in ("/quit", "/exit"):
            return None
        handler = self.commands.get(command)
        if handler is None:
            return t("console.unknown", command=command)
        return await handler(arg.strip())

    async def run(self, lines: TextIO | None = None, stop: asyncio.Event | None = None) -> int:
        """Answer line by line until end of input, /quit, or ``stop`` (SIGTERM, SIGINT)."""
        source = lines or sys.stdin
        stop = stop or asyncio.Event()
        queue = _line_reader(source)
        self.say(t("console.welcome"))
        while not stop.is_set():
            if source is sys.stdin and sys.stdin.isatty():
                print("> ", end="", file=self.out, flush=True)
            next_line = asyncio.ensure_future(queue.get())
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait({next_line, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if not next_line.done():
                next_line.cancel()
                break
            line = next_line.result()
            if not line:
                break
            reply = await self.handle(line)
            if reply is None:
                break
            if reply:
                self.say(reply)
        await self.app.quiz.drain()
        self.say(t("console.bye"))
        return 0


def _line_reader(source: TextIO) -> asyncio.Queue[str]:
    """Lines from ``source``, read by a daemon thread: a stop never waits for the next line."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            try:
                line = source.readline()
            except (OSError, ValueError, UnicodeDecodeError):
                line = ""
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            except RuntimeError:  # the event loop has ended (the console stopped)
                return
            if not line:
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return queue
