"""Drive the real discord.py objects with only the transport faked.

All use of discord.py's private API lives here (pinned discord.py version in requirements):
- ``ConnectionState.parse_interaction_create``: the gateway's own entry point for interactions;
- ``discord.webhook.async_.async_context``: the adapter interaction responses and followups use;
- ``HTTPClient.request``: every other REST call (channel posts, edits, command sync).

Every request body that would reach Discord is recorded and checked against Discord's OpenAPI
specification (``tests/contract.py``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.webhook import async_ as webhook_async

from tests.contract import Contract

APP_ID = 900000000000000001
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001
BOT_USER_ID = 900000000000000001
OWNER_ID = 950000000000000001
DM_CHANNEL_ID = 980000000000000001
_ids = itertools.count(930000000000000001)


def snowflake() -> str:
    return str(next(_ids))


@dataclass
class Request:
    method: str
    path: str  # the route template, e.g. /channels/{channel_id}/messages
    url: str
    body: Any
    files: list[discord.File] = field(default_factory=list)
    response: Any = None  # what the fake Discord answered

    @property
    def data(self) -> dict:
        """The message data of an interaction callback, or the body itself."""
        if isinstance(self.body, dict) and "type" in self.body and "data" in self.body:
            return self.body["data"] or {}
        return self.body if isinstance(self.body, dict) else {}


def _body(payload: dict | None, multipart: list[dict] | None) -> Any:
    if payload is not None:
        return payload
    for part in multipart or []:
        if part.get("name") == "payload_json":
            return json.loads(part["value"])
    return None


def _message(body: dict | None, channel_id: int = CHANNEL_ID) -> dict:
    body = body or {}
    return {
        "id": snowflake(),
        "channel_id": str(channel_id),
        "type": 0,
        "content": body.get("content") or "",
        "author": {"id": str(BOT_USER_ID), "username": "StudyBot", "discriminator": "0", "avatar": None, "bot": True},
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "mention_everyone": False,
        "tts": False,
        "timestamp": "2026-11-26T00:00:00+00:00",
        "edited_timestamp": None,
        "flags": body.get("flags", 0),
    }


class Recorder:
    def __init__(self, contract: Contract):
        self.contract = contract
        self.requests: list[Request] = []

    def record(self, method: str, path: str, url: str, body: Any, files=None) -> Request:
        request = Request(method, path, url, body, list(files or []))
        self.requests.append(request)
        self.contract.validate(method, path, body)
        return request

    def clear(self) -> None:
        self.requests.clear()

    @property
    def last(self) -> Request:
        return self.requests[-1]


class RecordingWebhookAdapter(webhook_async.AsyncWebhookAdapter):
    def __init__(self, recorder: Recorder):
        super().__init__()
        self.recorder = recorder

    async def request(self, route, session, *, payload=None, multipart=None, files=None, **kwargs):
        body = _body(payload, multipart)
        request = self.recorder.record(route.method, route.path, route.url, body, files)
        if route.path.endswith("/callback"):
            # like Discord with ?with_response=1: the message the response created, with its id
            request.response = {"interaction": {"id": str(route.webhook_id), "type": 2}}
            if body and body.get("type") in (4, 7):
                request.response["resource"] = {"type": body["type"], "message": _message(body.get("data"))}
        elif route.method in ("POST", "PATCH"):
            request.response = _message(body)
        return request.response


class Crash(BaseException):
    """Raised inside a request to stand for the process dying at that point (nothing after it runs)."""


@dataclass
class DiscordState:
    """What Discord itself keeps, which outlives a bot restart: the messages in each channel and
    the nonces it has seen (a repeated enforced nonce returns the first message, as Discord does)."""

    channels: dict[int, list[dict]] = field(default_factory=dict)
    nonces: dict[tuple[int, str], dict] = field(default_factory=dict)


class FakeHTTP:
    """Stands in for ``HTTPClient.request``: records, validates and answers like Discord."""

    def __init__(self, recorder: Recorder, state: DiscordState | None = None):
        self.recorder = recorder
        self.state = state or DiscordState()
        self.fail_next: dict[str, BaseException] = {}
        self.crash_after: dict[str, BaseException] = {}  # Discord accepts the request, then the bot dies

    async def __call__(self, route, *, files=None, form=None, **kwargs):
        body = kwargs.get("json")
        if body is None and form:
            body = _body(None, form)
        request = self.recorder.record(route.method, route.path, route.url, body, files)
        request.response = await self._answer(route, body)
        crash = self.crash_after.pop(route.path, None)
        if crash is not None:
            raise crash
        return request.response

    async def _answer(self, route, body):
        error = self.fail_next.pop(route.path, None)
        if error is not None:
            raise error
        if route.path == "/oauth2/applications/@me":
            owner = {"id": str(OWNER_ID), "username": "owner", "discriminator": "0", "avatar": None}
            return {
                "id": str(APP_ID),
                "name": "StudyBot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner,
                "verify_key": "0" * 64,
                "flags": 0,
            }
        if route.path == "/users/{user_id}" and route.method == "GET":
            uid = route.url.rsplit("/", 1)[-1]
            return {"id": uid, "username": f"user{uid[-4:]}", "discriminator": "0", "avatar": None, "global_name": None}
        if route.path == "/users/@me/channels" and route.method == "POST":
            recipient = {"id": str(body["recipient_id"]), "username": "admin", "discriminator": "0", "avatar": None}
            return {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [recipient], "last_message_id": None}
        if route.path.endswith("/commands") and route.method == "PUT":
            return [{**cmd, "id": snowflake(), "application_id": str(APP_ID), "version": snowflake()} for cmd in body]
        if route.path == "/channels/{channel_id}/messages" and route.method == "POST":
            channel = int(route.channel_id)
            nonce = (body or {}).get("nonce")
            if nonce and (body or {}).get("enforce_nonce") and (channel, str(nonce)) in self.state.nonces:
                return self.state.nonces[(channel, str(nonce))]
            message = _message(body, channel)
            self.state.channels.setdefault(channel, []).append(message)
            if nonce:
                self.state.nonces[(channel, str(nonce))] = message
            return message
        if route.path == "/channels/{channel_id}/messages" and route.method == "GET":
            return list(reversed(self.state.channels.get(int(route.channel_id), [])))[:100]
        if route.path == "/channels/{channel_id}/messages/{message_id}" and route.method == "PATCH":
            return {**_message(body, route.channel_id), "id": route.url.rsplit("/", 1)[-1]}
        return {}


class Harness:
    def __init__(self, bot: discord.Client, contract: Contract, state: DiscordState | None = None):
        self.bot = bot
        self.recorder = Recorder(contract)
        self.http = FakeHTTP(self.recorder, state)
        self._previous: webhook_async.AsyncWebhookAdapter | None = None

    async def start(self) -> None:
        self._previous = webhook_async.async_context.get()
        webhook_async.async_context.set(RecordingWebhookAdapter(self.recorder))
        self.bot.http.request = self.http  # type: ignore[method-assign]
        await self.bot._async_setup_hook()
        self.bot._connection.application_id = APP_ID
        self.bot._connection.user = discord.ClientUser(
            state=self.bot._connection,
            data={"id": str(BOT_USER_ID), "username": "StudyBot", "discriminator": "0", "avatar": None, "bot": True},
        )
        await self.bot.setup_hook()
        self.add_guild()

    def add_guild(self, guild_id: int = GUILD_ID, channels=(CHANNEL_ID,), roles=(), members=()) -> None:
        """The GUILD_CREATE the gateway sends at start-up, fed through the gateway's own parser."""
        everyone = {
            "id": str(guild_id),
            "name": "@everyone",
            "permissions": "0",
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        data = {
            "id": str(guild_id),
            "name": "SAA 스터디",
            "icon": None,
            "owner_id": str(OWNER_ID),
            "unavailable": False,
            "member_count": len(members) + 1,
            "roles": [everyone, *roles],
            "channels": [
                {"id": str(c), "type": 0, "name": f"study-{i}", "position": i, "permission_overwrites": []}
                for i, c in enumerate(channels)
            ],
            "members": list(members),
            "emojis": [],
            "features": [],
            "threads": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "large": False,
        }
        self.bot._connection._chunk_guilds = False  # no gateway here: the members come in the payload
        self.bot._connection.parse_guild_create(data)

    async def close(self) -> None:
        if self._previous is not None:
            webhook_async.async_context.set(self._previous)
        await self.bot.close()

    @property
    def requests(self) -> list[Request]:
        return self.recorder.requests

    # -- payloads of Discord's documented shape ----------------------------------------------

    @staticmethod
    def member(user_id: int = 940000000000000001, name: str = "member", permissions: int = 0, roles=()) -> dict:
        return {
            "user": {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None, "global_name": name},
            "roles": [str(r) for r in roles],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    def _base(self, kind: int, data: dict, member: dict | None, guild_id: int | None, channel_id: int) -> dict:
        payload = {
            "id": snowflake(),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": "tok-" + snowflake(),
            "version": 1,
            "channel_id": str(channel_id),
            "channel": {
                "id": str(channel_id),
                "type": 0,
                "name": "study",
                "position": 0,
                "guild_id": str(guild_id or 0),
            },
            "locale": "ko",
            "app_permissions": str(discord.Permissions.all().value),
            "attachment_size_limit": 10 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
        }
        member = member or self.member()
        if guild_id:
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "ko"
            payload["member"] = member
        else:
            payload["user"] = member["user"]
            payload["channel"] = {"id": str(channel_id), "type": 1}
            payload["context"] = 1
        return payload

    def command(
        self,
        name: str,
        options: list[dict] | None = None,
        *,
        member=None,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        subcommand: str | None = None,
        resolved: dict | None = None,
    ) -> dict:
        cmd = self.bot.tree.get_command(name)
        opts = options or []
        if subcommand:
            opts = [{"type": 1, "name": subcommand, "options": opts}]
        data = {"id": snowflake(), "name": name, "type": 1, "options": opts}
        if resolved:
            data["resolved"] = resolved
        assert cmd is not None, f"no command {name}"
        return self._base(2, data, member, guild_id, channel_id)

    def autocomplete(
        self, name: str, option: str, value: str, *, subcommand: str | None = None, others=(), **kw
    ) -> dict:
        opts = [*others, {"type": 3, "name": option, "value": value, "focused": True}]
        payload = self.command(name, opts, subcommand=subcommand, **kw)
        payload["type"] = 4
        return payload

    def click(
        self, custom_id: str, *, message: dict | None = None, member=None, guild_id=GUILD_ID, channel_id=CHANNEL_ID
    ) -> dict:
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._base(3, data, member, guild_id, channel_id)
        if message is None:  # the message the button sits on, as Discord sends it with the click
            button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
            message = _message({"components": [{"type": 1, "components": [button]}]}, channel_id)
        payload["message"] = message
        return payload

    def select(
        self,
        custom_id: str,
        values: list[str],
        *,
        message: dict | None = None,
        member=None,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
    ) -> dict:
        """A string select submitted with ``values`` (Discord sends the message it sits on)."""
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
        payload = self._base(3, data, member, guild_id, channel_id)
        if message is None:
            options = [{"label": v, "value": v} for v in values] or [{"label": "0", "value": "0"}]
            menu = {"type": 3, "custom_id": custom_id, "options": options}
            message = _message({"components": [{"type": 1, "components": [menu]}]}, channel_id)
        payload["message"] = message
        return payload

    def modal_submit(
        self,
        custom_id: str,
        values: dict[str, str],
        *,
        member=None,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        message: dict | None = None,
    ) -> dict:
        components = [
            {"type": 18, "id": i + 1, "component": {"type": 4, "id": i + 100, "custom_id": k, "value": v}}
            for i, (k, v) in enumerate(values.items())
        ]
        data = {"custom_id": custom_id, "components": components}
        payload = self._base(5, data, member, guild_id, channel_id)
        if message is not None:
            payload["message"] = message
        return payload

    async def dispatch(self, payload: dict) -> list[Request]:
        """Feed one interaction through the gateway entry point; wait for what it started."""
        before = len(self.requests)
        existing = asyncio.all_tasks()
        self.bot._connection.parse_interaction_create(payload)
        for _ in range(100):
            pending = [
                t
                for t in asyncio.all_tasks() - existing
                if not t.done() and t is not asyncio.current_task() and "timeout_task" not in repr(t.get_coro())
            ]
            if not pending:  # (a view's or modal's own timeout keeps running, as on a live bot)
                break
            await asyncio.wait(pending, timeout=0.1)
        else:
            raise AssertionError(f"interaction tasks did not finish: {pending}")
        return self.requests[before:]
