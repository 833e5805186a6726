"""The mock exam's messages: a question page, the hand-in confirmation, the result pages and the
history. Every component is a ``DynamicItem`` whose custom id names the exam (and the question),
so a press after a restart works; every press answers with its own interaction's
UPDATE_MESSAGE, so the ephemeral exam message never depends on an expired token."""

from __future__ import annotations

import re
from typing import Any

import discord

from cogs.ask.views import SectionButton
from cogs.runtime import NO_PINGS, Guarded, SafeView, reply
from cogs.runtime.replies import app_of
from studybot.exam import Exam, ExamPage, ExamResult, ExamService, ExamView, Readiness
from studybot.exam import text as exam_text
from studybot.lookup import KnowledgeBase, fit
from studybot.messages import t
from studybot.vocab import ExamOutcome, QuestionType

EXAM_COLOUR = discord.Colour.dark_teal()
RESULT_COLOUR = discord.Colour.gold()
JUMP_WINDOW = 25  # a select holds at most 25 options: the questions around the current one


def service(interaction: discord.Interaction) -> ExamService:
    return app_of(interaction).exam


def stamp(moment, style: str) -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


# -- a question page ------------------------------------------------------------------------------


def page_embed(page: ExamPage) -> discord.Embed:
    embed = discord.Embed(
        title=fit(exam_text.page_title(page), 256),
        description=fit("\n".join(exam_text.question_lines(page.shown)), 4000),
        colour=EXAM_COLOUR,
    )
    ends = page.exam.ends_at
    embed.add_field(
        name=t("exam.time_left"), value=t("exam.time_value", left=stamp(ends, "R"), end=stamp(ends, "T")), inline=True
    )
    embed.add_field(name=t("exam.progress"), value=exam_text.progress_line(page), inline=True)
    embed.add_field(
        name=t("exam.your_answer"), value=fit(exam_text.labels_of(page.shown, page.chosen), 1024), inline=False
    )
    embed.set_footer(text=t("exam.footer"))
    return embed


def page_view(page: ExamPage) -> discord.ui.View:
    view = SafeView(timeout=None)
    exam_id, pos, shown = page.exam.id, page.position, page.shown
    chosen = set(page.chosen or ())
    if shown.question.type is QuestionType.MULTI:
        view.add_item(MultiSelect.build(page))
    else:
        for i, choice in enumerate(shown.choices):
            style = discord.ButtonStyle.success if choice in chosen else discord.ButtonStyle.secondary
            view.add_item(PickButton(exam_id, pos, i, exam_text.label(i, shown), style))
    last = page.exam.questions - 1
    view.add_item(GoButton(exam_id, max(pos - 1, 0), "p", disabled=pos == 0))
    view.add_item(GoButton(exam_id, min(pos + 1, last), "n", disabled=pos == last))
    view.add_item(FlagButton(exam_id, pos, page.flagged))
    view.add_item(SubmitButton(exam_id, pos))
    if page.exam.questions > 1:
        view.add_item(JumpSelect.build(page))
    return view


def confirm_view(page: ExamPage) -> discord.ui.View:
    view = SafeView(timeout=None)
    view.add_item(ConfirmButton(page.exam.id))
    view.add_item(GoButton(page.exam.id, page.position, "b"))
    return view


def confirm_text(page: ExamPage) -> str:
    total = page.exam.questions
    return t("exam.confirm", answered=page.answered, total=total, open=total - page.answered, flags=len(page.flags))


# -- the result -----------------------------------------------------------------------------------


def result_embed(result: ExamResult, kb: KnowledgeBase, number: int) -> discord.Embed:
    """Page 0: the summary; page n: the n-th missed question with its explanation."""
    if number == 0 or not result.misses:
        embed = discord.Embed(
            title=t("exam.result_title"),
            description=fit("\n".join(exam_text.summary_lines(result)), 4000),
            colour=RESULT_COLOUR,
        )
        embed.add_field(
            name=t("exam.by_domain"), value=fit("\n".join(exam_text.domain_lines(result)), 1024), inline=False
        )
        embed.add_field(
            name=t("exam.by_topic"), value=fit("\n".join(exam_text.topic_lines(result, kb)), 1024), inline=False
        )
        return embed
    miss = result.misses[min(number, len(result.misses)) - 1]
    q = miss.shown.question
    embed = discord.Embed(
        title=fit(t("exam.miss_title", number=number, count=len(result.misses), topic=kb.topic_title(q.topic_id)), 256),
        description=fit("\n".join(exam_text.miss_lines(miss)), 2500),  # with 3 fields: under 6,000 in all
        colour=discord.Colour.red(),
    )
    embed.add_field(name=t("exam.your_answer"), value=fit(exam_text.labels_of(miss.shown, miss.chosen), 1024))
    embed.add_field(name=t("exam.right_answer"), value=fit(exam_text.right_answer(miss), 1024))
    embed.add_field(name=t("quiz.explanation"), value=fit(q.explanation, 1024), inline=False)
    return embed


def result_view(result: ExamResult, kb: KnowledgeBase, number: int) -> discord.ui.View | None:
    if not result.misses:
        return None
    view = SafeView(timeout=None)
    exam_id, last = result.exam.id, len(result.misses)
    if number == 0:
        view.add_item(ResultButton(exam_id, 1, "n", t("exam.misses_button")))
        return view
    view.add_item(ResultButton(exam_id, number - 1, "p", "◀ " + (t("exam.prev") if number > 1 else t("exam.summary"))))
    view.add_item(ResultButton(exam_id, min(number + 1, last), "n", t("exam.next") + " ▶", disabled=number == last))
    miss = result.misses[number - 1]
    for sid in [s for s in miss.shown.question.section_ids if s in kb.sections][:3]:
        view.add_item(SectionButton(sid, f"{t('quiz.source')}: {kb.sections[sid].title}"))
    return view


def history_embed(exams: list[Exam]) -> discord.Embed:
    lines = [exam_text.history_line(e) for e in exams] or [t("exam.history_none")]
    return discord.Embed(title=t("exam.history_title"), description=fit("\n".join(lines), 4000), colour=RESULT_COLOUR)


def history_view(exams: list[Exam]) -> discord.ui.View | None:
    if not exams:
        return None
    view = SafeView(timeout=None)
    for exam in exams[:5]:
        label = t("exam.history_button", date=exam.started_at.strftime("%m-%d %H:%M"))
        view.add_item(ResultButton(exam.id, 0, "h", label))
    return view


def escape(text: str) -> str:
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def readiness_embed(ready: Readiness, kb: KnowledgeBase, name: str) -> discord.Embed:
    embed = discord.Embed(
        title=fit(t("ready.title", name=name), 256),
        description=fit("\n".join(exam_text.readiness_head(ready)), 4000),
        colour=EXAM_COLOUR,
    )
    if ready.domains:
        embed.add_field(
            name=t("ready.by_domain"), value=fit("\n".join(exam_text.readiness_domain_lines(ready)), 1024), inline=False
        )
    embed.add_field(
        name=t("ready.by_topic"), value=fit("\n".join(exam_text.readiness_topic_lines(ready, kb)), 1024), inline=False
    )
    embed.add_field(
        name=t("ready.next"), value=fit("\n".join(exam_text.study_next_lines(ready, kb)), 1024), inline=False
    )
    embed.add_field(name=t("ready.how_title"), value=fit(t("ready.how"), 1024), inline=False)
    embed.set_image(url="attachment://readiness.png")
    return embed


# -- sending an outcome ---------------------------------------------------------------------------


def message_of(view: ExamView, kb: KnowledgeBase, number: int = 0) -> dict[str, Any] | None:
    """The message (content, embed, view) for an outcome; None for a short reply instead."""
    if view.page is not None:
        page = view.page
        content = ""
        if view.outcome is ExamOutcome.STARTED:
            content = t(
                "exam.started",
                questions=page.exam.questions,
                minutes=page.exam.minutes,
                end=stamp(page.exam.ends_at, "T"),
                left=stamp(page.exam.ends_at, "R"),
            )
        elif view.outcome is ExamOutcome.RESUMED:
            content = t("exam.resumed", left=stamp(page.exam.ends_at, "R"))
        if view.previous is not None:
            p = view.previous
            content = t("exam.previous_timed_out", correct=p.correct, total=p.total, scaled=p.scaled) + "\n" + content
        return {"content": content or None, "embed": page_embed(page), "view": page_view(page)}
    if view.result is not None:
        note = t("exam.expired") if view.outcome is ExamOutcome.EXPIRED else None
        return {
            "content": note,
            "embed": result_embed(view.result, kb, number),
            "view": result_view(view.result, kb, number),
        }
    return None


def short_text(view: ExamView) -> str:
    if view.outcome is ExamOutcome.MISSING:
        return t("exam.missing")
    return view.detail or t("error.generic")


async def send(interaction: discord.Interaction, view: ExamView, *, edit: bool, number: int = 0) -> None:
    """Show an outcome: by editing the pressed message (its own interaction's response), or as a
    new ephemeral message (a command)."""
    message = message_of(view, service(interaction).kb, number)
    if message is None:
        await reply(interaction, short_text(view))
        return
    if edit:
        await interaction.response.edit_message(allowed_mentions=NO_PINGS, **message)
        return
    kwargs = {k: v for k, v in message.items() if v is not None}
    await interaction.response.send_message(ephemeral=True, allowed_mentions=NO_PINGS, **kwargs)


def guild(interaction: discord.Interaction) -> int:
    return interaction.guild_id or 0


# -- components -----------------------------------------------------------------------------------


class PickButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"exam:a:(?P<exam>\d{1,12}):(?P<pos>\d{1,3}):(?P<choice>\d)",
):
    def __init__(
        self, exam_id: int, position: int, index: int, label: str = "", style=discord.ButtonStyle.secondary
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or str(index + 1), style=style, custom_id=f"exam:a:{exam_id}:{position}:{index}", row=0
            )
        )
        self.exam_id, self.position, self.index = exam_id, position, index

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["pos"]), int(match["choice"]))

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).answer(
            self.exam_id, guild(interaction), interaction.user.id, self.position, [self.index]
        )
        await send(interaction, view, edit=True)


class MultiSelect(
    Guarded, discord.ui.DynamicItem[discord.ui.Select], template=r"exam:m:(?P<exam>\d{1,12}):(?P<pos>\d{1,3})"
):
    """Multiple response: exactly as many options as the question has right answers."""

    def __init__(self, exam_id: int, position: int, select: discord.ui.Select | None = None) -> None:
        item: discord.ui.Select = select or discord.ui.Select(custom_id=f"exam:m:{exam_id}:{position}", row=0)
        super().__init__(item)
        self.exam_id, self.position = exam_id, position

    @classmethod
    def build(cls, page: ExamPage) -> MultiSelect:
        shown, chosen = page.shown, set(page.chosen or ())
        options = [
            discord.SelectOption(label=fit(f"{exam_text.LABELS[i]}. {c}", 100), value=str(i), default=c in chosen)
            for i, c in enumerate(shown.choices)
        ]
        select: discord.ui.Select = discord.ui.Select(
            custom_id=f"exam:m:{page.exam.id}:{page.position}",
            placeholder=t("exam.multi_placeholder", count=page.picks),
            min_values=page.picks,
            max_values=page.picks,
            options=options,
            row=0,
        )
        return cls(page.exam.id, page.position, select)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["pos"]))

    async def run(self, interaction: discord.Interaction) -> None:
        data: dict = dict(interaction.data or {})
        indexes = [int(v) for v in data.get("values", []) if str(v).isdigit()]
        view = await service(interaction).answer(
            self.exam_id, guild(interaction), interaction.user.id, self.position, indexes
        )
        await send(interaction, view, edit=True)


GO_LOOK = {"p": ("◀", "exam.prev"), "n": ("▶", "exam.next"), "b": ("↩️", "exam.confirm_back")}


class GoButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"exam:g:(?P<exam>\d{1,12}):(?P<pos>\d{1,3}):(?P<kind>[pnb])",
):
    """◀ (p), ▶ (n), or back from the hand-in confirmation (b)."""

    def __init__(self, exam_id: int, position: int, kind: str, disabled: bool = False) -> None:
        emoji, key = GO_LOOK[kind]
        super().__init__(
            discord.ui.Button(
                label=t(key),
                emoji=emoji,
                style=discord.ButtonStyle.primary,
                custom_id=f"exam:g:{exam_id}:{position}:{kind}",
                disabled=disabled,
                row=1,
            )
        )
        self.exam_id, self.position = exam_id, position

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["pos"]), match["kind"])

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).show(self.exam_id, guild(interaction), interaction.user.id, self.position)
        await send(interaction, view, edit=True)


class FlagButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"exam:f:(?P<exam>\d{1,12}):(?P<pos>\d{1,3})"
):
    def __init__(self, exam_id: int, position: int, flagged: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("exam.unflag") if flagged else t("exam.flag"),
                emoji="🚩",
                style=discord.ButtonStyle.secondary,
                custom_id=f"exam:f:{exam_id}:{position}",
                row=1,
            )
        )
        self.exam_id, self.position = exam_id, position

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["pos"]))

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).flag(self.exam_id, guild(interaction), interaction.user.id, self.position)
        await send(interaction, view, edit=True)


class JumpSelect(Guarded, discord.ui.DynamicItem[discord.ui.Select], template=r"exam:j:(?P<exam>\d{1,12})"):
    def __init__(self, exam_id: int, select: discord.ui.Select | None = None) -> None:
        item: discord.ui.Select = select or discord.ui.Select(custom_id=f"exam:j:{exam_id}", row=2)
        super().__init__(item)
        self.exam_id = exam_id

    @classmethod
    def build(cls, page: ExamPage) -> JumpSelect:
        total = len(page.progress)
        first = min(max(page.position - JUMP_WINDOW // 2, 0), max(total - JUMP_WINDOW, 0))
        options = []
        for pos, answered, flagged in page.progress[first : first + JUMP_WINDOW]:
            state = t("exam.state_answered") if answered else t("exam.state_open")
            label = t("exam.jump_option", number=pos + 1, state=state) + (" 🚩" if flagged else "")
            options.append(discord.SelectOption(label=label, value=str(pos), default=pos == page.position))
        select: discord.ui.Select = discord.ui.Select(
            custom_id=f"exam:j:{page.exam.id}", placeholder=t("exam.jump"), options=options, row=2
        )
        return cls(page.exam.id, select)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]))

    async def run(self, interaction: discord.Interaction) -> None:
        data: dict = dict(interaction.data or {})
        values = [str(v) for v in data.get("values", [])]
        position = int(values[0]) if values and values[0].isdigit() else -1
        view = await service(interaction).show(self.exam_id, guild(interaction), interaction.user.id, position)
        await send(interaction, view, edit=True)


class SubmitButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"exam:s:(?P<exam>\d{1,12}):(?P<pos>\d{1,3})"
):
    def __init__(self, exam_id: int, position: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("exam.submit"),
                emoji="🏁",
                style=discord.ButtonStyle.danger,
                custom_id=f"exam:s:{exam_id}:{position}",
                row=1,
            )
        )
        self.exam_id, self.position = exam_id, position

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["pos"]))

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).show(self.exam_id, guild(interaction), interaction.user.id, self.position)
        if view.page is None:
            await send(interaction, view, edit=True)
            return
        await interaction.response.edit_message(
            content=confirm_text(view.page), embed=None, view=confirm_view(view.page), allowed_mentions=NO_PINGS
        )


class ConfirmButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"exam:done:(?P<exam>\d{1,12})"):
    def __init__(self, exam_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("exam.confirm_yes"),
                emoji="🏁",
                style=discord.ButtonStyle.danger,
                custom_id=f"exam:done:{exam_id}",
            )
        )
        self.exam_id = exam_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]))

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).finish(guild(interaction), interaction.user.id, self.exam_id)
        await send(interaction, view, edit=True)


class ResultButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"exam:r:(?P<exam>\d{1,12}):(?P<page>\d{1,3}):(?P<kind>[pnh])",
):
    """A page of a finished exam's result (0: the summary, n: the n-th miss); from the history too."""

    def __init__(self, exam_id: int, number: int, kind: str, label: str = "", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=fit(label or str(number), 80),
                style=discord.ButtonStyle.primary if kind != "h" else discord.ButtonStyle.secondary,
                custom_id=f"exam:r:{exam_id}:{number}:{kind}",
                disabled=disabled,
            )
        )
        self.exam_id, self.number, self.kind = exam_id, number, kind

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["exam"]), int(match["page"]), match["kind"], getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction) -> None:
        view = await service(interaction).result(self.exam_id, guild(interaction), interaction.user.id)
        # from the history: a new message; inside a result: that message turns the page
        await send(interaction, view, edit=self.kind != "h", number=self.number)


DYNAMIC_ITEMS = (PickButton, MultiSelect, GoButton, FlagButton, JumpSelect, SubmitButton, ConfirmButton, ResultButton)
