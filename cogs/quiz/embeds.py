"""Embeds of the quiz: a question, its reveal, and the buttons back to the notes."""

from __future__ import annotations

import discord

from cogs.ask.views import sections_view
from studybot.lookup import KnowledgeBase, fit
from studybot.messages import t
from studybot.quiz import Reveal, Shown
from studybot.quiz import text as quiz_text
from studybot.vocab import QuestionType

QUIZ_COLOUR = discord.Colour.blurple()


def question_embed(shown: Shown, title_key: str, topic: str, footer: str = "") -> discord.Embed:
    q = shown.question
    lines = [q.prompt, "", *quiz_text.choice_lines(shown)] if q.type is not QuestionType.SHORT else [q.prompt]
    embed = discord.Embed(
        title=fit(t(title_key, topic=topic), 256), description=fit("\n".join(lines), 4000), colour=QUIZ_COLOUR
    )
    stars = t("quiz.difficulty", stars=quiz_text.stars(q.difficulty))
    embed.set_footer(text=fit((footer + "  ·  " if footer else "") + stars, 2048))
    return embed


def reveal_embed(reveal: Reveal, topic: str) -> discord.Embed:
    q = reveal.question
    body = [q.prompt]
    if q.type is not QuestionType.SHORT:
        body += ["", *quiz_text.choice_lines(Shown(reveal.post.id, q, reveal.choices), hint=False)]
    embed = discord.Embed(
        title=fit(t("quiz.reveal_title", topic=topic), 256),
        description=fit("\n".join(body), 4000),
        colour=discord.Colour.green(),
    )
    embed.add_field(name=t("quiz.reveal_answer"), value=fit(quiz_text.correct_label(reveal), 1024), inline=False)
    embed.add_field(name=t("quiz.explanation"), value=fit(q.explanation, 1024), inline=False)
    if q.author_id:  # a member's approved question credits its author
        embed.add_field(name=t("community.author_credit"), value=f"<@{q.author_id}>", inline=False)
    embed.add_field(
        name=t("quiz.reveal_stats"), value=fit("\n".join(quiz_text.distribution_lines(reveal)), 1024), inline=False
    )
    return embed


def source_view(kb: KnowledgeBase, section_ids: tuple[str, ...]) -> discord.ui.View | None:
    """Buttons that open the question's sections in the notes (those still in the knowledge base)."""
    sections = [kb.sections[s] for s in section_ids if s in kb.sections][:3]
    return sections_view((sections, t("quiz.source")))
