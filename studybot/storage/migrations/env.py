"""Alembic environment. The store runs migrations on its own connection (``Store.open``);
``alembic -x url=... upgrade head`` also works from the command line."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from studybot.storage.tables import metadata

config = context.config


def run_with(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_online(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.begin() as conn:
        await conn.run_sync(run_with)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
elif context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    asyncio.run(run_online(url or "sqlite+aiosqlite:///studybot.db"))
