"""Small Discord helpers every feature's front end uses."""

from __future__ import annotations

from collections.abc import Callable

import discord


def namer(guild: discord.Guild | None) -> Callable[[int], str]:
    """Display names from the guild cache; a mention (never a ping) for anyone not cached."""

    def name(user_id: int) -> str:
        member = guild.get_member(user_id) if guild else None
        return discord.utils.escape_markdown(member.display_name) if member else f"<@{user_id}>"

    return name


def role_members(guild: discord.Guild | None) -> Callable[[int], dict[int, set[int]]]:
    """For the board's team standings: guild id -> {role id: ids of the members holding it}."""

    def members(guild_id: int) -> dict[int, set[int]]:
        if guild is None or guild.id != guild_id:
            return {}
        return {role.id: {m.id for m in role.members} for role in guild.roles}

    return members


def when(moment) -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:f>"


class UploadFile(discord.File):
    """A file upload whose ``attachments`` entry carries the id as a string snowflake, as Discord's
    OpenAPI spec documents it (discord.py writes the upload index as an integer)."""

    def to_dict(self, index: int) -> dict:
        payload = super().to_dict(index)
        payload["id"] = str(index)
        return payload


def submitted_value(data: dict, field: str) -> str:
    """A text input's value from a modal submit payload (plain rows or labelled components)."""
    for row in data.get("components", []):
        for component in row.get("components", []) + ([row["component"]] if "component" in row else []):
            if component.get("custom_id") == field:
                return str(component.get("value") or "")
    return ""
