"""The mock exam, readiness and the exam date in the offline console (``/exam``, ``/pick``,
``/next``, ``/prev``, ``/go``, ``/flag``, ``/finish``, ``/history``, ``/readiness``,
``/examdate``): the same services the Discord commands call, as the console's local member."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from studybot.app import App
from studybot.exam import ExamPage, ExamView, desired_retention
from studybot.exam import text as exam_text
from studybot.exam.chart import insights_png, readiness_png
from studybot.guild import SettingError
from studybot.messages import t
from studybot.quiz import CONSOLE_GUILD
from studybot.vocab import ExamOutcome

Handler = Callable[[str], Awaitable[str]]


def plain(lines: list[str]) -> str:
    return "\n".join(line.replace("**", "") for line in lines)


class ExamConsole:
    def __init__(self, app: App, user_id: int, chart_dir: Path):
        self.app = app
        self.user_id = user_id
        self.chart_dir = chart_dir
        self.page: ExamPage | None = None

    def commands(self) -> dict[str, Handler]:
        return {
            "/exam": self.start,
            "/pick": self.pick,
            "/next": self.next,
            "/prev": self.prev,
            "/go": self.go,
            "/flag": self.flag,
            "/finish": self.finish,
            "/history": self.history,
            "/readiness": self.readiness,
            "/examdate": self.exam_date,
            "/insights": self.insights,
        }

    def render(self, view: ExamView) -> str:
        kb = self.app.kb
        if view.page is not None:
            self.page = page = view.page
            head = []
            if view.outcome is ExamOutcome.STARTED:
                head.append(
                    t(
                        "exam.started",
                        questions=page.exam.questions,
                        minutes=page.exam.minutes,
                        end=_clock(page),
                        left=t("exam.minutes_left", minutes=page.exam.minutes),
                    )
                )
            lines = [
                *head,
                exam_text.page_title(page),
                *exam_text.question_lines(page.shown),
                "",
                f"{t('exam.time_left')}: {_clock(page)}",
                exam_text.progress_line(page),
                f"{t('exam.your_answer')}: {exam_text.labels_of(page.shown, page.chosen)}",
            ]
            return plain(lines)
        if view.result is not None:
            self.page = None
            result = view.result
            lines = [t("exam.expired")] if view.outcome is ExamOutcome.EXPIRED else []
            lines += [t("exam.result_title"), *exam_text.summary_lines(result), ""]
            lines += [t("exam.by_domain"), *exam_text.domain_lines(result), "", t("exam.by_topic")]
            lines += exam_text.topic_lines(result, kb)
            for n, miss in enumerate(result.misses, 1):
                q = miss.shown.question
                lines += [
                    "",
                    t("exam.miss_title", number=n, count=len(result.misses), topic=kb.topic_title(q.topic_id)),
                    *exam_text.miss_lines(miss),
                    f"{t('exam.your_answer')}: {exam_text.labels_of(miss.shown, miss.chosen)}",
                    f"{t('exam.right_answer')}: {exam_text.right_answer(miss)}",
                    f"{t('quiz.explanation')}: {q.explanation}",
                    *(f"{t('quiz.source')}: {kb.path(s)}" for s in q.section_ids if s in kb.sections),
                ]
            return plain(lines)
        if view.outcome is ExamOutcome.MISSING:
            return t("exam.none_running")
        return view.detail or t("error.generic")

    async def start(self, arg: str) -> str:
        parts = arg.split()
        if not all(p.isdigit() for p in parts) or len(parts) > 2:
            return t("exam.bad_questions", most=65)
        numbers = [int(p) for p in parts]
        questions = numbers[0] if numbers else None
        minutes = numbers[1] if len(numbers) > 1 else None
        return self.render(await self.app.exam.start(CONSOLE_GUILD, self.user_id, questions, minutes))

    async def pick(self, arg: str) -> str:
        page = self.page
        if page is None:
            return t("exam.none_running")
        wanted = [w for w in arg.replace(",", " ").upper().split() if w]
        labels = [exam_text.label(i, page.shown).upper() for i in range(len(page.shown.choices))]
        if not wanted or any(w not in labels for w in wanted):
            return t("quiz.invalid") + f" ({', '.join(labels)})"
        indexes = [labels.index(w) for w in wanted]
        return self.render(
            await self.app.exam.answer(page.exam.id, CONSOLE_GUILD, self.user_id, page.position, indexes)
        )

    async def _move(self, position: int) -> str:
        page = self.page
        if page is None:
            return t("exam.none_running")
        return self.render(await self.app.exam.show(page.exam.id, CONSOLE_GUILD, self.user_id, position))

    async def next(self, arg: str) -> str:
        return await self._move(self.page.position + 1 if self.page else 0)

    async def prev(self, arg: str) -> str:
        return await self._move(self.page.position - 1 if self.page else 0)

    async def go(self, arg: str) -> str:
        return await self._move(int(arg) - 1 if arg.strip().isdigit() else -1)

    async def flag(self, arg: str) -> str:
        page = self.page
        if page is None:
            return t("exam.none_running")
        return self.render(await self.app.exam.flag(page.exam.id, CONSOLE_GUILD, self.user_id, page.position))

    async def finish(self, arg: str) -> str:
        return self.render(await self.app.exam.finish(CONSOLE_GUILD, self.user_id))

    async def history(self, arg: str) -> str:
        exams = await self.app.exam.history(CONSOLE_GUILD, self.user_id)
        lines = [exam_text.history_line(e) for e in exams] or [t("exam.history_none")]
        return plain([t("exam.history_title"), *lines])

    async def readiness(self, arg: str) -> str:
        ready = await self.app.exam.readiness(CONSOLE_GUILD, self.user_id)
        kb = self.app.kb
        me = t("console.me")
        path = self.chart_dir / "readiness.png"
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(await asyncio.to_thread(readiness_png, ready, kb, me))
        lines = [
            t("ready.title", name=me),
            *exam_text.readiness_head(ready),
            "",
            t("ready.by_domain"),
            *exam_text.readiness_domain_lines(ready),
            "",
            t("ready.by_topic"),
            *exam_text.readiness_topic_lines(ready, kb),
            "",
            t("ready.next"),
            *exam_text.study_next_lines(ready, kb),
            "",
            f"{t('ready.how_title')} {t('ready.how')}",
            t("stats.chart_saved", path=path),
        ]
        return plain(lines)

    async def insights(self, arg: str) -> str:
        service = self.app.insights
        found = await service.insights(CONSOLE_GUILD)
        path = self.chart_dir / "insights.png"
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(await asyncio.to_thread(insights_png, found, self.app.kb))
        (self.chart_dir / "insights.csv").write_text(service.csv(found), encoding="utf-8-sig")
        lines = []
        for key, part in exam_text.insight_lines(found, self.app.kb).items():
            lines += [t(key), *part, ""]
        lines += [t("insights.how"), t("stats.chart_saved", path=path)]
        return plain(lines)

    async def exam_date(self, arg: str) -> str:
        plans = self.app.plans
        if arg.strip() in ("", "clear", "지우기"):
            return t("plan.date_cleared") if await plans.clear_date(self.user_id) else t("plan.date_none")
        try:
            plan = await plans.set_date(self.user_id, CONSOLE_GUILD, arg)
        except SettingError as exc:
            return str(exc)
        days = plans.days_left(plan) or 0
        assert plan.exam_date is not None
        return t(
            "plan.date_set",
            date=plan.exam_date.isoformat(),
            days=days,
            retention=round(100 * desired_retention(days), 1),
        ).replace("**", "")


def _clock(page: ExamPage) -> str:
    return page.exam.ends_at.astimezone().strftime("%H:%M:%S")
