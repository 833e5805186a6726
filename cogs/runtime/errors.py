"""One error boundary for every entry point: commands and autocomplete (the tree), views,
dynamic items and modals. The member always gets a clear Korean reply; the log gets the context;
no traceback ever reaches the member."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from cogs.runtime.replies import reply
from studybot.messages import t

log = logging.getLogger("studybot")


def _where(interaction: discord.Interaction) -> str:
    data: dict = dict(interaction.data or {})
    what = interaction.command.qualified_name if interaction.command else data.get("custom_id", "?")
    return f"{interaction.type.name} {what} guild={interaction.guild_id} user={interaction.user.id}"


async def tell_member(interaction: discord.Interaction, error: BaseException) -> None:
    """Log an unexpected failure with its context and answer the member (response or followup)."""
    log.error("interaction failed: %s", _where(interaction), exc_info=error)
    if interaction.type is discord.InteractionType.autocomplete:
        return  # an autocomplete has no message to show; Discord shows "loading options failed"
    try:
        await reply(interaction, t("error.generic"))
    except discord.HTTPException:
        log.warning("could not report an error to the member", exc_info=True)


class StudyTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandOnCooldown):
            message = t("ask.cooldown", seconds=max(error.retry_after, 1))
        elif isinstance(error, app_commands.NoPrivateMessage):
            message = t("error.guild_only")
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or t("error.no_permission")
        else:
            await tell_member(interaction, getattr(error, "original", error))
            return
        try:
            await reply(interaction, message)
        except discord.HTTPException:
            log.warning("could not report an error to the member", exc_info=True)


class SafeView(discord.ui.View):
    """A view whose item errors answer the member instead of "This interaction failed"."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await tell_member(interaction, error)


async def route_modal(
    interaction: discord.Interaction, handler: Callable[[discord.Interaction], Awaitable[Any]]
) -> None:
    """A modal submit handled by its custom id (a modal opened before a restart still counts
    after it), inside the same error boundary as every other entry point."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    try:
        await handler(interaction)
    except Exception as exc:
        await tell_member(interaction, exc)


class SafeModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception, *_item: Any) -> None:
        await tell_member(interaction, error)


class Guarded:
    """Mixed into every ``DynamicItem``: discord.py only logs a failing dynamic item's callback
    (the member sees "This interaction failed"); here the member gets a reply."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.run(interaction)
        except Exception as exc:
            await tell_member(interaction, exc)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
