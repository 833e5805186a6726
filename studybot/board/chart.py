"""The /stats picture: 30 days of study activity and accuracy per topic (matplotlib, no screen),
in Korean with the packaged font (studybot.fonts)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from studybot.board.service import Stats
from studybot.fonts import FONT
from studybot.messages import t

__all__ = ["FONT", "stats_png"]


def stats_png(stats: Stats, titles: Mapping[str, str] | None = None) -> bytes:
    """A PNG with two panels; topics by their titles (``titles``: topic id -> title)."""
    fig = Figure(figsize=(10, 3.6), dpi=100)  # no pyplot: no global state, safe off the main thread
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    days = [d for d, _ in stats.daily_activity]
    counts = [c for _, c in stats.daily_activity]
    left.bar(range(len(days)), counts, color="#ff9900")
    left.set_title(t("stats.chart_days"))
    ticks = list(range(0, len(days), 7))
    left.set_xticks(ticks, [days[i].strftime("%m-%d") for i in ticks])
    left.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers only
    left.set_ylabel(t("stats.chart_answers"))
    topics = stats.topics[:10]
    if topics:
        names = [(titles or {}).get(tid, tid)[:18] for tid, _, _ in topics][::-1]
        acc = [100 * c / n for _, n, c in topics][::-1]
        right.barh(names, acc, color="#3b82f6")
        right.set_xlim(0, 100)
    else:
        right.text(0.5, 0.5, t("stats.chart_none"), ha="center", va="center")
    right.set_title(t("stats.chart_topics"))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
