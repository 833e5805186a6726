"""Discord rendering of core answers: embeds and the buttons that open a section."""

from __future__ import annotations

import re

import discord

from studybot.ask import Answer, AskService, fit
from studybot.knowledge import Section
from studybot.messages import t

NO_PINGS = discord.AllowedMentions.none()
EMBED_COLOUR = discord.Colour.from_rgb(255, 153, 0)


def section_embed(answer: Answer) -> discord.Embed:
    assert answer.section is not None
    embed = discord.Embed(
        title=fit(answer.section.title, 256), description=fit(answer.section.body, 4000), colour=EMBED_COLOUR
    )
    embed.add_field(name=t("ask.path"), value=fit(answer.path, 1024), inline=False)
    embed.set_footer(text=t("ask.footer"))
    return embed


def sections_view(sections: tuple[Section, ...] | list[Section]) -> discord.ui.View | None:
    """Up to 5 buttons (one row) that each open a section; they keep working after a restart."""
    if not sections:
        return None
    view = discord.ui.View(timeout=None)
    for section in list(sections)[:5]:
        view.add_item(SectionButton(section.id, section.title))
    return view


class SectionButton(discord.ui.DynamicItem[discord.ui.Button], template=r"ask:section:(?P<sid>[a-z0-9-]{1,80})"):
    def __init__(self, section_id: str, title: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=fit(title or section_id, 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"ask:section:{section_id}",
                emoji="📘",
            )
        )
        self.section_id = section_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["sid"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        service: AskService = interaction.client.app.ask  # type: ignore[attr-defined]
        answer = service.section(self.section_id)
        if answer is None:
            await interaction.response.send_message(t("ask.unknown_section"), ephemeral=True, allowed_mentions=NO_PINGS)
            return
        await send_answer(interaction, answer)


async def send_answer(interaction: discord.Interaction, answer: Answer) -> None:
    if answer.section is not None:
        kwargs = {"embed": section_embed(answer)}
        view = sections_view(answer.related)
    else:
        kwargs = {"content": fit(answer.message, 2000)}
        view = sections_view(answer.suggestions)
    if view is not None:
        kwargs["view"] = view
    await interaction.response.send_message(ephemeral=answer.section is None, allowed_mentions=NO_PINGS, **kwargs)


def namer(guild: discord.Guild | None):
    """Display names from the guild cache; a mention (never a ping) for anyone not cached."""

    def name(user_id: int) -> str:
        member = guild.get_member(user_id) if guild else None
        return discord.utils.escape_markdown(member.display_name) if member else f"<@{user_id}>"

    return name


class ResetView(discord.ui.View):
    """The confirmation for `/quiz reset`: only the admin who asked can press it."""

    def __init__(self, admin_id: int):
        super().__init__(timeout=120)
        self.admin_id = admin_id
        self.confirm.label = t("reset.button")
        self.cancel.label = t("reset.cancel")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.admin_id:
            await interaction.response.send_message(t("error.no_permission"), ephemeral=True, allowed_mentions=NO_PINGS)
            return False
        return True

    @discord.ui.button(style=discord.ButtonStyle.danger, custom_id="quiz:reset:confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        count = await interaction.client.app.board.reset(  # type: ignore[attr-defined]
            interaction.guild_id
        )  # type: ignore[arg-type]
        self.stop()
        await interaction.response.edit_message(content=t("reset.done", count=count), view=None)

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="quiz:reset:cancel")
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=t("reset.cancelled"), view=None)


class UploadFile(discord.File):
    """A file upload whose ``attachments`` entry carries the id as a string snowflake, as Discord's
    OpenAPI spec documents it (discord.py writes the upload index as an integer)."""

    def to_dict(self, index: int) -> dict:
        payload = super().to_dict(index)
        payload["id"] = str(index)
        return payload
