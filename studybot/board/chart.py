"""The /stats picture: 30 days of study activity and accuracy per topic (matplotlib, no screen)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from studybot.board.service import Stats


def stats_png(stats: Stats) -> bytes:
    """A PNG with two panels. Labels use topic ids (ASCII) so no Hangul font is needed."""
    fig = Figure(figsize=(10, 3.6), dpi=100)  # no pyplot: no global state, safe off the main thread
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    days = [d for d, _ in stats.daily_activity]
    counts = [c for _, c in stats.daily_activity]
    left.bar(range(len(days)), counts, color="#ff9900")
    left.set_title("Answers per day (last 30 days)")
    ticks = list(range(0, len(days), 7))
    left.set_xticks(ticks, [days[i].strftime("%m-%d") for i in ticks])
    left.set_ylabel("answers")
    topics = stats.topics[:10]
    if topics:
        names = [t for t, _, _ in topics][::-1]
        acc = [100 * c / n for _, n, c in topics][::-1]
        right.barh(names, acc, color="#3b82f6")
        right.set_xlim(0, 100)
    else:
        right.text(0.5, 0.5, "no answers yet", ha="center", va="center")
    right.set_title("Accuracy by topic (%)")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
