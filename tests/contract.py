"""Validate request bodies against Discord's own OpenAPI specification (vendored in tests/discord-api-spec)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parent / "discord-api-spec" / "openapi.json"
SPEC_URI = "urn:discord-openapi"


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


class ContractError(AssertionError):
    pass


class Contract:
    def __init__(self, spec_path: Path = SPEC):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        self.registry = Registry().with_resource(SPEC_URI, Resource(contents=spec, specification=DRAFT202012))
        self.routes: dict[tuple[str, str], str] = {}
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
                if body is not None:
                    pointer = f"/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}/requestBody/content/application~1json/schema"
                    self.routes[(method.upper(), _shape(path))] = pointer
        self.checked = 0
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}

    def _validator(self, pointer: str) -> jsonschema.Draft202012Validator:
        if pointer not in self._validators:
            schema = {"$ref": f"{SPEC_URI}#{pointer}"}
            self._validators[pointer] = jsonschema.Draft202012Validator(schema, registry=self.registry)
        return self._validators[pointer]

    def validate(self, method: str, path: str, body: Any) -> None:
        pointer = self.routes.get((method.upper(), _shape(path)))
        if pointer is None:
            if body is None:
                return
            raise ContractError(f"{method} {path}: Discord documents no JSON body for this route")
        errors = sorted(self._validator(pointer).iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            detail = "; ".join(
                f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:5]
            )
            raise ContractError(f"{method} {path} body rejected by Discord's spec: {detail}")
        self.checked += 1


@cache
def contract() -> Contract:
    return Contract()


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if not error.context:
        return [error]
    return [leaf for sub in error.context for leaf in _leaves(sub)]
