"""The daily quiz: bank rules, schedule, posting, answers, reveal, practice and review (FSRS)."""

from studybot.quiz.bank import Shown, present
from studybot.quiz.service import CONSOLE_GUILD, AnswerOutcome, Due, Post, QuizService, Reveal, nonce

__all__ = ["CONSOLE_GUILD", "AnswerOutcome", "Due", "Post", "QuizService", "Reveal", "Shown", "nonce", "present"]

# the mock exam (studybot.exam) schedules its misses with the same FSRS rules
from studybot.quiz.review import SCHEDULER, after_answer

__all__ += ["SCHEDULER", "after_answer"]
