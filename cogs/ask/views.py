"""Discord rendering of look-up answers: embeds and the buttons that open a section."""

from __future__ import annotations

import re

import discord

from cogs.community.views import report_button
from cogs.runtime import NO_PINGS, Guarded, SafeView
from cogs.runtime.replies import app_of
from studybot.lookup import Answer, Section, fit
from studybot.messages import t
from studybot.vocab import ReportTarget

EMBED_COLOUR = discord.Colour.from_rgb(255, 153, 0)


COMPARE_BODY = 2700  # two embeds in one message share Discord's 6,000-character budget


def section_embed(answer: Answer) -> discord.Embed:
    assert answer.section is not None
    embed = discord.Embed(
        title=fit(answer.section.title, 256), description=fit(answer.section.body, 4000), colour=EMBED_COLOUR
    )
    embed.add_field(name=t("ask.path"), value=fit(answer.path, 1024), inline=False)
    embed.set_footer(text=t("ask.footer"))
    return embed


def compare_embeds(answer: Answer) -> list[discord.Embed]:
    """A composed comparison: one embed per side, side by side in one message."""
    assert answer.compared is not None
    return [
        discord.Embed(title=fit(s.title, 256), description=fit(s.body, COMPARE_BODY), colour=EMBED_COLOUR)
        for s in answer.compared
    ]


def sections_view(*groups: tuple[tuple[Section, ...] | list[Section], str]) -> discord.ui.View | None:
    """One row of up to 5 buttons per group (sections, label) that each open a section; they
    keep working after a restart."""
    view = SafeView(timeout=None)
    for sections, label in groups:
        for section in list(sections)[:5]:
            view.add_item(SectionButton(section.id, f"{label}: {section.title}" if label else section.title))
    return view if view.children else None


class SectionButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"ask:section:(?P<sid>[a-z0-9-]{1,80})"
):
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
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["sid"], getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        answer = app_of(interaction).ask.section(self.section_id)
        if answer is None:
            await interaction.response.send_message(t("ask.unknown_section"), ephemeral=True, allowed_mentions=NO_PINGS)
            return
        await send_answer(interaction, answer)


async def send_answer(interaction: discord.Interaction, answer: Answer) -> None:
    kwargs: dict
    view: discord.ui.View | None
    if answer.compared is not None:
        kwargs = {"embeds": compare_embeds(answer)}
        view = SafeView(timeout=None)
        for side in answer.compared:  # a report names the side it is about
            button = report_button(ReportTarget.SECTION, side.id)
            button.item.label = fit(f"{button.item.label}: {side.title}", 80)
            view.add_item(button)
    elif answer.section is not None:
        kwargs = {"embed": section_embed(answer)}
        view = sections_view((answer.alternatives, t("ask.alternatives")), (answer.related, "")) or SafeView(
            timeout=None
        )
        view.add_item(report_button(ReportTarget.SECTION, answer.section.id))
    else:
        kwargs = {"content": fit(answer.message, 2000)}
        view = sections_view((answer.suggestions, ""))
    if view is not None:
        kwargs["view"] = view
    await interaction.response.send_message(ephemeral=not answer.found, allowed_mentions=NO_PINGS, **kwargs)
