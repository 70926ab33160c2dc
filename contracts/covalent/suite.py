"""The Covalent function-service suite: its options, hooks, per-run state and requirements.

aicontract check covalent --base-url INVOKE_URL --api-key KEY [--function-id ID --control-url URL]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..check import Requirement
from ..context import Context
from ..contract import Operation
from ..settings import Settings
from ..suite import Hooks, Option, Suite
from .target import FUNCTIONS, example_missing, invoke_headers, key_headers, no_key, survey, target

STUB = "aicontract.stubs.covalent"


def _embedded_app(settings: Settings, faults: Collection[str]) -> Any:
    """The reference stub, accepting --api-key when one is given."""
    import importlib

    stub: Any = importlib.import_module(STUB)
    key = settings.option("api_key")
    return stub.create_app(settings.profile, faults, api_keys=(key,) if key else (stub.DEFAULT_API_KEY,))


def _control(op: Operation) -> bool:
    return op.path.startswith(FUNCTIONS)


def _headers(ctx: Context, op: Operation) -> Mapping[str, str]:
    return key_headers(ctx) if _control(op) else invoke_headers(ctx)


def _yes(text: str) -> bool:
    if text.lower() not in {"yes", "no", "true", "false", "1", "0"}:
        raise ValueError(f"expected yes or no, not {text!r}")
    return text.lower() in {"yes", "true", "1"}


def _select(ctx: Context, op: Operation) -> bool:
    if op.raw.get("x-sdk-only") and not ctx.settings.option("sdk_routes", False):
        return False  # calls the seed never mentions: judged only when asked for
    if _control(op):
        # Only reads: generated teardowns and key changes could hit the deployment under test.
        return op.method == "GET" and target(ctx).function_id is not None
    if op.path in ("/hello", "/stream"):
        return example_missing(ctx, op.path) is None
    return True


def _base_url(ctx: Context, op: Operation) -> str | None:
    return target(ctx).control_url if _control(op) else None


SUITE = Suite(
    "covalent",
    checks=tuple(
        f"{__package__}.{name}" for name in ("answers", "arguments", "auth", "examples", "lifecycle", "record")
    ),
    stub=STUB,
    options=(
        Option(
            "--api-key",
            "api_key",
            "the x-api-key for both planes (default with the reference stub: its default key; "
            "without it, checks that need the key skip)",
        ),
        Option(
            "--function-id",
            "function_id",
            "the function under test: its control-plane record is read, validated, and every endpoint it lists "
            "called (default with the reference stub: the function its root URL serves)",
        ),
        Option(
            "--inference-key",
            "inference_key",
            "the data plane's x-api-key when it is not --api-key (real Covalent: one of the record's inference_keys)",
        ),
        Option(
            "--control-url", "control_url", "the control plane (Covalent Cloud API) URL (default: --base-url's origin)"
        ),
        Option(
            "--sdk-routes",
            "sdk_routes",
            "yes: also exercise the SDK's calls the seed never mentions (function listing, inference keys; "
            "a 404 is accepted) (default: no)",
            type=_yes,
        ),
    ),
    hooks=Hooks(headers=_headers, select=_select, base_url=_base_url),
    app=_embedded_app,
    state=survey,
)

API_KEY = Requirement("an API key", no_key)
FUNCTION_ID = Requirement(
    "a function id",
    lambda ctx: (
        None
        if target(ctx).function_id is not None
        else "no --function-id given: the control-plane checks read that function's record"
    ),
)
REFERENCE_STUB = Requirement(
    "the reference stub",
    lambda ctx: (
        None
        if target(ctx).stub
        else "not the reference stub: only a stub offers a deployment the harness may create and tear down"
    ),
)
