"""The group writes the bot: member question suggestions and their moderation, "this is wrong"
reports, and exports. The service both front ends call; each front-end action is one call here.

A suggestion is checked by the bank's own validator (``lookup.validate_question``: the same rules
and messages as ``bot.py check``), waits in the moderation queue (at most ``MAX_PENDING`` per
member), and once approved is stored per guild, joining the guild's bank (``QuizService`` draws
from it) as question ``m-<suggestion id>`` credited to its author."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from studybot.clock import Clock
from studybot.community import export
from studybot.community.forms import QuestionForm, to_form, to_mapping
from studybot.lookup import KnowledgeBase, Problem, Question, validate_question
from studybot.lookup.knowledge import QUESTION_KEYS
from studybot.messages import t
from studybot.storage import MAX_PENDING, Report, Storage, Suggestion
from studybot.text import user_text
from studybot.vocab import Decided, ReportStatus, ReportTarget

FLAG_REPORTERS = 3  # the same section or question reported by this many members is flagged
REASON_MAX = 1000
SHOWN_MAX = 1500
QUEUE_PAGE = 5


def question_id_of(suggestion_id: int) -> str:
    return f"m-{suggestion_id}"


def problem_lines(problems: list[Problem]) -> list[str]:
    """The bank's problems as a member reads them: the field's name in the form, then the message."""
    out = []
    for p in problems:
        key = p.field.split("[", 1)[0].split(".", 1)[0]
        out.append(
            t("community.problem", field=t(f"community.field.{key}") if key in FIELDS else p.field, message=p.message)
        )
    return out


TEXT_FIELDS = ("prompt", "options", "answer", "explanation", "source")  # what the form's text inputs hold
FIELDS = frozenset(QUESTION_KEYS)  # a problem in one of these names the field in Korean


@dataclass(frozen=True)
class Submitted:
    suggestion: Suggestion | None = None
    problems: list[str] = field(default_factory=list)  # what to fix (the bank's messages)
    refused: str | None = None  # the whole submit is refused (the cap, an unknown section)
    review_channel_id: int | None = None
    question: Question | None = None  # how it will look
    pending: int = 0  # the author's pending suggestions, this one included


@dataclass(frozen=True)
class Moderated:
    status: Decided
    suggestion: Suggestion | None = None
    question: Question | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reported:
    report: Report
    reporters: int  # members with an open report on the same target (flagged from FLAG_REPORTERS)
    review_channel_id: int | None

    @property
    def flagged(self) -> bool:
        return self.reporters >= FLAG_REPORTERS


@dataclass(frozen=True)
class Resolved:
    status: Decided
    report: Report | None = None


@dataclass(frozen=True)
class Queue:
    suggestions: list[tuple[Suggestion, Question | None]]
    reports: list[tuple[Report, int]]  # (report, members reporting the same target)
    pending: int
    open: int


@dataclass(frozen=True)
class Export:
    count: int
    apkg: bytes = b""
    csv: str = ""


class CommunityService:
    def __init__(self, kb: KnowledgeBase, storage: Storage, clock: Clock):
        self.kb = kb
        self.storage = storage
        self.data = storage.contributions
        self.clock = clock

    # -- suggesting -----------------------------------------------------------------------------

    def section_choices(self, current: str, limit: int = 25) -> list[tuple[str, str]]:
        """(title, id) of the sections a question can test, for autocomplete."""
        needle = (current or "").strip().lower()
        found = [
            (s.title, s.id)
            for s in self.kb.ordered_sections()
            if not s.draft and (not needle or needle in s.title.lower() or needle in s.id)
        ]
        return found[:limit]

    async def can_suggest(self, guild_id: int, user_id: int, section_id: str) -> str | None:
        """Why the member cannot start a suggestion now (None: open the form)."""
        if section_id not in self.kb.sections or self.kb.sections[section_id].draft:
            return t("community.unknown_section", id=section_id[:80])
        if await self.data.pending_count(guild_id, user_id) >= MAX_PENDING:
            return t("community.too_many_pending", limit=MAX_PENDING)
        return None

    def check(self, form: QuestionForm, question_id: str = "m-0") -> tuple[Question | None, list[str]]:
        question, problems = validate_question(
            {"id": question_id, **to_mapping(form)}, self.kb.sections, name="suggestion"
        )
        return question, problem_lines(problems)

    async def suggest(self, guild_id: int, user_id: int, name: str, form: QuestionForm) -> Submitted:
        """Check a member's question and put it in the moderation queue."""
        if form.section_id not in self.kb.sections:  # removed since the form opened (a reload)
            return Submitted(refused=t("community.unknown_section", id=form.section_id[:80]))
        question, problems = self.check(form)
        if question is None:
            return Submitted(problems=problems)
        suggestion = await self.data.add_suggestion(
            guild_id, user_id, user_text(name, 100), to_mapping(form), self.clock()
        )
        if suggestion is None:
            return Submitted(refused=t("community.too_many_pending", limit=MAX_PENDING))
        settings = await self.storage.guilds.get(guild_id)
        return Submitted(
            suggestion=suggestion,
            review_channel_id=settings.review_channel_id if settings else None,
            question=self.preview(suggestion),
            pending=await self.data.pending_count(guild_id, user_id),
        )

    def preview(self, suggestion: Suggestion) -> Question | None:
        """The suggestion as the question it would become (None if it no longer passes, e.g. its
        section was removed by a reload)."""
        question, _ = validate_question(
            {"id": question_id_of(suggestion.id), **suggestion.payload}, self.kb.sections, name="suggestion"
        )
        return replace(question, author_id=suggestion.author_id) if question else None

    def form_of(self, suggestion: Suggestion) -> QuestionForm:
        return to_form(suggestion.payload)

    async def _mine(self, guild_id: int, suggestion_id: int) -> Suggestion | None:
        suggestion = await self.data.suggestion(suggestion_id)
        return suggestion if suggestion is not None and suggestion.guild_id == guild_id else None

    async def suggestion(self, guild_id: int, suggestion_id: int) -> Suggestion | None:
        return await self._mine(guild_id, suggestion_id)

    # -- moderating -----------------------------------------------------------------------------

    async def approve(self, guild_id: int, suggestion_id: int, moderator_id: int) -> Moderated:
        """Approve: the question joins the guild's bank, once, whatever the clicks (a database
        constraint and a compare-and-set on the pending status)."""
        suggestion = await self._mine(guild_id, suggestion_id)
        if suggestion is None:
            return Moderated(Decided.MISSING)
        question, problems = validate_question(
            {"id": question_id_of(suggestion.id), **suggestion.payload}, self.kb.sections, name="suggestion"
        )
        if question is None:
            return Moderated(Decided.INVALID, suggestion, problems=problem_lines(problems))
        question = replace(question, author_id=suggestion.author_id)
        done = await self.data.approve(suggestion.id, question.id, question.to_json(), moderator_id, self.clock())
        return Moderated(Decided.DONE if done else Decided.ALREADY, await self.data.suggestion(suggestion.id), question)

    async def edit(self, guild_id: int, suggestion_id: int, texts: dict[str, str]) -> Moderated:
        """A moderator's edit of a pending suggestion (the form's texts: prompt, options, answer,
        explanation, source), checked like the original."""
        suggestion = await self._mine(guild_id, suggestion_id)
        if suggestion is None:
            return Moderated(Decided.MISSING)
        base = to_form(suggestion.payload)
        form = replace(
            base,
            prompt=texts.get("prompt", base.prompt),
            options=texts.get("options", base.options),
            answer=texts.get("answer", base.answer),
            explanation=texts.get("explanation", base.explanation),
            source=texts.get("source", base.source),
        )
        question, problems = self.check(form)
        if question is None:
            return Moderated(Decided.INVALID, suggestion, problems=problems)
        if not await self.data.edit_suggestion(suggestion.id, to_mapping(form)):
            return Moderated(Decided.ALREADY, suggestion)
        edited = await self.data.suggestion(suggestion.id)
        assert edited is not None
        return Moderated(Decided.DONE, edited, self.preview(edited))

    async def reject(self, guild_id: int, suggestion_id: int, moderator_id: int, reason: str) -> Moderated:
        suggestion = await self._mine(guild_id, suggestion_id)
        if suggestion is None:
            return Moderated(Decided.MISSING)
        reason = user_text(reason, REASON_MAX) or t("community.no_reason")
        done = await self.data.reject(suggestion.id, moderator_id, reason, self.clock())
        return Moderated(Decided.DONE if done else Decided.ALREADY, await self.data.suggestion(suggestion.id))

    # -- reports --------------------------------------------------------------------------------

    async def report(
        self, guild_id: int, user_id: int, kind: ReportTarget, target_id: str, shown: str, reason: str, link: str
    ) -> Reported:
        report = await self.data.add_report(
            guild_id,
            user_id,
            ReportTarget(kind),
            target_id[:80],
            user_text(shown, SHOWN_MAX),
            user_text(reason, REASON_MAX) or t("community.no_reason"),
            user_text(link, 200),
            self.clock(),
        )
        reporters = await self.data.reporters(guild_id, report.target_kind, report.target_id)
        settings = await self.storage.guilds.get(guild_id)
        return Reported(report, reporters, settings.review_channel_id if settings else None)

    async def resolve(self, guild_id: int, report_id: int, moderator_id: int, fixed: bool) -> Resolved:
        report = await self.data.report(report_id)
        if report is None or report.guild_id != guild_id:
            return Resolved(Decided.MISSING)
        status = ReportStatus.FIXED if fixed else ReportStatus.DISMISSED
        done = await self.data.resolve(report.id, status, moderator_id, self.clock())
        return Resolved(Decided.DONE if done else Decided.ALREADY, await self.data.report(report.id))

    def target_title(self, kind: ReportTarget, target_id: str) -> str:
        if kind is ReportTarget.SECTION and target_id in self.kb.sections:
            return self.kb.sections[target_id].title
        return target_id

    async def queue(self, guild_id: int, limit: int = QUEUE_PAGE) -> Queue:
        """The oldest pending suggestions and open reports (each report with how many members
        reported the same target: from FLAG_REPORTERS it is flagged)."""
        pending = await self.data.pending(guild_id, limit)
        reports = await self.data.open_reports(guild_id, limit)
        counts = await asyncio.gather(*(self.data.reporters(guild_id, r.target_kind, r.target_id) for r in reports))
        return Queue(
            [(s, self.preview(s)) for s in pending],
            list(zip(reports, counts, strict=True)),
            await self.data.count_pending(guild_id),
            len(await self.data.open_reports(guild_id, 1000)),
        )

    # -- the guild's questions and exports ------------------------------------------------------

    async def questions(self, guild_id: int) -> list[Question]:
        """The guild's approved member questions (those the repository also ships are left out)."""
        out = []
        for row in await self.data.questions(guild_id):
            question = Question.from_json(row.question)
            if question.id not in self.kb.questions:
                out.append(question)
        return out

    async def bank_yaml(self, guild_id: int) -> tuple[str, int]:
        """The guild's approved questions as bank YAML (``knowledge/<subject>/questions/``)."""
        questions = await self.questions(guild_id)
        header = t("community.yaml_header", guild=guild_id, count=len(questions))
        return export.bank_yaml(questions, header), len(questions)

    async def export_missed(self, guild_id: int, user_id: int, bank: bool = False) -> Export:
        """The member's missed questions (their review cards), or with ``bank`` the guild's whole
        bank, as an Anki package and a CSV."""
        members = {q.id: q for q in await self.questions(guild_id)}
        if bank:
            chosen = [*sorted(self.kb.questions.values(), key=lambda q: q.id), *members.values()]
        else:
            ids = await self.storage.reviews.question_ids(guild_id, user_id)
            chosen = [q for q in (self.kb.questions.get(i) or members.get(i) for i in ids) if q is not None]
        if not chosen:
            return Export(0)
        cards = [export.card_of(q, self.kb) for q in chosen]
        name = t("community.deck_bank" if bank else "community.deck_missed")
        package = await asyncio.to_thread(export.apkg, cards, guild_id, name)
        return Export(len(cards), package, export.cards_csv(cards))
