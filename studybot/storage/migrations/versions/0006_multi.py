"""study_shown: a practice or review question as served, its option order behind an opaque token
(the buttons name only the token and the shown positions)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_shown",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("choice_order", sa.String(40), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_study_shown_served", "study_shown", ["served_at"])


def downgrade() -> None:
    op.drop_index("ix_study_shown_served", "study_shown")
    op.drop_table("study_shown")
