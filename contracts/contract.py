"""The contract of an API as one profile sees it: its OpenAPI document, resolved and indexed."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from . import overlay


@dataclass(frozen=True)
class Operation:
    """One documented operation, e.g. `POST /service_run`."""

    method: str
    path: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    def statuses(self) -> set[str]:
        return set(self.raw.get("responses", {}))

    def response(self, status: int) -> dict[str, Any] | None:
        """The documented response for a status: exact code first, then `4XX`-style ranges."""
        responses = self.raw.get("responses", {})
        found: dict[str, Any] | None = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        return found or responses.get("default")

    def body_schema(self, media_type: str = "application/json") -> dict[str, Any] | None:
        content = (self.raw.get("requestBody") or {}).get("content", {})
        return (content.get(media_type) or {}).get("schema")


@dataclass(frozen=True)
class Contract:
    api: str
    profile: str
    document: dict[str, Any] = field(repr=False)  # with $refs, for schemathesis
    resolved: dict[str, Any] = field(repr=False)  # $refs inlined, for our own validation
    # What tools build from this document (schemathesis's schema, its strategies), kept with it.
    built: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def operation(self, name: str) -> Operation:
        method, path = name.split(" ", 1)
        raw = self.resolved["paths"][path][method.lower()]
        return Operation(method.upper(), path, raw)

    def operations(self) -> list[Operation]:
        return [
            Operation(method.upper(), path, raw)
            for path, item in self.resolved["paths"].items()
            for method, raw in item.items()
            if method in {"get", "post", "put", "patch", "delete"}
        ]

    def schema(self, name: str) -> dict[str, Any]:
        return self.resolved["components"]["schemas"][name]  # type: ignore[no-any-return]


def _folder(name: str) -> tuple[Any, str]:
    """Where a contract's documents are, and their stem: `openapi/` for a name, the file's folder for a path.

    A suite from outside names its contract by path (`/somewhere/toy.yaml`); overlays sit beside it.
    """
    if name.endswith(".yaml"):
        path = Path(name)
        return path.parent, path.name.removesuffix(".yaml")
    return resources.files("aicontract.openapi"), name


def _read(folder: Any, name: str) -> dict[str, Any]:
    text = folder.joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def profiles(name: str) -> list[str]:
    folder, stem = _folder(name)
    names = [p.name for p in folder.iterdir()]
    prefix, suffix = f"{stem}.", ".overlay.yaml"
    variants = (n[len(prefix) : -len(suffix)] for n in names if n.startswith(prefix) and n.endswith(suffix))
    return ["documented", *sorted(variants)]


@functools.cache
def load(name: str, profile: str = "documented") -> Contract:
    """The contract `name` (an API in `openapi/`, or a path to a YAML document) as `profile` sees it."""
    folder, stem = _folder(name)
    document = _read(folder, f"{stem}.yaml")
    if profile != "documented":
        if profile not in profiles(name):
            raise ValueError(f"{stem} has no profile {profile!r}; it has {', '.join(profiles(name))}")
        document = overlay.apply(document, _read(folder, f"{stem}.{profile}.overlay.yaml"))
    return Contract(stem, profile, document, _inline(document, document, ()))


def _inline(node: Any, root: dict[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                raise ValueError(f"recursive $ref {ref} is not supported")
            target: Any = root
            for key in ref[2:].split("/"):
                target = target[key.replace("~1", "/").replace("~0", "~")]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            inlined = _inline(target, root, (*seen, ref))
            return {**inlined, **_inline(rest, root, seen)} if rest else inlined
        return {k: _inline(v, root, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, root, seen) for v in node]
    return node


@functools.lru_cache(maxsize=1024)
def _validator(schema: str) -> Any:
    # Keyed by the schema's text: equal schemas share a validator, and no key outlives its schema.
    return jsonschema_rs.Draft202012Validator(json.loads(schema))


def validate(schema: dict[str, Any], instance: Any) -> list[str]:
    """Every way `instance` breaks `schema`, each as `at <path>: <reason>`."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    errors = []
    for error in validator.iter_errors(instance):
        where = "/".join(str(p) for p in error.instance_path) or "(body)"
        errors.append(f"at {where}: {error.message}")
    return errors
