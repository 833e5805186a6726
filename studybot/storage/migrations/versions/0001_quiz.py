"""quiz: guild settings, posts, answers, review queue, practice activity

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("post_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("reveal_mode", sa.String(16), nullable=False),
        sa.Column("close_hour", sa.Integer, nullable=True),
        sa.Column("admin_id", sa.BigInteger, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("slot", sa.String(40), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("topic_id", sa.String(80), nullable=False),
        sa.Column("choice_order", sa.String(40), nullable=False),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_at", TZ, nullable=False),
        sa.Column("posted_at", TZ, nullable=True),
        sa.Column("closes_at", TZ, nullable=True),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.UniqueConstraint("guild_id", "local_date", "slot", name="uq_posts_guild_day_slot"),
    )
    op.create_index("ix_posts_status_closes", "posts", ["status", "closes_at"])
    op.create_index("ix_posts_guild_question", "posts", ["guild_id", "question_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "post_id",
            sa.Integer,
            sa.ForeignKey("posts.id", ondelete="CASCADE", name="fk_answers_post_id_posts"),
            nullable=False,
        ),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("choice", sa.String(200), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", TZ, nullable=False),
        sa.UniqueConstraint("post_id", "user_id", name="uq_answers_post_user"),
    )
    op.create_index("ix_answers_guild_time", "answers", ["guild_id", "answered_at"])
    op.create_index("ix_answers_guild_user", "answers", ["guild_id", "user_id"])
    op.create_table(
        "reviews",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("due", TZ, nullable=False),
        sa.Column("lapses", sa.Integer, nullable=False),
    )
    op.create_index("ix_reviews_user_due", "reviews", ["guild_id", "user_id", "due"])
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("topic_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", TZ, nullable=False),
    )
    op.create_index("ix_activity_guild_user", "activity", ["guild_id", "user_id", "answered_at"])


def downgrade() -> None:
    for table in ("activity", "reviews", "answers", "posts", "guild_settings"):
        op.drop_table(table)
