"""Words and lines of the mock exam that both front ends (Discord and console) show."""

from __future__ import annotations

from studybot.exam.insights import MIN_ANSWERS, PILING, Insights
from studybot.exam.readiness import READY_SHARE, Group, Readiness
from studybot.exam.rules import Tally
from studybot.exam.service import ExamPage, ExamResult, Miss
from studybot.lookup import KnowledgeBase
from studybot.messages import t
from studybot.quiz import Shown
from studybot.storage import Exam
from studybot.vocab import DOMAIN_WEIGHTS, Domain, QuestionType

LABELS = "ABCDEF"


def label(index: int, shown: Shown) -> str:
    return shown.choices[index] if shown.question.type is QuestionType.TRUEFALSE else LABELS[index]


def choice_lines(shown: Shown) -> list[str]:
    if shown.question.type is QuestionType.TRUEFALSE:
        return [t("quiz.true_line"), t("quiz.false_line")]
    return [f"**{LABELS[i]}.** {c}" for i, c in enumerate(shown.choices)]


def labels_of(shown: Shown, chosen: tuple[str, ...] | None) -> str:
    """``B, D`` for the chosen options (as this exam showed them)."""
    if not chosen:
        return t("exam.not_answered")
    marks = [label(i, shown) for i, c in enumerate(shown.choices) if c in chosen]
    if shown.question.type is QuestionType.TRUEFALSE:
        return ", ".join(marks)
    return ", ".join(f"{m}. {c}" for m, c in zip(marks, [c for c in shown.choices if c in chosen], strict=True))


def question_lines(shown: Shown) -> list[str]:
    lines = [shown.question.prompt, "", *choice_lines(shown)]
    if shown.question.type is QuestionType.MULTI:
        lines += ["", t("exam.multi_hint", count=len(shown.question.correct_choices))]
    return lines


def page_title(page: ExamPage) -> str:
    mark = t("exam.flag_mark") if page.flagged else ""
    return t("exam.page_title", number=page.position + 1, total=page.exam.questions) + mark


def progress_line(page: ExamPage) -> str:
    return t("exam.progress_value", answered=page.answered, total=page.exam.questions, flags=len(page.flags))


def domain_name(key: str) -> str:
    return t(f"exam.domain.{key}")


def percent(tally: Tally) -> int:
    return round(100 * tally.share)


def domain_lines(result: ExamResult) -> list[str]:
    out = []
    for d in result.domains:
        weight = DOMAIN_WEIGHTS[Domain(d.key)] if d.key in set(Domain) else 0
        out.append(
            t(
                "exam.domain_line",
                name=domain_name(d.key),
                weight=weight,
                correct=d.correct,
                total=d.total,
                share=percent(d),
            )
        )
    return out


def topic_lines(result: ExamResult, kb: KnowledgeBase) -> list[str]:
    return [
        t("exam.topic_line", name=kb.topic_title(x.key), correct=x.correct, total=x.total, share=percent(x))
        for x in result.topics
    ]


def minutes_used(result: ExamResult) -> int:
    return max(0, round(result.used.total_seconds() / 60))


def summary_lines(result: ExamResult) -> list[str]:
    share = round(100 * result.correct / result.total) if result.total else 0
    verdict = t("exam.pass") if result.passed else t("exam.fail")
    timeout = t("exam.result_timeout") if result.exam.timed_out else ""
    lines = [
        t("exam.result_score", correct=result.correct, total=result.total, share=share),
        t("exam.result_scaled", scaled=result.scaled, verdict=verdict),
        t("exam.result_time", used=minutes_used(result), minutes=result.exam.minutes, timeout=timeout),
        t("exam.result_answered", answered=result.answered, total=result.total),
        t("exam.result_misses", count=len(result.misses)) if result.misses else t("exam.result_perfect"),
        "",
        t("exam.result_estimate"),
    ]
    return lines


def miss_lines(miss: Miss) -> list[str]:
    return [t("exam.miss_number", position=miss.position + 1), "", *question_lines(miss.shown)]


def right_answer(miss: Miss) -> str:
    return labels_of(miss.shown, miss.shown.question.correct_choices)


def history_line(exam: Exam) -> str:
    verdict = "✅" if (exam.scaled or 0) >= 720 else "❌"
    end = exam.finished_at or exam.ends_at
    used = max(0, round((min(end, exam.ends_at) - exam.started_at).total_seconds() / 60))
    return t(
        "exam.history_line",
        date=exam.started_at.strftime("%Y-%m-%d"),
        correct=exam.correct or 0,
        total=exam.questions,
        scaled=exam.scaled or 0,
        verdict=verdict,
        used=used,
        minutes=exam.minutes,
    )


# -- readiness ------------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return t("ready.none") if value is None else f"{round(100 * value)}%"


def group_line(g: Group, name: str) -> str:
    return t(
        "ready.line",
        name=name,
        readiness=round(100 * g.readiness),
        recall=pct(g.recall),
        accuracy=pct(g.accuracy),
        seen=g.seen,
        questions=g.questions,
    )


def readiness_head(ready: Readiness) -> list[str]:
    figure = round(100 * ready.figure)
    gap = max(0, round(100 * READY_SHARE) - figure)
    verdict = t("ready.verdict_ready") if ready.ready else t("ready.verdict_gap", gap=gap)
    lines = [t("ready.figure", figure=figure, verdict=verdict)]
    if ready.exam_date is not None and ready.days_left is not None:
        if ready.days_left > 0:
            lines.append(t("ready.countdown", days=ready.days_left, date=ready.exam_date.isoformat()))
        elif ready.days_left == 0:
            lines.append(t("ready.countdown_today", date=ready.exam_date.isoformat()))
        else:
            lines.append(t("ready.countdown_past", date=ready.exam_date.isoformat()))
    else:
        lines.append(t("ready.no_date"))
    k = {kind: n for kind, (n, _) in ready.kinds.items()}
    lines.append(
        t(
            "ready.kinds",
            daily=k.get("daily", 0),
            practice=k.get("practice", 0),
            review=k.get("review", 0),
            exam=k.get("exam", 0),
            cards=ready.cards,
        )
    )
    return lines


def readiness_domain_lines(ready: Readiness) -> list[str]:
    return [group_line(g, domain_name(g.key)) for g in ready.domains]


def readiness_topic_lines(ready: Readiness, kb: KnowledgeBase) -> list[str]:
    return [group_line(g, kb.topic_title(g.key)) for g in ready.topics]


def study_next_lines(ready: Readiness, kb: KnowledgeBase) -> list[str]:
    topics = {g.key: g for g in ready.topics}
    lines = []
    for rank, key in enumerate(ready.study_next, 1):
        g = topics[key]
        lines.append(
            t(
                "ready.next_line",
                rank=rank,
                name=kb.topic_title(key),
                readiness=round(100 * g.readiness),
                seen=g.seen,
                questions=g.questions,
            )
        )
    return lines or [t("ready.next_none")]


# -- insights -------------------------------------------------------------------------------------


def trend_text(trend: float | None) -> str:
    if trend is None:
        return ""
    delta = round(100 * trend)
    if delta > 0:
        return t("insights.trend_up", delta=delta)
    if delta < 0:
        return t("insights.trend_down", delta=delta)
    return t("insights.trend_flat")


def insight_lines(ins: Insights, kb: KnowledgeBase, limit: int = 8) -> dict[str, list[str]]:
    """The sections of the insights, by title key."""
    answers = sum(f.answered for f in ins.questions)
    head = [
        t(
            "insights.summary",
            questions=len(ins.questions),
            answers=answers,
            ranked=ins.ranked,
            min=MIN_ANSWERS,
        )
    ]
    hardest = [
        t(
            "insights.question_line",
            qid=f.question_id,
            topic=kb.topic_title(f.topic_id),
            share=round(100 * f.share),
            right=f.right,
            answered=f.answered,
            index=t("ready.none") if f.discrimination is None else f"{f.discrimination:+.2f}",
            wrong=(f.top_wrong or t("insights.no_wrong"))[:40],
            count=f.top_wrong_count,
        )
        for f in ins.questions[:limit]
    ]
    topics = [
        t(
            "insights.topic_line",
            name=kb.topic_title(x.topic_id),
            share=round(100 * x.share),
            answered=x.answered,
            weeks=" → ".join(f"{round(100 * r / n)}%" if n else "-" for n, r in x.weeks),
            trend=trend_text(x.trend),
        )
        for x in ins.topics
    ]
    counts = [n for _, n in ins.participation]
    last = " ".join(str(n) for n in counts[-7:])
    participation = [t("insights.participation_line", days=last, average=sum(counts) / len(counts) if counts else 0)]
    piling = []
    bands = [*PILING[1:], None]
    for (lo, count), hi in zip(ins.piling, bands, strict=True):
        extra = t("insights.piling_hi", hi=hi - 1) if hi is not None else ""
        piling.append(t("insights.piling_line", lo=lo, hi=extra, count=count))
    return {
        "insights.title": head,
        "insights.hardest": hardest,
        "insights.topics": topics,
        "insights.participation": participation,
        "insights.piling": piling,
    }
