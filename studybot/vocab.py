"""The core's typed vocabulary: every state that used to be a bare string.

``StrEnum`` members compare equal to their values, so they are stored as plain text columns and
read back with ``Enum(value)``."""

from __future__ import annotations

from enum import StrEnum


class PostStatus(StrEnum):
    CLAIMED = "claimed"  # the row exists, nothing sent yet
    SENDING = "sending"  # being sent to Discord (a crash here is recovered: see QuizService.recover)
    POSTED = "posted"  # live: members can answer
    CLOSING = "closing"  # claimed for the reveal by one process
    CLOSED = "closed"  # revealed
    FAILED = "failed"  # could not be sent (channel gone, no permission)


class RevealMode(StrEnum):
    AT_CLOSE = "at-close"
    IMMEDIATE = "immediate"


class QuestionType(StrEnum):
    CHOICE = "choice"
    TRUEFALSE = "truefalse"
    SHORT = "short"
    MULTI = "multi"  # pick two or three of five or six options


class Decision(StrEnum):
    ANSWER = "answer"
    ALTERNATIVES = "alternatives"  # an answer, with up to two other likely sections as buttons
    COMPARE = "compare"  # two sections side by side
    DID_YOU_MEAN = "did_you_mean"
    NOTHING = "nothing"
    INVALID = "invalid"


class Period(StrEnum):
    TODAY = "today"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    ALL = "all"


class AnswerStatus(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    CLOSED = "closed"
    MISSING = "missing"
    INVALID = "invalid"
    WRONG_COUNT = "wrong_count"  # a multi-response answer with too many or too few options
    EXPIRED = "expired"  # a practice/review question served too long ago (or before tokens)


class StudyKind(StrEnum):
    """Answers that never count for the standings (study activity in /stats)."""

    PRACTICE = "practice"
    REVIEW = "review"


class RecapStatus(StrEnum):
    CLAIMED = "claimed"
    POSTED = "posted"
    FAILED = "failed"


class Domain(StrEnum):
    """The four SAA-C03 exam domains; a question's ``domain:`` is one of these values."""

    SECURE = "secure"  # Design Secure Architectures
    RESILIENT = "resilient"  # Design Resilient Architectures
    PERFORMANCE = "performance"  # Design High-Performing Architectures
    COST = "cost"  # Design Cost-Optimized Architectures

    @property
    def weight(self) -> int:
        """The domain's share of the scored exam content, in percent."""
        return DOMAIN_WEIGHTS[self]


DOMAIN_WEIGHTS: dict[Domain, int] = {Domain.SECURE: 30, Domain.RESILIENT: 26, Domain.PERFORMANCE: 24, Domain.COST: 20}


class SuggestionStatus(StrEnum):
    PENDING = "pending"  # waiting in the moderation queue
    APPROVED = "approved"  # joined the guild's bank
    REJECTED = "rejected"  # the author was told why


class ReportStatus(StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    DISMISSED = "dismissed"


class ReportTarget(StrEnum):
    """What a "틀린 내용 신고" points at."""

    SECTION = "section"  # a section of the notes (an /ask answer)
    QUESTION = "question"  # a quiz question (a reveal)


class Decided(StrEnum):
    """The outcome of a moderator's click."""

    DONE = "done"
    ALREADY = "already"  # decided before (another click, another moderator, another process)
    MISSING = "missing"  # no such item in this guild
    INVALID = "invalid"  # an edit that does not pass the bank's rules


class ExamStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"


class ExamOutcome(StrEnum):
    """What an exam call tells the front end to show."""

    PAGE = "page"  # a question of the running exam
    RESULT = "result"  # the finished exam's result
    STARTED = "started"  # a new exam, on its first question
    RESUMED = "resumed"  # the member's running exam, reopened where they were
    EXPIRED = "expired"  # the time was up: the answer was refused and the exam is finished
    MISSING = "missing"  # no such exam for this member
    INVALID = "invalid"  # numbers out of range, an option that does not exist
    EMPTY = "empty"  # the bank has no question the exam can serve
