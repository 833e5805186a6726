"""The quiz's persistent components. Buttons and select menus are ``DynamicItem``s and modal
submits are routed by their custom id (never by an in-memory modal), so everything works after a
restart. No custom id or select value names an option: the daily post's carry the post and the
shown position (its order is stored with the post), practice and review carry an opaque token
(the order is stored under it) and the shown position.

Multiple-response questions are answered with one select menu (min = max = the number of correct
options): a shared daily post cannot hold per-member toggle state, and one submit is one answer."""

from __future__ import annotations

import re

import discord

from cogs.quiz.embeds import question_embed, source_view
from cogs.runtime import NO_PINGS, Guarded, SafeModal, SafeView, reply
from cogs.runtime.replies import app_of, study_guild
from cogs.runtime.ui import submitted_value
from studybot.lookup import fit
from studybot.messages import t
from studybot.quiz import AnswerOutcome, QuizService, Shown
from studybot.quiz import text as quiz_text
from studybot.vocab import AnswerStatus, RevealMode, StudyKind

DEFER_BACKLOG = 200  # answers queued for the database before a click is deferred first
KINDS = {"p": StudyKind.PRACTICE, "r": StudyKind.REVIEW}
DAILY_MODAL = re.compile(r"quiz:modal:(?P<post>\d{1,20})")
STUDY_MODAL = re.compile(r"quiz:prm:(?P<kind>[pr]):(?P<qid>[a-z0-9-]{1,60})")  # before tokens: names no option
TOKEN = r"(?P<token>[A-Za-z0-9_-]{8,32})"
TOKEN_MODAL = re.compile(rf"quiz:sm:{TOKEN}")
ANSWER_FIELD = "answer"


def quiz(interaction: discord.Interaction) -> QuizService:
    return app_of(interaction).quiz


def answer_view(shown: Shown) -> discord.ui.View:
    view = SafeView(timeout=None)
    if shown.is_short:
        view.add_item(ShortAnswerButton(shown.post_id or 0))
    elif shown.is_multi:
        view.add_item(PickSelect(pick_menu(f"quiz:pick:{shown.post_id or 0}", shown)))
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
        await answer_daily(interaction, self.post_id, index=self.index)


def pick_menu(custom_id: str, shown: Shown) -> discord.ui.Select:
    """A multiple-response answer: exactly as many options as are correct, labelled as shown;
    each value is the shown position."""
    return discord.ui.Select(
        custom_id=custom_id,
        placeholder=t("quiz.multi_placeholder", count=quiz_text.count_word(shown.needed)),
        min_values=shown.needed,
        max_values=shown.needed,
        options=[
            discord.SelectOption(label=fit(f"{quiz_text.LABELS[i]}. {choice}", 100), value=str(i))
            for i, choice in enumerate(shown.choices)
        ],
    )


def picked(interaction: discord.Interaction) -> list[int]:
    """The shown positions a select submitted (anything else becomes -1, refused as invalid)."""
    values = dict(interaction.data or {}).get("values")
    if not isinstance(values, list):
        return []
    return [int(v) if isinstance(v, str) and v.isdigit() and len(v) < 3 else -1 for v in values]


class PickSelect(Guarded, discord.ui.DynamicItem[discord.ui.Select], template=r"quiz:pick:(?P<post>\d{1,20})"):
    """A daily multiple-response answer (the post's select menu)."""

    def __init__(self, select: discord.ui.Select) -> None:
        super().__init__(select)
        match = self.template.fullmatch(self.custom_id)
        assert match is not None
        self.post_id = int(match["post"])

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(item if isinstance(item, discord.ui.Select) else discord.ui.Select(custom_id=match.string))

    async def run(self, interaction: discord.Interaction) -> None:
        await answer_daily(interaction, self.post_id, picks=picked(interaction))


async def answer_daily(
    interaction: discord.Interaction, post_id: int, *, index: int | None = None, picks: list[int] | None = None
) -> None:
    """A daily answer from a button or the multi-response select: one service call, its feedback."""
    service = quiz(interaction)
    if interaction.guild_id is None:
        await reply(interaction, t("quiz.missing"))
        return
    if service.backlog >= DEFER_BACKLOG:
        # a crowd is answering: acknowledge within Discord's 3 seconds first, then say what was recorded
        await interaction.response.defer(ephemeral=True, thinking=True)
    outcome = await service.answer(
        post_id, interaction.user.id, guild_id=interaction.guild_id, index=index, picks=picks
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


class StudyButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"quiz:st:{TOKEN}:(?P<choice>\d|w)",
):
    """A practice/review answer: the served question's token and the shown position (``w``: open
    the short-answer modal). The order behind the token is in the database, so it survives a restart."""

    def __init__(self, token: str, choice: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=f"quiz:st:{token}:{choice}")
        )
        self.token, self.choice = token, choice

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["token"], match["choice"], getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        if self.choice == "w":
            await interaction.response.send_modal(ShortAnswerModal(f"quiz:sm:{self.token}"))
            return
        outcome = await quiz(interaction).answer_study(
            self.token, interaction.user.id, guild_id=study_guild(interaction), index=int(self.choice)
        )
        await send_feedback(interaction, outcome)


class StudySelect(Guarded, discord.ui.DynamicItem[discord.ui.Select], template=rf"quiz:ss:{TOKEN}"):
    """A practice/review multiple-response answer."""

    def __init__(self, select: discord.ui.Select) -> None:
        super().__init__(select)
        match = self.template.fullmatch(self.custom_id)
        assert match is not None
        self.token = match["token"]

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(item if isinstance(item, discord.ui.Select) else discord.ui.Select(custom_id=match.string))

    async def run(self, interaction: discord.Interaction) -> None:
        outcome = await quiz(interaction).answer_study(
            self.token, interaction.user.id, guild_id=study_guild(interaction), picks=picked(interaction)
        )
        await send_feedback(interaction, outcome)


class OldPracticeButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:pr:(?P<rest>[a-z0-9:-]{1,80})"
):
    """A practice/review button sent before tokens (its id named the authored option): expired."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label="-", custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match.string)

    async def run(self, interaction: discord.Interaction) -> None:
        await reply(interaction, t("quiz.expired"))


class ShortAnswerModal(SafeModal):
    """Only the form: its submit is handled by :func:`on_modal_submit` from the custom id, so a
    modal opened before a restart still counts after it."""

    answer: discord.ui.TextInput = discord.ui.TextInput(
        label=t("quiz.modal_label"), max_length=100, custom_id=ANSWER_FIELD
    )

    def __init__(self, custom_id: str):
        super().__init__(title=t("quiz.modal_title"), custom_id=custom_id, timeout=None)


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
    elif match := TOKEN_MODAL.fullmatch(custom_id):
        outcome = await service.answer_study(
            match["token"], interaction.user.id, guild_id=study_guild(interaction), text=text
        )
    elif match := STUDY_MODAL.fullmatch(custom_id):
        outcome = await service.check_practice(
            study_guild(interaction), interaction.user.id, match["qid"], text, KINDS[match["kind"]]
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


def practice_view(shown: Shown) -> discord.ui.View:
    view = SafeView(timeout=None)
    if shown.is_short:
        view.add_item(StudyButton(shown.token, "w", t("quiz.short_button")))
    elif shown.is_multi:
        view.add_item(StudySelect(pick_menu(f"quiz:ss:{shown.token}", shown)))
    else:
        for i in range(len(shown.choices)):
            view.add_item(StudyButton(shown.token, str(i), quiz_text.label(i, shown)))
    return view


async def send_practice(interaction: discord.Interaction, shown: Shown, kind: str) -> None:
    """A practice ("p") or review ("r") question, only for the member who asked."""
    title = "quiz.practice_title" if kind == "p" else "quiz.review_title"
    topic = quiz(interaction).kb.topic_title(shown.question.topic_id)
    await interaction.response.send_message(
        embed=question_embed(shown, title, topic),
        view=practice_view(shown),
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )
