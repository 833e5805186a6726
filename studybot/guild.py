"""A guild's settings and its time zone (zoneinfo + tzdata): shared by the quiz and the board."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from studybot.messages import t
from studybot.vocab import RevealMode

DEFAULT_TZ = "Asia/Seoul"


class SettingError(ValueError):
    """A setting a member typed that we cannot use; the message is for them (Korean)."""


@cache
def _zones() -> tuple[str, ...]:
    names = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return (*names, "UTC")


def parse_zone(name: str) -> ZoneInfo:
    if not name or name.strip() != name or name not in _zones():
        raise SettingError(t("setting.bad_zone", name=name))
    return ZoneInfo(name)


def zone_choices(current: str, limit: int = 25) -> list[str]:
    """Time zones for autocomplete: those containing what was typed, Asia/Seoul first."""
    needle = (current or "").strip().lower().replace(" ", "_")
    found = [z for z in _zones() if needle in z.lower()]
    found.sort(
        key=lambda z: (z != DEFAULT_TZ, not z.lower().startswith(needle), z.split("/")[-1].lower().find(needle) != 0, z)
    )
    return found[:limit]


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    channel_id: int
    post_time: str
    timezone: str
    paused: bool = False
    reveal_mode: RevealMode = RevealMode.AT_CLOSE
    close_hour: int | None = None
    admin_id: int | None = None
    last_error: str | None = None
    review_channel_id: int | None = None  # where member suggestions and reports are moderated

    @property
    def zone(self) -> ZoneInfo:
        return parse_zone(self.timezone)
