"""Table definitions (SQLAlchemy Core). The schema itself is created by Alembic migrations in
``studybot/storage/migrations``; these objects are what queries are written against."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("post_time", String(5), nullable=False),  # local "HH:MM"
    Column("timezone", String(64), nullable=False),
    Column("paused", Boolean, nullable=False, default=False),
    Column("reveal_mode", String(16), nullable=False, default="at-close"),
    Column("close_hour", Integer, nullable=True),  # local hour; None = when the next question is posted
    Column("admin_id", BigInteger, nullable=True),  # who configured it: told when posting fails
    Column("last_error", Text, nullable=True),
    Column("review_channel_id", BigInteger, nullable=True),  # where suggestions and reports are moderated
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("slot", String(40), nullable=False),  # "daily", or "now-<n>" for /quiz now
    Column("question_id", String(80), nullable=False),
    Column("topic_id", String(80), nullable=False),
    Column("choice_order", String(40), nullable=False, default=""),  # "2,0,3,1": shuffled option indexes
    Column("channel_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=True),
    Column("status", String(16), nullable=False),  # claimed, sending, posted, failed, closing, closed
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=True),
    Column("closes_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("error", Text, nullable=True),
    Column("snapshot", Text, nullable=True),  # the question as posted (JSON)
    UniqueConstraint("guild_id", "local_date", "slot", name="uq_posts_guild_day_slot"),
    Index("ix_posts_status_closes", "status", "closes_at"),
    Index("ix_posts_guild_question", "guild_id", "question_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("choice", String(200), nullable=False),  # option text, O/X, or the typed short answer
    Column("correct", Boolean, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("local_date", Date, nullable=True),  # the post's local day, copied for fast boards
    UniqueConstraint("post_id", "user_id", name="uq_answers_post_user"),
    Index("ix_answers_guild_time", "guild_id", "answered_at"),
    Index("ix_answers_guild_day", "guild_id", "local_date", "user_id"),
    Index("ix_answers_guild_user_day", "guild_id", "user_id", "local_date"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("question_id", String(80), primary_key=True),
    Column("card", Text, nullable=False),  # fsrs Card as JSON
    Column("due", DateTime(timezone=True), nullable=False),
    Column("lapses", Integer, nullable=False, default=0),
    Index("ix_reviews_user_due", "guild_id", "user_id", "due"),
)

activity = Table(
    "activity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("topic_id", String(80), nullable=False),
    Column("kind", String(16), nullable=False),  # practice, review
    Column("correct", Boolean, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Index("ix_activity_guild_user", "guild_id", "user_id", "answered_at"),
)

seasons = Table(
    "seasons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("name", String(100), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    UniqueConstraint("guild_id", "name", name="uq_seasons_guild_name"),
)

teams = Table(
    "teams",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("role_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
)

recaps = Table(
    "recaps",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("week_start", Date, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("message_id", BigInteger, nullable=True),
)

departed = Table(
    "departed",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("left_at", DateTime(timezone=True), nullable=False),
)

study_shown = Table(
    "study_shown",
    metadata,
    # a practice or review question as served to one member: its buttons carry only the token and
    # the shown positions, the option order lives here (so nothing in a custom id names an option)
    Column("token", String(32), primary_key=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),  # practice, review
    Column("question_id", String(80), nullable=False),
    Column("choice_order", String(40), nullable=False, default=""),  # "2,0,3,1": shuffled option indexes
    Column("served_at", DateTime(timezone=True), nullable=False),
    Index("ix_study_shown_served", "served_at"),
)

# -- the group writes the bot (migration 0004): suggestions, approved member questions, reports --

suggestions = Table(
    "suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("author_id", BigInteger, nullable=False),
    Column("author_name", String(100), nullable=False, default=""),
    Column("status", String(16), nullable=False),  # pending, approved, rejected
    # 1..5 while pending, NULL after the decision: the cap of 5 pending per member is this constraint
    Column("pending_slot", Integer, nullable=True),
    Column("payload", Text, nullable=False),  # the question as the bank's mapping (JSON)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("moderator_id", BigInteger, nullable=True),
    Column("reason", Text, nullable=True),
    UniqueConstraint("guild_id", "author_id", "pending_slot", name="uq_suggestions_pending_slot"),
    Index("ix_suggestions_guild_status", "guild_id", "status"),
)

member_questions = Table(
    "member_questions",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("question_id", String(80), primary_key=True),
    # one question per suggestion, whatever the clicks and the processes: a double approve is refused here
    Column("suggestion_id", Integer, nullable=False, unique=True),
    Column("author_id", BigInteger, nullable=True),
    Column("question", Text, nullable=False),  # lookup.Question as JSON
    Column("approved_at", DateTime(timezone=True), nullable=False),
    Column("approved_by", BigInteger, nullable=True),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("reporter_id", BigInteger, nullable=False),
    Column("target_kind", String(16), nullable=False),  # section, question
    Column("target_id", String(80), nullable=False),
    Column("shown", Text, nullable=False),  # the text the member saw
    Column("reason", Text, nullable=False),
    Column("link", String(200), nullable=False, default=""),
    Column("status", String(16), nullable=False),  # open, fixed, dismissed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("moderator_id", BigInteger, nullable=True),
    Index("ix_reports_guild_status", "guild_id", "status"),
)

# issue 11: mock exams, the member's exam date and review reminders (migration 0007)

exams = Table(
    "exams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # running, finished
    Column("live", Boolean, nullable=True),  # True while running, NULL after: one running exam per member
    Column("questions", Integer, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("position", Integer, nullable=False),  # the question last shown
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("correct", Integer, nullable=True),
    Column("scaled", Integer, nullable=True),
    Column("timed_out", Boolean, nullable=True),
    UniqueConstraint("guild_id", "user_id", "live", name="uq_exams_one_running"),
    Index("ix_exams_member", "guild_id", "user_id", "started_at"),
    Index("ix_exams_status_ends", "status", "ends_at"),
)

exam_items = Table(
    "exam_items",
    metadata,
    Column("exam_id", Integer, ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("question_id", String(80), nullable=False),
    Column("topic_id", String(80), nullable=False),
    Column("domain", String(16), nullable=True),
    Column("snapshot", Text, nullable=False),  # the question as drawn (JSON)
    Column("choice_order", String(40), nullable=False),
    Column("chosen", Text, nullable=True),  # JSON list of the chosen options; NULL: not answered
    Column("flagged", Boolean, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=True),
)

study_plans = Table(
    "study_plans",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),  # personal, across servers
    Column("guild_id", BigInteger, nullable=False),  # where it was last set (reminders start the review there)
    Column("exam_date", Date, nullable=True),
    Column("remind_hour", Integer, nullable=True),  # local hour of the review reminder; NULL: off
    Column("timezone", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

reminders = Table(
    "reminders",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("local_date", Date, primary_key=True),  # at most one reminder DM per member per local day
    Column("guild_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)
