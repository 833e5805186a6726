"""The /readiness and /quiz insights pictures, in Korean (the packaged font of studybot.fonts):
readiness, recall, accuracy and coverage per exam domain, and readiness per topic; members per day
and accuracy per topic (matplotlib, no screen, drawn off the event loop by the caller)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from studybot.exam.insights import Insights
from studybot.exam.readiness import READY_SHARE, Readiness
from studybot.fonts import FONT
from studybot.lookup import KnowledgeBase
from studybot.messages import t

__all__ = ["FONT", "insights_png", "readiness_png"]

METRICS = ("readiness", "recall", "accuracy", "coverage")
COLOURS = ("#2563eb", "#16a34a", "#f59e0b", "#9ca3af")


def readiness_png(ready: Readiness, kb: KnowledgeBase, name: str) -> bytes:
    fig = Figure(figsize=(11, 4.4), dpi=100)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    fig.suptitle(t("ready.chart_title", name=name, figure=round(100 * ready.figure)))
    groups = ready.domains or ready.topics[:6]
    labels = [t(f"ready.short.{g.key}") if ready.domains else kb.topic_title(g.key)[:10] for g in groups]
    width = 0.2
    for m, (metric, colour) in enumerate(zip(METRICS, COLOURS, strict=True)):
        values = []
        for g in groups:
            value = {"readiness": g.readiness, "recall": g.recall, "accuracy": g.accuracy, "coverage": g.coverage}[
                metric
            ]
            values.append(100 * (value or 0.0))
        xs = [i + (m - 1.5) * width for i in range(len(groups))]
        left.bar(xs, values, width, label=t(f"ready.metric.{metric}"), color=colour)
    left.axhline(100 * READY_SHARE, color="#dc2626", linestyle="--", linewidth=1)
    left.text(len(groups) - 0.5, 100 * READY_SHARE + 2, t("ready.chart_line"), color="#dc2626", ha="right")
    left.set_xticks(range(len(groups)), labels)
    left.set_ylim(0, 105)
    left.yaxis.set_major_formatter(PercentFormatter())
    left.set_title(t("ready.chart_domains"))
    left.legend(loc="upper left", fontsize=8, ncols=2)
    topics = ready.topics[::-1]
    if topics:
        right.barh([kb.topic_title(g.key) for g in topics], [100 * g.readiness for g in topics], color="#2563eb")
        right.set_xlim(0, 100)
        right.xaxis.set_major_formatter(PercentFormatter())
        right.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    right.set_title(t("ready.chart_topics"))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def insights_png(ins: Insights, kb: KnowledgeBase) -> bytes:
    """Members answering per day over four weeks (an integer axis) and accuracy per topic."""
    fig = Figure(figsize=(11, 4.2), dpi=100)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    fig.suptitle(t("insights.chart_title"))
    days = [d for d, _ in ins.participation]
    counts = [n for _, n in ins.participation]
    left.bar(range(len(days)), counts, color="#ff9900")
    ticks = list(range(0, len(days), 7))
    left.set_xticks(ticks, [days[i].strftime("%m-%d") for i in ticks])
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_ylabel(t("insights.chart_members"))
    left.set_title(t("insights.chart_participation"))
    topics = [x for x in ins.topics if x.answered][::-1]
    if topics:
        right.barh([kb.topic_title(x.topic_id) for x in topics], [100 * x.share for x in topics], color="#2563eb")
    right.set_xlim(0, 100)
    right.xaxis.set_major_formatter(PercentFormatter())
    right.set_title(t("insights.chart_topics"))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
