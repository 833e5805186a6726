"""leaderboard: answers.local_date, seasons, teams, weekly recaps, departed members

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("local_date", sa.Date, nullable=True))
    op.execute("UPDATE answers SET local_date = (SELECT posts.local_date FROM posts WHERE posts.id = answers.post_id)")
    op.create_index("ix_answers_guild_day", "answers", ["guild_id", "local_date", "user_id"])
    # a member's answered days (streaks) as one index range
    op.drop_index("ix_answers_guild_user", "answers")
    op.create_index("ix_answers_guild_user_day", "answers", ["guild_id", "user_id", "local_date"])
    op.create_table(
        "seasons",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.UniqueConstraint("guild_id", "name", name="uq_seasons_guild_name"),
    )
    op.create_table(
        "teams",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("role_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(100), nullable=False),
    )
    op.create_table(
        "recaps",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "departed",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("departed", "recaps", "teams", "seasons"):
        op.drop_table(table)
    op.drop_index("ix_answers_guild_user_day", "answers")
    op.create_index("ix_answers_guild_user", "answers", ["guild_id", "user_id"])
    op.drop_index("ix_answers_guild_day", "answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("local_date")
