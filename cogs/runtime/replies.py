"""Replying to members safely: ephemeral by default, never a ping, response or followup as
needed; the admin check every admin command carries; DMs with the body Discord documents."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from studybot.messages import t

if TYPE_CHECKING:
    from cogs.runtime.bot import StudyBot
    from studybot.app import App

log = logging.getLogger("studybot")
NO_PINGS = discord.AllowedMentions.none()


async def reply(interaction: discord.Interaction, content: str, **kwargs: Any) -> None:
    """An ephemeral reply whether or not the interaction was already answered."""
    kwargs.setdefault("ephemeral", True)
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if interaction.response.is_done():
        await interaction.followup.send(content, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


async def send_dm(bot: discord.Client, user_id: int, content: str, **kwargs: Any) -> None:
    """DM a member. The DM channel is opened with the body Discord documents (the recipient id as
    a string snowflake; discord.py's ``User.send`` sends an integer)."""
    route = discord.http.Route("POST", "/users/@me/channels")
    data = await bot.http.request(route, json={"recipient_id": str(user_id)})
    await bot.get_partial_messageable(int(data["id"])).send(content, allowed_mentions=NO_PINGS, **kwargs)


def guild_of(interaction: discord.Interaction) -> int:
    """The interaction's guild id; every caller is a guild-only command (checked by Discord and
    by ``guild_only``), so a missing one is a member-facing check failure, not a crash."""
    if interaction.guild_id is None:
        raise MemberFacingCheck(t("error.guild_only"))
    return interaction.guild_id


def study_guild(interaction: discord.Interaction) -> int:
    """The server a member's personal study (practice, review, reminders) runs in: the
    interaction's, or 0 (the member's home server, as in DMs) in a DM and in a server the app is
    only installed to the member in (user install: the bot is not there)."""
    if interaction.guild_id is None:
        return 0
    if interaction.is_user_integration() and not interaction.is_guild_integration():
        return 0
    return interaction.guild_id


def app_of(interaction: discord.Interaction) -> App:
    """The services of the bot the interaction arrived at."""
    return cast("StudyBot", interaction.client).app


class MemberFacingCheck(app_commands.CheckFailure):
    """A failed check whose message is for the member (shown by the tree's error handler)."""


def is_manager(interaction: discord.Interaction) -> bool:
    perms = interaction.permissions
    return bool(perms.manage_guild or perms.administrator)


def manager_only():
    """For admin commands: ``default_permissions`` hides them (a hint Discord applies to the
    whole group); this check enforces it in code."""

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise MemberFacingCheck(t("error.guild_only"))
        if not is_manager(interaction):
            raise MemberFacingCheck(t("error.no_permission"))
        return True

    return app_commands.check(predicate)
