"""The moderation queue on Discord: suggestion and report embeds, their persistent buttons
(custom ids carry the suggestion or report id, so they work after a restart), the modals
(handled from their custom ids, never from an in-memory modal) and the "틀린 내용 신고" button
that every /ask answer and every reveal carries."""

from __future__ import annotations

import logging
import re

import discord

from cogs.runtime import NO_PINGS, Guarded, SafeModal, SafeView, reply, send_dm
from cogs.runtime.replies import app_of, is_manager
from cogs.runtime.ui import submitted_value
from studybot.community import (
    ANSWER_MAX,
    EXPLANATION_MAX,
    LETTERS,
    MAX_PENDING,
    OPTIONS_MAX,
    PROMPT_MAX,
    SOURCE_MAX,
    CommunityService,
    Moderated,
    QuestionForm,
    Queue,
    Reported,
    Resolved,
    Submitted,
)
from studybot.lookup import KnowledgeBase, Question, fit
from studybot.messages import t
from studybot.vocab import Decided, QuestionType, ReportStatus, ReportTarget, SuggestionStatus

log = logging.getLogger("studybot.community")

TYPES = {"c": QuestionType.CHOICE, "t": QuestionType.TRUEFALSE, "s": QuestionType.SHORT, "m": QuestionType.MULTI}
DOMAINS = {"s": "secure", "r": "resilient", "p": "performance", "c": "cost"}
NEW_MODAL = re.compile(r"sug:n:(?P<type>[ctsm])(?P<domain>[srpc])(?P<difficulty>[1-3]):(?P<section>[a-z0-9-]{1,80})")
EDIT_MODAL = re.compile(r"sug:e:(?P<id>\d{1,12})")
REJECT_MODAL = re.compile(r"sug:r:(?P<id>\d{1,12})")
REPORT_MODAL = re.compile(r"rep:m:(?P<kind>[sq]):(?P<target>[a-z0-9-]{1,80})")
KINDS = {"s": ReportTarget.SECTION, "q": ReportTarget.QUESTION}
FIELDS = ("prompt", "options", "answer", "explanation", "source")
LIMITS = {
    "prompt": PROMPT_MAX,
    "options": OPTIONS_MAX,
    "answer": ANSWER_MAX,
    "explanation": EXPLANATION_MAX,
    "source": SOURCE_MAX,
}
SUGGESTION_COLOUR = discord.Colour.gold()
REPORT_COLOUR = discord.Colour.red()


def community(interaction: discord.Interaction) -> CommunityService:
    return app_of(interaction).community


def _problems_text(problems: list[str], limit: int = 1500) -> str:
    return fit("\n".join(problems), limit)


# -- embeds ---------------------------------------------------------------------------------


def suggestion_embed(kb: KnowledgeBase, suggestion, question: Question | None) -> discord.Embed:
    data = suggestion.payload
    sid = (data.get("sections") or [""])[0]
    section = kb.sections[sid].title if sid in kb.sections else sid
    embed = discord.Embed(
        title=fit(t("community.suggestion_title", id=suggestion.id, section=section), 256),
        colour=SUGGESTION_COLOUR,
    )
    if question is not None:
        lines = [question.prompt, ""]
        correct = set(question.correct_choices) or set(question.accepted[:1])
        for i, choice in enumerate(question.choices):
            mark = f" {t('community.correct_mark')}" if choice in correct else ""
            lines.append(f"**{LETTERS[i]}.** {choice}{mark}")
        if question.type is QuestionType.SHORT:
            lines.append(f"{t('quiz.reveal_answer')}: {' / '.join(question.accepted)}")
        embed.description = fit("\n".join(lines), 4000)
        embed.add_field(name=t("quiz.explanation"), value=fit(question.explanation, 1024), inline=False)
    else:
        embed.description = fit(f"{t('community.suggestion_broken')}\n\n{data.get('prompt', '')}", 4000)
    embed.add_field(name=t("community.field.source"), value=fit(str(data.get("source", "")) or "-", 1024), inline=False)
    meta = t(
        "community.suggestion_meta",
        author=suggestion.author_id,
        type=data.get("type", ""),
        domain=data.get("domain", ""),
        difficulty=data.get("difficulty", ""),
    )
    embed.add_field(name=t("community.meta"), value=fit(meta, 1024), inline=False)
    if suggestion.status is SuggestionStatus.APPROVED:
        embed.colour = discord.Colour.green()
        status = t("community.status.approved", moderator=suggestion.moderator_id, qid=f"m-{suggestion.id}")
        embed.set_footer(text=fit(_plain(status), 2048))
    elif suggestion.status is SuggestionStatus.REJECTED:
        embed.colour = discord.Colour.dark_grey()
        status = t("community.status.rejected", moderator=suggestion.moderator_id, reason=suggestion.reason or "")
        embed.set_footer(text=fit(_plain(status), 2048))
    return embed


def _plain(text: str) -> str:
    """A footer shows no mentions: ``<@123>`` becomes the bare id."""
    return re.sub(r"<@(\d+)>", r"\1", text)


def report_embed(service: CommunityService, report, reporters: int) -> discord.Embed:
    target = service.target_title(report.target_kind, report.target_id)
    embed = discord.Embed(
        title=fit(t("report.title", id=report.id, target=target), 256),
        description=fit(
            t(
                "report.meta",
                reporter=report.reporter_id,
                kind=t(f"report.kind.{report.target_kind}"),
                target=report.target_id,
            ),
            4000,
        ),
        colour=REPORT_COLOUR,
    )
    if reporters >= 3:
        embed.description = fit(f"**{t('report.flagged', count=reporters)}**\n{embed.description}", 4000)
    embed.add_field(name=t("report.reason"), value=fit(report.reason, 1024), inline=False)
    embed.add_field(name=t("report.shown"), value=fit(report.shown or "-", 1024), inline=False)
    if report.link:
        embed.add_field(name=t("report.link"), value=fit(report.link, 1024), inline=False)
    if report.status is not ReportStatus.OPEN:
        embed.colour = discord.Colour.green() if report.status is ReportStatus.FIXED else discord.Colour.dark_grey()
        embed.set_footer(text=_plain(t(f"report.status.{report.status}", moderator=report.moderator_id)))
    return embed


# -- buttons ---------------------------------------------------------------------------------


def moderation_view(suggestion_id: int) -> discord.ui.View:
    view = SafeView(timeout=None)
    view.add_item(ModerateButton("ok", suggestion_id))
    view.add_item(ModerateButton("ed", suggestion_id))
    view.add_item(ModerateButton("no", suggestion_id))
    return view


def report_view(report_id: int) -> discord.ui.View:
    view = SafeView(timeout=None)
    view.add_item(ResolveButton("fix", report_id))
    view.add_item(ResolveButton("dis", report_id))
    return view


MOD_LABELS = {
    "ok": ("community.button.approve", discord.ButtonStyle.success),
    "ed": ("community.button.edit", discord.ButtonStyle.secondary),
    "no": ("community.button.reject", discord.ButtonStyle.danger),
}


class ModerateButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"sug:(?P<act>ok|ed|no):(?P<id>\d{1,12})"
):
    def __init__(self, act: str, suggestion_id: int) -> None:
        key, style = MOD_LABELS[act]
        super().__init__(discord.ui.Button(label=t(key), style=style, custom_id=f"sug:{act}:{suggestion_id}"))
        self.act, self.suggestion_id = act, suggestion_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["act"], int(match["id"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None or not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return
        service = community(interaction)
        if self.act == "ok":
            await show_decision(
                interaction,
                await service.approve(interaction.guild_id, self.suggestion_id, interaction.user.id),
                "approved",
            )
        elif self.act == "ed":
            suggestion = await service.suggestion(interaction.guild_id, self.suggestion_id)
            if suggestion is None or suggestion.status is not SuggestionStatus.PENDING:
                await reply(interaction, t("community.already", status=suggestion.status if suggestion else "-"))
                return
            modal = QuestionModal(
                f"sug:e:{suggestion.id}", t("community.edit_title", id=suggestion.id), service.form_of(suggestion)
            )
            await interaction.response.send_modal(modal)
        else:
            await interaction.response.send_modal(RejectModal(self.suggestion_id))


class ResolveButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"rep:(?P<act>fix|dis):(?P<id>\d{1,12})"
):
    def __init__(self, act: str, report_id: int) -> None:
        key = "report.button.fixed" if act == "fix" else "report.button.dismiss"
        style = discord.ButtonStyle.success if act == "fix" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=t(key), style=style, custom_id=f"rep:{act}:{report_id}"))
        self.act, self.report_id = act, report_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["act"], int(match["id"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None or not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return
        service = community(interaction)
        resolved = await service.resolve(interaction.guild_id, self.report_id, interaction.user.id, self.act == "fix")
        await show_resolved(interaction, resolved)


class ReportButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"rep:new:(?P<kind>[sq]):(?P<target>[a-z0-9-]{1,80})"
):
    """ "틀린 내용 신고" on an /ask answer (a section) or a reveal (a question)."""

    def __init__(self, kind: str, target: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("report.button"),
                style=discord.ButtonStyle.secondary,
                emoji="🚩",
                custom_id=f"rep:new:{kind}:{target}",
            )
        )
        self.kind, self.target = kind, target

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["kind"], match["target"])

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ReportModal(f"rep:m:{self.kind}:{self.target}"))


def report_button(kind: ReportTarget, target: str) -> ReportButton:
    return ReportButton("s" if kind is ReportTarget.SECTION else "q", target)


# -- modals (only the forms: their submits are routed by custom id in on_modal_submit) -------


class QuestionModal(SafeModal):
    """Five text inputs, Discord's limit: prompt, options, answer, explanation, source (the
    section, type, domain and difficulty are chosen in the slash command before it opens)."""

    def __init__(self, custom_id: str, title: str, form: QuestionForm | None = None):
        super().__init__(title=fit(title, 45), custom_id=custom_id, timeout=None)
        for name in FIELDS:
            long = name in ("prompt", "options", "explanation")
            default = getattr(form, name) if form else None
            self.add_item(
                discord.ui.TextInput(
                    label=t(f"community.label.{name}"),
                    custom_id=name,
                    style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                    max_length=LIMITS[name],
                    required=name not in ("options",),
                    default=fit(default, LIMITS[name]) if default else None,
                )
            )


class RejectModal(SafeModal):
    def __init__(self, suggestion_id: int):
        super().__init__(
            title=fit(t("community.reject_title", id=suggestion_id), 45),
            custom_id=f"sug:r:{suggestion_id}",
            timeout=None,
        )
        self.add_item(
            discord.ui.TextInput(
                label=t("community.reject_label"),
                custom_id="reason",
                style=discord.TextStyle.paragraph,
                max_length=1000,
            )
        )


class ReportModal(SafeModal):
    def __init__(self, custom_id: str):
        super().__init__(title=t("report.modal_title"), custom_id=custom_id, timeout=None)
        self.add_item(
            discord.ui.TextInput(
                label=t("report.label"), custom_id="reason", style=discord.TextStyle.paragraph, max_length=1000
            )
        )


def _shown(message: discord.Message | None) -> str:
    """The text the member saw on the message they report (its first embed, or its content)."""
    if message is None:
        return ""
    if message.embeds:
        embed = message.embeds[0]
        parts = [embed.title or "", embed.description or ""]
        parts += [f"{f.name}: {f.value}" for f in embed.fields[:2]]
        return "\n".join(p for p in parts if p)
    return message.content or ""


async def on_modal_submit(interaction: discord.Interaction) -> bool:
    """Handle a community modal by its custom id; False when the modal is not ours."""
    data: dict = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if not custom_id.startswith(("sug:", "rep:")):
        return False
    if interaction.guild_id is None:
        await reply(interaction, t("error.guild_only"))
        return True
    service = community(interaction)
    texts = {name: submitted_value(data, name) for name in FIELDS}
    if match := NEW_MODAL.fullmatch(custom_id):
        form = QuestionForm(
            section_id=match["section"],
            type=str(TYPES[match["type"]]),
            domain=DOMAINS[match["domain"]],
            difficulty=int(match["difficulty"]),
            **texts,
        )
        submitted = await service.suggest(
            interaction.guild_id, interaction.user.id, interaction.user.display_name, form
        )
        await show_submitted(interaction, submitted, texts)
    elif match := EDIT_MODAL.fullmatch(custom_id):
        if not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return True
        moderated = await service.edit(interaction.guild_id, int(match["id"]), texts)
        await show_decision(interaction, moderated, "edited")
    elif match := REJECT_MODAL.fullmatch(custom_id):
        if not is_manager(interaction):
            await reply(interaction, t("error.no_permission"))
            return True
        reason = submitted_value(data, "reason")
        moderated = await service.reject(interaction.guild_id, int(match["id"]), interaction.user.id, reason)
        await show_decision(interaction, moderated, "rejected")
    elif match := REPORT_MODAL.fullmatch(custom_id):
        message = interaction.message
        reported = await service.report(
            interaction.guild_id,
            interaction.user.id,
            KINDS[match["kind"]],
            match["target"],
            _shown(message),
            submitted_value(data, "reason"),
            message.jump_url if message else "",
        )
        await show_reported(interaction, reported)
    else:
        return False
    return True


# -- rendering the service's results ----------------------------------------------------------


async def _post_to_review(interaction: discord.Interaction, channel_id: int | None, **kwargs) -> None:
    """The new item in the guild's review channel (when one is set). A channel that is gone or
    closed to the bot loses nothing: the item waits in the database for ``/quiz queue``."""
    if not channel_id:
        return
    try:
        await interaction.client.get_partial_messageable(channel_id).send(allowed_mentions=NO_PINGS, **kwargs)
    except discord.HTTPException as exc:
        log.warning("could not post to review channel %s: %s", channel_id, exc)


async def _dm(interaction: discord.Interaction, user_id: int, text: str) -> None:
    """Tell a member; blocked DMs are fine (logged, nothing else)."""
    try:
        await send_dm(interaction.client, user_id, fit(text, 2000))
    except discord.HTTPException as exc:
        log.info("could not DM %s: %s", user_id, exc)


async def show_submitted(interaction: discord.Interaction, submitted: Submitted, texts: dict[str, str]) -> None:
    if submitted.refused:
        await reply(interaction, submitted.refused)
        return
    if submitted.suggestion is None:
        # nothing typed is lost: the answer echoes it back to copy into the form again
        typed = "\n".join(f"[{t(f'community.label.{k}')}]\n{v}" for k, v in texts.items() if v)
        text = t("community.invalid", problems=_problems_text(submitted.problems))
        await reply(
            interaction, fit(f"{text}\n\n{t('community.your_text')}\n```\n{typed.replace('`', 'ˋ')}", 1996) + "\n```"
        )
        return
    suggestion = submitted.suggestion
    service = community(interaction)
    await reply(interaction, t("community.submitted", id=suggestion.id, pending=submitted.pending, limit=MAX_PENDING))
    await _post_to_review(
        interaction,
        submitted.review_channel_id,
        embed=suggestion_embed(service.kb, suggestion, submitted.question),
        view=moderation_view(suggestion.id),
    )


async def show_decision(interaction: discord.Interaction, moderated: Moderated, action: str) -> None:
    service = community(interaction)
    suggestion = moderated.suggestion
    if moderated.status is Decided.MISSING or suggestion is None:
        await reply(interaction, t("community.missing"))
        return
    if moderated.status is Decided.INVALID:
        key = "community.edit_invalid" if action == "edited" else "community.invalid"
        await reply(interaction, fit(t(key, problems=_problems_text(moderated.problems)), 2000))
        return
    if moderated.status is Decided.ALREADY:
        await reply(
            interaction,
            t(
                "community.already",
                status=t(
                    f"community.status.{suggestion.status}",
                    moderator=suggestion.moderator_id,
                    qid=f"m-{suggestion.id}",
                    reason=suggestion.reason or "",
                ),
            ),
        )
        return
    embed = suggestion_embed(service.kb, suggestion, moderated.question or service.preview(suggestion))
    view = moderation_view(suggestion.id) if suggestion.status is SuggestionStatus.PENDING else None
    if interaction.message is not None:
        await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
        await interaction.followup.send(_done_text(suggestion, action), ephemeral=True, allowed_mentions=NO_PINGS)
    else:
        await reply(interaction, _done_text(suggestion, action))
    guild = interaction.guild.name if interaction.guild else ""
    if action == "approved":
        await _dm(interaction, suggestion.author_id, t("community.dm_approved", guild=guild, id=suggestion.id))
    elif action == "rejected":
        await _dm(
            interaction,
            suggestion.author_id,
            t("community.dm_rejected", guild=guild, id=suggestion.id, reason=suggestion.reason or ""),
        )


def _done_text(suggestion, action: str) -> str:
    if action == "approved":
        return t("community.approved", id=suggestion.id, qid=f"m-{suggestion.id}")
    if action == "rejected":
        return t("community.rejected", id=suggestion.id)
    return t("community.edited", id=suggestion.id)


async def show_reported(interaction: discord.Interaction, reported: Reported) -> None:
    await reply(interaction, t("report.thanks", id=reported.report.id))
    await _post_to_review(
        interaction,
        reported.review_channel_id,
        embed=report_embed(community(interaction), reported.report, reported.reporters),
        view=report_view(reported.report.id),
    )


async def show_resolved(interaction: discord.Interaction, resolved: Resolved) -> None:
    report = resolved.report
    if resolved.status is Decided.MISSING or report is None:
        await reply(interaction, t("community.missing"))
        return
    status = t(f"report.status.{report.status}", moderator=report.moderator_id)
    if resolved.status is Decided.ALREADY:
        await reply(interaction, t("community.already", status=status))
        return
    service = community(interaction)
    embed = report_embed(service, report, 0)
    await interaction.response.edit_message(embed=embed, view=None, allowed_mentions=NO_PINGS)
    await interaction.followup.send(
        t("report.resolved", id=report.id, status=status), ephemeral=True, allowed_mentions=NO_PINGS
    )
    guild = interaction.guild.name if interaction.guild else ""
    key = "report.dm_fixed" if report.status is ReportStatus.FIXED else "report.dm_dismissed"
    await _dm(interaction, report.reporter_id, t(key, guild=guild, id=report.id))


async def send_queue(interaction: discord.Interaction, queue: Queue, *, reports_only: bool = False) -> None:
    """The oldest items, each as its own ephemeral message with its buttons."""
    service = community(interaction)
    items: list[tuple[discord.Embed, discord.ui.View]] = []
    if not reports_only:
        items += [(suggestion_embed(service.kb, s, q), moderation_view(s.id)) for s, q in queue.suggestions]
    items += [(report_embed(service, r, n), report_view(r.id)) for r, n in queue.reports]
    if not items:
        await reply(interaction, t("community.queue_empty"))
        return
    head = t(
        "community.queue_head", pending=0 if reports_only else queue.pending, open=queue.open, shown=len(items[:5])
    )
    first, *rest = items[:5]
    await interaction.response.send_message(
        head, embed=first[0], view=first[1], ephemeral=True, allowed_mentions=NO_PINGS
    )
    for embed, view in rest:
        await interaction.followup.send(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_PINGS)
