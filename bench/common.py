"""Shared by the benchmarks and the tests: a throw-away PostgreSQL schema."""

from __future__ import annotations


async def reset_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of a throw-away database (never a real one)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
