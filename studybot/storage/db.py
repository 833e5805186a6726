"""The database connection: engine, dialect-specific inserts, and migrations under a lock.

SQLite (aiosqlite, WAL) by default, PostgreSQL (asyncpg) with the same code; the schema comes
from the Alembic migrations in ``studybot/storage/migrations``. Processes that open an empty
database together take turns: a PostgreSQL advisory lock, or an exclusive file lock beside the
SQLite file, is held around the migration."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_250_101  # the PostgreSQL advisory lock key held while migrating


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Database:
    def __init__(self, engine: AsyncEngine, url: str):
        self.engine = engine
        self.url = url
        self.dialect = engine.dialect.name

    @classmethod
    async def open(cls, url: str) -> Database:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=10)
        engine = create_async_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        db = cls(engine, url)
        try:
            await db.migrate()
        except BaseException:
            await engine.dispose()
            raise
        return db

    def insert(self, table: Table) -> Any:
        """``INSERT`` with ``ON CONFLICT`` support for the dialect in use."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    async def migrate(self) -> None:
        def upgrade(connection) -> None:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        if self.dialect == "postgresql":
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                await conn.commit()
                try:
                    await conn.run_sync(upgrade)
                    await conn.commit()
                finally:
                    await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    await conn.commit()
            return
        lock = self._lock_path()
        fd = await asyncio.to_thread(_lock_file, lock) if lock else None
        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(upgrade)
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def _lock_path(self) -> Path | None:
        database = make_url(self.url).database
        if not database or database == ":memory:":
            return None
        return Path(database).with_name(Path(database).name + ".migrate-lock")

    async def close(self) -> None:
        await self.engine.dispose()

    def begin(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection]:
        return self.engine.begin()

    def connect(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection]:
        return self.engine.connect()


def _lock_file(path: Path) -> int:
    """Block until this process holds the exclusive lock (run in a thread: it may wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache per connection (default 2 MiB)
    cursor.execute("PRAGMA mmap_size=268435456")  # read the file through a 256 MiB memory map
    cursor.close()
