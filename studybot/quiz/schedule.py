"""When a guild's daily question is due, in the guild's own time zone (zoneinfo; DST-correct).

All instants are timezone-aware UTC; a guild's "day" is its local calendar date. A local post
time that does not exist on a DST spring-forward day (02:30 in New York) is taken as the same
wall-clock time in the offset before the change, i.e. one hour later in the new offset; a time
that occurs twice (autumn) is taken at its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from studybot.guild import SettingError
from studybot.messages import t

TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:시.]\s*([0-5]\d)?\s*분?\s*$|^\s*([01]?\d|2[0-3])\s*시?\s*$")


def parse_time(text: str) -> str:
    """``9:00``, ``09:30``, ``21시``, ``7`` -> ``HH:MM``."""
    match = TIME_RE.match(text or "")
    if not match:
        raise SettingError(t("setting.bad_time", text=text))
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or 0)
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class Slot:
    local_date: date
    at: datetime  # UTC instant of the post


def local_date(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def instant(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=zone)
    # Round-trip through UTC: a non-existent local time comes back normalised (see module doc).
    return local.astimezone(UTC)


def today_slot(now: datetime, hhmm: str, zone: ZoneInfo) -> Slot:
    day = local_date(now, zone)
    return Slot(day, instant(day, hhmm, zone))


def next_slot(now: datetime, hhmm: str, zone: ZoneInfo) -> Slot:
    """The first post instant strictly after ``now``."""
    slot = today_slot(now, hhmm, zone)
    if slot.at > now:
        return slot
    day = slot.local_date + timedelta(days=1)
    return Slot(day, instant(day, hhmm, zone))


def close_time(posted: datetime, hhmm: str, zone: ZoneInfo, close_hour: int | None) -> datetime:
    """When a question posted at ``posted`` closes: the next post, or the next ``close_hour`` local."""
    if close_hour is None:
        return next_slot(posted, hhmm, zone).at
    return next_slot(posted, f"{close_hour:02d}:00", zone).at
