"""Settings from the environment and an optional ``.env`` file. The token is never logged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    token: str = field(default="", repr=False)
    dev_guild_id: int | None = None
    owner_ids: frozenset[int] = frozenset()
    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'studybot.db'}"
    knowledge_dir: Path = ROOT / "knowledge"
    log_level: str = "INFO"
    shard_count: int | None = None  # several processes: SHARD_COUNT and this process's SHARD_IDS
    shard_ids: tuple[int, ...] | None = None
    members_intent: bool = True  # the privileged Server Members intent (enable it in the portal)

    @classmethod
    def from_env(cls, env_file: Path | None = ROOT / ".env") -> Settings:
        if env_file is not None and env_file.exists():
            load_dotenv(env_file, override=False)
        env = os.environ
        owners = frozenset(int(x) for x in env.get("OWNER_IDS", "").replace(",", " ").split() if x.isdigit())
        guild = env.get("DEV_GUILD_ID", "").strip()
        count = env.get("SHARD_COUNT", "").strip()
        ids = tuple(int(x) for x in env.get("SHARD_IDS", "").replace(",", " ").split() if x.isdigit())
        return cls(
            shard_count=int(count) if count.isdigit() else None,
            shard_ids=ids or None,
            token=env.get("DISCORD_TOKEN", "").strip(),
            dev_guild_id=int(guild) if guild.isdigit() else None,
            owner_ids=owners,
            database_url=env.get("DATABASE_URL", "").strip() or cls.database_url,
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR", "").strip() or cls.knowledge_dir),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            members_intent=env.get("MEMBERS_INTENT", "1").strip().lower() not in ("0", "false", "no", "off"),
        )
