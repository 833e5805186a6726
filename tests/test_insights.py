"""Insights for the group leader on a seeded data set: share right, the upper-lower
discrimination index (including a question the strong members miss), the most-chosen wrong
option, topic trends over four weeks, participation per day, reviews piling up (counts only),
the CSV, the Korean chart; and /quiz insights through real discord.py (Manage Server only)."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, date, datetime, timedelta

import pytest

from studybot.exam import InsightService
from studybot.exam.chart import insights_png
from studybot.exam.insights import discrimination, rank_groups
from studybot.quiz import after_answer
from studybot.storage import NewAnswer
from studybot.vocab import StudyKind
from tests.conftest import FakeClock
from tests.discord_harness import GUILD_ID
from tests.test_cog_quiz import admin, callback_data

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
STRONG = list(range(100, 105))
WEAK = list(range(200, 205))


def pick(kb, n: int):
    qs = sorted((q for q in kb.questions.values() if q.type == "choice"), key=lambda q: q.id)
    return qs[:n]


async def seed(store, kb, guild: int = 1):
    """Three daily questions on three days, two and three weeks ago and yesterday: the strong
    members get the first two right and the third wrong, the weak members the other way round."""
    q1, q2, q3 = pick(kb, 3)
    days = [NOW - timedelta(days=20), NOW - timedelta(days=13), NOW - timedelta(days=1)]
    for n, (q, when) in enumerate(zip((q1, q2, q3), days, strict=True)):
        post = await store.posts.claim(
            guild_id=guild, local_date=when.date(), slot="daily", question_id=q.id, topic_id=q.topic_id,
            choice_order=list(range(len(q.options))), channel_id=1, now=when, snapshot=q.to_json(),
        )  # fmt: skip
        wrong = next(o for o in q.options if o != q.answer)
        for user in STRONG + WEAK:
            right = (user in STRONG) == (n < 2)
            await store.answers.record(
                NewAnswer(post.id, guild, user, q.id, q.answer if right else wrong, right, when, when.date())
            )
    return q1, q2, q3


async def test_insights_on_a_seeded_group(kb, store):
    q1, q2, q3 = await seed(store, kb)
    some = next(iter(kb.questions.values()))
    for user, count in ((STRONG[0], 12), (WEAK[0], 6), (WEAK[1], 1)):
        for q in list(kb.questions.values())[:count]:
            await store.reviews.study(
                1, user, q.id, q.topic_id, StudyKind.PRACTICE, False, NOW - timedelta(days=2), after_answer
            )
    await store.reviews.study(
        1, WEAK[2], some.id, some.topic_id, StudyKind.PRACTICE, False, NOW, after_answer
    )  # not due yet
    service = InsightService(kb, store, FakeClock(NOW))
    ins = await service.insights(1)
    figures = {f.question_id: f for f in ins.questions}
    assert figures[q1.id].share == 0.5 and figures[q1.id].answered == 10
    assert figures[q1.id].discrimination == 1.0
    assert figures[q3.id].discrimination == -1.0  # the strong members miss it: check the key
    assert figures[q1.id].top_wrong == next(o for o in q1.options if o != q1.answer)
    assert figures[q1.id].top_wrong_count == 5
    assert ins.ranked == 10
    # participation: 10 members on each of the three days, 0 elsewhere, 28 days shown
    assert len(ins.participation) == 28 and sum(1 for _, n in ins.participation if n == 10) == 3
    assert ins.participation[-1][0] == date(2026, 12, 1)
    # per topic over four weeks: the trend of a topic whose questions fell in two weeks
    by_topic = {x.topic_id: x for x in ins.topics}
    assert sum(x.answered for x in ins.topics) >= 30
    assert all(len(x.weeks) == 4 for x in ins.topics)
    weeks = by_topic[q1.topic_id].weeks  # 20 days ago: the second week of four; yesterday: the last
    assert weeks[0] == (0, 0) and weeks[1][0] >= 10 and weeks[3][0] >= 10
    assert by_topic[q3.topic_id].trend is not None
    # reviews piling up: counts of members per band, no ids
    assert ins.piling == [(1, 1), (5, 1), (10, 1)]
    rows = list(csv.reader(io.StringIO(service.csv(ins))))
    assert rows[0][:5] == ["question_id", "topic", "answered", "right", "share_right"]
    assert {r[0] for r in rows[1:]} == {q1.id, q2.id, q3.id}


def test_discrimination_needs_enough_ranked_members():
    assert rank_groups([(1, 5, 5)]) == ([], [], 1)
    assert rank_groups([(1, 2, 2), (2, 2, 0)]) == ([], [], 0)  # fewer than 3 answers: not ranked
    upper, lower, ranked = rank_groups([(u, 4, u % 5) for u in range(8)])
    assert ranked == 8 and set(upper) == {3, 4} and set(lower) == {0, 5}
    index = discrimination({"q": (2, 2), "r": (2, 1)}, {"q": (2, 0), "s": (1, 1)})
    assert index == {"q": 1.0}


def test_the_insights_chart_speaks_korean(kb):
    from studybot.exam.insights import Insights, TopicTrend

    ins = Insights(
        1,
        [],
        [TopicTrend(t, [(4, 2)] * 4, 16, 8) for t in kb.topics],
        [(date(2026, 11, d), d % 5) for d in range(1, 29)],
        [],
        0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = insights_png(ins, kb)
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert png.startswith(b"\x89PNG")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


async def test_quiz_insights_through_discord(harness, kb):
    await seed(harness.bot.app.storage, kb, GUILD_ID)
    reqs = await harness.dispatch(harness.command("quiz", subcommand="insights"))
    assert "Manage Server" in callback_data(reqs)["content"]  # members are refused in code
    reqs = await harness.dispatch(harness.command("quiz", subcommand="insights", member=admin(harness)))
    followup = [r for r in reqs if r.path.startswith("/webhooks/") and r.method == "POST"][-1]
    embed = followup.body["embeds"][0]
    assert embed["title"] == "🔎 스터디 인사이트" and embed["image"]["url"] == "attachment://insights.png"
    names = [f["name"] for f in embed["fields"]]
    assert names[:2] == ["가장 어려운 문제 (정답률 · 변별도 · 가장 많이 고른 오답)", "주제별 정답률 (최근 4주, 주마다)"]
    assert "변별도 -1.00" in embed["fields"][0]["value"] or "변별도 +1.00" in embed["fields"][0]["value"]
    assert sorted(f.filename for f in followup.files) == ["insights.csv", "insights.png"]
    assert {a["filename"] for a in followup.body["attachments"]} == {"insights.csv", "insights.png"}
