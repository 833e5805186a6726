"""Time-zone arithmetic of the daily post (zoneinfo), including DST changes and local midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from studybot import guild
from studybot.quiz import schedule

NY = ZoneInfo("America/New_York")
SEOUL = ZoneInfo("Asia/Seoul")


def test_parse_time_variants():
    assert schedule.parse_time("9:00") == "09:00"
    assert schedule.parse_time("21시") == "21:00"
    assert schedule.parse_time("7") == "07:00"
    assert schedule.parse_time("21:30") == "21:30"
    for bad in ("25:00", "9:61", "아침", "", "12:3"):
        with pytest.raises(guild.SettingError):
            schedule.parse_time(bad)


def test_zone_validation_and_choices():
    assert guild.parse_zone("Asia/Seoul") == SEOUL
    for bad in ("Mars/Base", "", "asia/seoul ", "../etc/passwd"):
        with pytest.raises(guild.SettingError):
            guild.parse_zone(bad)
    assert guild.zone_choices("")[0] == "Asia/Seoul"
    assert "America/New_York" in guild.zone_choices("new_y")
    assert len(guild.zone_choices("a")) == 25


def test_post_instant_follows_dst_in_new_york():
    # 09:00 local is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
    assert schedule.instant(date(2026, 3, 7), "09:00", NY) == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    assert schedule.instant(date(2026, 3, 8), "09:00", NY) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    assert schedule.instant(date(2026, 11, 1), "09:00", NY) == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)


def test_nonexistent_and_repeated_local_times():
    # 02:30 does not exist on 8 March 2026 in New York: taken as 03:30 EDT (07:30 UTC).
    assert schedule.instant(date(2026, 3, 8), "02:30", NY) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    # 01:30 happens twice on 1 November 2026: the first (EDT) is used.
    assert schedule.instant(date(2026, 11, 1), "01:30", NY) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_local_date_rolls_at_local_midnight():
    just_before = datetime(2026, 11, 26, 14, 59, tzinfo=UTC)  # 23:59 in Seoul
    just_after = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 00:00 next day in Seoul
    assert schedule.local_date(just_before, SEOUL) == date(2026, 11, 26)
    assert schedule.local_date(just_after, SEOUL) == date(2026, 11, 27)
    slot = schedule.today_slot(just_after, "00:00", SEOUL)
    assert slot.local_date == date(2026, 11, 27) and slot.at == just_after


def test_close_time_default_is_next_post_and_hour_option():
    posted = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 Seoul
    assert schedule.close_time(posted, "09:00", SEOUL, None) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert schedule.close_time(posted, "09:00", SEOUL, 21) == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    # across the spring-forward night the next post is 23 hours later
    posted_ny = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    assert schedule.close_time(posted_ny, "09:00", NY, None) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
