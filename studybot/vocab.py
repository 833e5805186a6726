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
