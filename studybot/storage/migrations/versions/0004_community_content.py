"""the group writes the bot: member suggestions (at most 5 pending per member, a constraint),
approved member questions (one per suggestion, a constraint), "this is wrong" reports, and the
guild's review channel

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(sa.Column("review_channel_id", sa.BigInteger, nullable=True))
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("author_id", sa.BigInteger, nullable=False),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pending_slot", sa.Integer, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderator_id", sa.BigInteger, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.UniqueConstraint("guild_id", "author_id", "pending_slot", name="uq_suggestions_pending_slot"),
    )
    op.create_index("ix_suggestions_guild_status", "suggestions", ["guild_id", "status"])
    op.create_table(
        "member_questions",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("suggestion_id", sa.Integer, nullable=False),
        sa.Column("author_id", sa.BigInteger, nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("suggestion_id", name="uq_member_questions_suggestion_id"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("reporter_id", sa.BigInteger, nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(80), nullable=False),
        sa.Column("shown", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("link", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderator_id", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_reports_guild_status", "reports", ["guild_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_reports_guild_status", "reports")
    op.drop_table("reports")
    op.drop_table("member_questions")
    op.drop_index("ix_suggestions_guild_status", "suggestions")
    op.drop_table("suggestions")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("review_channel_id")
