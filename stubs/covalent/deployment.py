"""Deployments of function services: their control-plane records, lifecycle and inference keys.

A deployment is CREATING until its create delay has passed, then ACTIVE; teardown makes it
INACTIVE for good. An initializer that raises leaves it in ERROR. Deployments are made from code
at start-up (nothing to restore after a restart), so the registry lives in memory.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .service import Service

NEW_OBJECT, CREATING, ACTIVE, INACTIVE, ERROR = "NEW_OBJECT", "CREATING", "ACTIVE", "INACTIVE", "ERROR"
STATUSES = (NEW_OBJECT, CREATING, ACTIVE, INACTIVE, ERROR)


def _same(a: str, b: str) -> bool:
    # Bytes: compare_digest refuses non-ASCII str, and a header may carry any latin-1 text.
    return secrets.compare_digest(a.encode(), b.encode())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class InferenceKey:
    id: str
    key: str
    created_at: str = field(default_factory=_now)
    last_used: str | None = None
    configured: bool = False  # one of the stub's API keys: never evicted


@dataclass
class Deployment:
    id: str
    service: Service
    defaults: dict[str, Any]  # the initializer's return values
    keys: list[InferenceKey]
    ready_at: float  # time.monotonic() when CREATING turns ACTIVE
    error: str | None = None
    torn_down: bool = False
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)

    @property
    def status(self) -> str:
        if self.torn_down:
            return INACTIVE
        if self.error is not None:
            return ERROR
        return ACTIVE if time.monotonic() >= self.ready_at else CREATING

    def accepts(self, key: str | None) -> bool:
        if not self.service.auth:
            return True
        found = next((k for k in self.keys if key is not None and _same(k.key, key)), None)
        if found is not None:
            found.last_used = _now()
        return found is not None

    def add_key(self, limit: int) -> InferenceKey:
        """A new key; beyond `limit` keys the oldest one made through the API is revoked."""
        made = [k for k in self.keys if not k.configured]
        if made and len(self.keys) >= limit:
            self.keys.remove(made[0])
        key = InferenceKey(id=secrets.token_hex(8), key=secrets.token_urlsafe(24))
        self.keys.append(key)
        self.updated_at = _now()
        return key

    def remove_key(self, key_id: str) -> bool:
        kept = [k for k in self.keys if k.id != key_id]
        removed = len(kept) != len(self.keys)
        self.keys = kept
        if removed:
            self.updated_at = _now()
        return removed

    def teardown(self) -> None:
        if not self.torn_down:
            self.torn_down = True
            self.updated_at = _now()

    def endpoints(self, *, listing: bool = False) -> list[dict[str, Any]]:
        out = []
        for e in self.service.endpoints:
            entry: dict[str, Any] = {"route": e.route, "method": e.method, "name": e.name, "description": e.description}
            if not listing:
                entry["streaming"] = e.streaming
            out.append(entry)
        return out

    def record(self, invoke_url: str, status: str) -> dict[str, Any]:
        """The function record `GET /fn/api/v0/functions/{id}` answers (what cc.get_deployment reads)."""
        return {
            "id": self.id,
            "title": self.service.title,
            "description": self.service.description,
            "invoke_url": invoke_url,
            "status": status,
            "endpoints": self.endpoints(),
            "tags": list(self.service.tags),
            "auth": self.service.auth,
            "inference_keys": [{"id": k.id, "key": k.key, "created_at": k.created_at} for k in self.keys],
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "error": self.error,
            "stderr": None,
        }

    def summary(self, status: str) -> dict[str, Any]:
        """One entry of the function listing (no keys, no invoke_url)."""
        return {
            "id": self.id,
            "title": self.service.title,
            "description": self.service.description,
            "status": status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "endpoints": self.endpoints(listing=True),
            "tags": list(self.service.tags),
            "auth": self.service.auth,
        }


class Registry:
    """Every deployment the stub hosts, by function id (and by invoke alias)."""

    def __init__(self, api_keys: tuple[str, ...]) -> None:
        self.api_keys = api_keys
        self.deployments: dict[str, Deployment] = {}
        self.aliases: dict[str, str] = {}
        self.made: list[str] = []  # ids deployed through the API, oldest first: the ones make_room forgets

    def deploy(
        self, svc: Service, *, create_delay: float = 0.0, function_id: str | None = None, **init_kwargs: Any
    ) -> Deployment:
        fid = function_id or svc.id
        if fid in self.deployments or fid in self.aliases:
            raise ValueError(f"a deployment with id {fid} already exists")
        error = None
        defaults: dict[str, Any] = {}
        try:
            defaults = svc.initialize(**init_kwargs)
        except Exception as exc:  # the service's own code failed: the deployment shows ERROR
            error = f"{type(exc).__name__}: {exc}"
        # Every configured API key starts out as an inference key of every deployment, so one
        # `--api-key` works for both planes.
        keys = [InferenceKey(id=f"key-{i}", key=k, configured=True) for i, k in enumerate(self.api_keys)]
        deployment = Deployment(fid, svc, defaults, keys, time.monotonic() + create_delay, error)
        self.deployments[fid] = deployment
        if function_id is not None:
            self.made.append(fid)
        return deployment

    def make_room(self, limit: int) -> bool:
        """Forget the oldest deployments made through the API until fewer than `limit` are hosted."""
        while len(self.deployments) >= limit and self.made:
            del self.deployments[self.made.pop(0)]
        return len(self.deployments) < limit

    def alias(self, name: str, function_id: str) -> None:
        self.aliases[name] = function_id

    def get(self, function_id: str) -> Deployment | None:
        return self.deployments.get(function_id)

    def invoked(self, segment: str) -> Deployment | None:
        """The deployment a data-plane path segment names: its id or an alias."""
        return self.deployments.get(self.aliases.get(segment, segment))

    def account_key_ok(self, key: str | None) -> bool:
        return key is not None and any(_same(k, key) for k in self.api_keys)

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(12)
