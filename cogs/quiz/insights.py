"""`/quiz insights` rendering: the embed, the CSV and the chart (drawn off the event loop)."""

from __future__ import annotations

import asyncio
import io

import discord

from cogs.runtime.ui import UploadFile
from studybot.exam import Insights
from studybot.exam import text as exam_text
from studybot.exam.chart import insights_png
from studybot.lookup import KnowledgeBase, fit
from studybot.messages import t


def insights_embed(ins: Insights, kb: KnowledgeBase) -> discord.Embed:
    sections = exam_text.insight_lines(ins, kb)
    embed = discord.Embed(
        title=t("insights.title"),
        description=fit("\n".join(sections.pop("insights.title")), 4000),
        colour=discord.Colour.purple(),
    )
    for key, lines in sections.items():
        if lines:
            embed.add_field(name=t(key), value=fit("\n".join(lines), 1024), inline=False)
    embed.add_field(name="ℹ️", value=fit(t("insights.how"), 1024), inline=False)
    embed.set_image(url="attachment://insights.png")
    return embed


async def insights_files(ins: Insights, kb: KnowledgeBase, csv_text: str) -> list[discord.File]:
    png = await asyncio.to_thread(insights_png, ins, kb)
    return [
        UploadFile(io.BytesIO(png), filename="insights.png", description=t("insights.alt")[:1000]),
        UploadFile(io.BytesIO(csv_text.encode("utf-8-sig")), filename="insights.csv"),
    ]
