"""The agentUniverse Web API suite: schema-driven checks plus semantic and stateful ones."""

from __future__ import annotations

from typing import Any

from .. import methods
from ..apis import Option
from ..context import Context
from ..fuzz import Hooks, register
from . import async_runs, errors, stream, sync  # noqa: F401  (registers their probes)
from .protocol import API

OPTIONS = [
    Option("--service-id", "service_id", "the service the semantic checks run (default: demo_service)"),
    Option("--input", "input", "the input the semantic checks send (default: Hello!)"),
]


def _steer(ctx: Context, body: Any) -> Any:
    # Half of the valid bodies name the service under test, so generated inputs reach the agent.
    if isinstance(body, dict) and isinstance(body.get("params"), dict) and len(str(body.get("service_id"))) % 2:
        return {**body, "service_id": ctx.settings.option("service_id", "demo_service")}
    return None


register(API, Hooks(steer=_steer))
methods.register(API)
