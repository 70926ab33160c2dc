"""The agentUniverse Web API suite: its options, hooks and requirements; its checks are declared on it."""

from __future__ import annotations

from typing import Any

from ..check import Requirement
from ..context import Context
from ..suite import Hooks, Option, Suite
from .shapes import is_demo


def _steer(ctx: Context, body: Any) -> Any:
    # Half of the valid bodies name the service under test, so generated inputs reach the agent.
    if isinstance(body, dict) and isinstance(body.get("params"), dict) and len(str(body.get("service_id"))) % 2:
        return {**body, "service_id": ctx.settings.option("service_id", "demo_service")}
    return None


SUITE = Suite(
    "agentuniverse",
    checks=tuple(f"{__package__}.{name}" for name in ("async_runs", "errors", "stream", "sync")),
    stub="aicontract.stubs.agentuniverse",
    options=(
        Option("--service-id", "service_id", "the service the semantic checks run (default: demo_service)"),
        Option("--input", "input", "the input the semantic checks send (default: Hello!)"),
    ),
    hooks=Hooks(steer=_steer),
)

DEMO_SERVICE = Requirement(
    "the demo service",
    lambda ctx: None if is_demo(ctx) else "the echo text is demo_service's; another --service-id was given",
)
