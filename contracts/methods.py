"""Undocumented methods on documented paths: answered 405 with an `Allow` that tells the truth.

RFC 9110 §15.5.6: a 405 MUST carry `Allow` with the methods the resource supports. A wrong list sends
clients (and CORS preflights) the wrong way, so the check reads it against the contract.
"""

from __future__ import annotations

import re

from .check import ROBUSTNESS, declare
from .context import Context
from .contract import Operation

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
CHECK = "method-not-allowed"
_PARAM = re.compile(r"\{([^}]+)\}")


def undocumented_methods(ctx: Context) -> None:
    by_path: dict[str, list[Operation]] = {}
    for op in ctx.contract.operations():
        if ctx.suite.hooks.selects(ctx, op):
            by_path.setdefault(op.path, []).append(op)
    for path, ops in by_path.items():
        concrete = _concrete(path)
        if concrete is not None:
            _try_methods(ctx, ops, concrete)


PROBE = declare(
    undocumented_methods,
    {
        CHECK: (
            ROBUSTNESS,
            "an undocumented method on a documented path gets 405 and a truthful Allow",
            "RFC 9110 §15.5.6: a 405 MUST carry Allow listing the methods the resource supports",
        )
    },
)


def _concrete(path: str) -> str | None:
    """Only literal paths: an example value for a path parameter may name nothing on this target."""
    return None if _PARAM.search(path) else path


def _try_methods(ctx: Context, ops: list[Operation], path: str) -> None:
    hooks = ctx.suite.hooks
    documented = {op.method for op in ops}
    allowed_extra = {"OPTIONS"} | ({"HEAD"} if "GET" in documented else set())
    base = hooks.base_url(ctx, ops[0]) if hooks.base_url else None
    headers = dict(hooks.headers(ctx, ops[0])) if hooks.headers else {}
    for method in METHODS:
        if method in documented:
            continue
        exchange = ctx.call(f"{method} {ops[0].path}", path=path, headers=headers, base_url=base)
        received = exchange.received
        if received is None:
            ctx.fail(exchange, f"an answer to {method} within the bounds")
            continue
        preflight = method == "OPTIONS" and 200 <= received.status < 300
        if received.status != 405 and not preflight:
            want = "405 (or a 2xx preflight)" if method == "OPTIONS" else "405 Method Not Allowed"
            ctx.fail(exchange, want, f"status {received.status}")
            continue
        allow = {m.strip().upper() for m in received.headers.get("allow", "").split(",") if m.strip()}
        listed = ", ".join(sorted(documented))
        if not documented <= allow or allow - documented - allowed_extra:
            got = f"Allow: {received.headers.get('allow', '(none)')}"
            ctx.fail(exchange, f"Allow listing the documented methods ({listed}) and no others", got)
