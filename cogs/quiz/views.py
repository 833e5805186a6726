"""The quiz's persistent components. Buttons are ``DynamicItem``s and modal submits are routed by
their custom id (never by an in-memory modal), so everything works after a restart."""

from __future__ import annotations

import re

import discord

from cogs.quiz.embeds import question_embed, source_view
from cogs.runtime import NO_PINGS, Guarded, SafeModal, SafeView, reply
from cogs.runtime.replies import app_of
from cogs.runtime.ui import submitted_value
from studybot.lookup import fit
from studybot.messages import t
from studybot.quiz import AnswerOutcome, QuizService, Shown
from studybot.quiz import text as quiz_text
from studybot.vocab import AnswerStatus, RevealMode, StudyKind

DEFER_BACKLOG = 200  # answers queued for the database before a click is deferred first
KINDS = {"p": StudyKind.PRACTICE, "r": StudyKind.REVIEW}
DAILY_MODAL = re.compile(r"quiz:modal:(?P<post>\d{1,20})")
STUDY_MODAL = re.compile(r"quiz:prm:(?P<kind>[pr]):(?P<qid>[a-z0-9-]{1,60})")
ANSWER_FIELD = "answer"


def quiz(interaction: discord.Interaction) -> QuizService:
    return app_of(interaction).quiz


def answer_view(shown: Shown) -> discord.ui.View:
    view = SafeView(timeout=None)
    if shown.is_short:
        view.add_item(ShortAnswerButton(shown.post_id or 0))
    else:
        for i in range(len(shown.choices)):
            view.add_item(AnswerButton(shown.post_id or 0, i, quiz_text.label(i, shown)))
    return view


class AnswerButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:answer:(?P<post>\d{1,20}):(?P<choice>\d)"
):
    def __init__(self, post_id: int, index: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or str(index + 1),
                style=discord.ButtonStyle.primary,
                custom_id=f"quiz:answer:{post_id}:{index}",
            )
        )
        self.post_id, self.index = post_id, index

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["post"]), int(match["choice"]), getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        service = quiz(interaction)
        if interaction.guild_id is None:
            await reply(interaction, t("quiz.missing"))
            return
        if service.backlog >= DEFER_BACKLOG:
            # a crowd is answering: acknowledge within Discord's 3 seconds first, then say what was recorded
            await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await service.answer(
            self.post_id, interaction.user.id, guild_id=interaction.guild_id, index=self.index
        )
        await send_feedback(interaction, outcome)


class ShortAnswerButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:short:(?P<post>\d{1,20})"):
    def __init__(self, post_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("quiz.short_button"),
                style=discord.ButtonStyle.primary,
                emoji="✏️",
                custom_id=f"quiz:short:{post_id}",
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["post"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ShortAnswerModal(f"quiz:modal:{self.post_id}"))


class PracticeButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"quiz:pr:(?P<kind>[pr]):(?P<qid>[a-z0-9-]{1,60}):(?P<choice>\d|w)",
):
    """Practice/review answer: stateless, the question and the choice are in the custom id."""

    def __init__(self, kind: str, question_id: str, choice: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"quiz:pr:{kind}:{question_id}:{choice}"
            )
        )
        self.kind, self.question_id, self.choice = kind, question_id, choice

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["kind"], match["qid"], match["choice"], getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        service = quiz(interaction)
        question = await service.question(interaction.guild_id or 0, self.question_id)
        if question is None:
            await reply(interaction, t("quiz.missing"))
            return
        if self.choice == "w":
            await interaction.response.send_modal(ShortAnswerModal(f"quiz:prm:{self.kind}:{self.question_id}"))
            return
        index = int(self.choice)
        choice = question.choices[index] if index < len(question.choices) else ""
        outcome = await service.check_practice(
            interaction.guild_id or 0, interaction.user.id, question.id, choice, KINDS[self.kind]
        )
        await send_feedback(interaction, outcome)


class ShortAnswerModal(SafeModal):
    """Only the form: its submit is handled by :func:`on_modal_submit` from the custom id, so a
    modal opened before a restart still counts after it."""

    answer: discord.ui.TextInput = discord.ui.TextInput(label="답", max_length=100, custom_id=ANSWER_FIELD)

    def __init__(self, custom_id: str):
        super().__init__(title=t("quiz.modal_title"), custom_id=custom_id, timeout=None)
        self.answer.label = t("quiz.modal_label")


async def on_modal_submit(interaction: discord.Interaction) -> bool:
    """Handle a quiz modal by its custom id; False when the modal is not the quiz's."""
    data: dict = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    text = submitted_value(data, ANSWER_FIELD)
    service = quiz(interaction)
    if match := DAILY_MODAL.fullmatch(custom_id):
        if interaction.guild_id is None:
            await reply(interaction, t("quiz.missing"))
            return True
        outcome = await service.answer(
            int(match["post"]), interaction.user.id, guild_id=interaction.guild_id, text=text
        )
    elif match := STUDY_MODAL.fullmatch(custom_id):
        outcome = await service.check_practice(
            interaction.guild_id or 0, interaction.user.id, match["qid"], text, KINDS[match["kind"]]
        )
    else:
        return False
    await send_feedback(interaction, outcome)
    return True


async def send_feedback(interaction: discord.Interaction, outcome: AnswerOutcome) -> None:
    text = quiz_text.feedback(outcome)
    view = None
    if outcome.reveal_mode is RevealMode.IMMEDIATE and outcome.question and outcome.status is AnswerStatus.RECORDED:
        view = source_view(quiz(interaction).kb, outcome.question.section_ids)
    await reply(interaction, fit(text, 2000), **({"view": view} if view else {}))


def practice_view(shown: Shown, kind: str) -> discord.ui.View:
    view = SafeView(timeout=None)
    q = shown.question
    if shown.is_short:
        view.add_item(PracticeButton(kind, q.id, "w", t("quiz.short_button")))
    else:
        for i, choice in enumerate(shown.choices):
            view.add_item(PracticeButton(kind, q.id, str(q.choices.index(choice)), quiz_text.label(i, shown)))
    return view


async def send_practice(interaction: discord.Interaction, shown: Shown, kind: str) -> None:
    """A practice ("p") or review ("r") question, only for the member who asked."""
    title = "quiz.practice_title" if kind == "p" else "quiz.review_title"
    topic = quiz(interaction).kb.topic_title(shown.question.topic_id)
    await interaction.response.send_message(
        embed=question_embed(shown, title, topic),
        view=practice_view(shown, kind),
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )
