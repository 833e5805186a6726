"""exam: mock exams and their questions, the member's exam date and review reminders

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "exams",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        # True while running, NULL once finished: the unique key below allows one running exam per
        # member (NULLs are distinct in a unique constraint on SQLite and PostgreSQL alike)
        sa.Column("live", sa.Boolean, nullable=True),
        sa.Column("questions", sa.Integer, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("correct", sa.Integer, nullable=True),
        sa.Column("scaled", sa.Integer, nullable=True),
        sa.Column("timed_out", sa.Boolean, nullable=True),
        sa.UniqueConstraint("guild_id", "user_id", "live", name="uq_exams_one_running"),
    )
    op.create_index("ix_exams_member", "exams", ["guild_id", "user_id", "started_at"])
    op.create_index("ix_exams_status_ends", "exams", ["status", "ends_at"])
    op.create_table(
        "exam_items",
        sa.Column("exam_id", sa.Integer, sa.ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("topic_id", sa.String(80), nullable=False),
        sa.Column("domain", sa.String(16), nullable=True),
        sa.Column("snapshot", sa.Text, nullable=False),
        sa.Column("choice_order", sa.String(40), nullable=False),
        sa.Column("chosen", sa.Text, nullable=True),
        sa.Column("flagged", sa.Boolean, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", TZ, nullable=True),
    )
    op.create_table(
        "study_plans",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("exam_date", sa.Date, nullable=True),
        sa.Column("remind_hour", sa.Integer, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "reminders",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("local_date", sa.Date, primary_key=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_table("study_plans")
    op.drop_table("exam_items")
    op.drop_index("ix_exams_status_ends", "exams")
    op.drop_index("ix_exams_member", "exams")
    op.drop_table("exams")
