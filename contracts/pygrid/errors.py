"""Unknown ids, the real node's redirects, and refusing bodies too large to take."""

from __future__ import annotations

import secrets

from ..check import CORE, EXTENDED
from ..context import Context
from .node import UPSTREAM, field, get, infer, json_error, ops, status, truthy
from .suite import SUITE


@SUITE.check(
    "unknown-model-refused", CORE, ground="seed, Download Model: {error: 'Model not found.'} (404 in the original)"
)
def unknown_model_refused(ctx: Context) -> None:
    """an unknown id: /get_model 404 (upstream: or 500), inference 4xx, /is_model_copy_allowed 404 or success false"""
    model_id = f"aicontract-unknown-{secrets.token_hex(4)}"
    op = ops(ctx)
    fetched = get(ctx, op.download, model_id)
    ok = fetched.status == 404 and json_error(fetched) is None
    if ctx.profile == UPSTREAM:
        ok = ok or fetched.status == 500
    ctx.expect(
        ok,
        fetched,
        "404 Model not found." + (" (or the real node's 500)" if ctx.profile == UPSTREAM else ""),
        status(fetched),
    )
    ran = infer(ctx, model_id, b"\x93NUMPY")
    ctx.expect(
        ran.status is not None and 400 <= ran.status < 500 and ran.status != 403 and json_error(ran) is None,
        ran,
        "a 4xx JSON error (404): no such model",
        status(ran),
    )
    copy = get(ctx, op.copy, model_id)
    said = truthy(field(copy, "success"))
    ok = (copy.status == 404 and json_error(copy) is None) or (copy.status == 200 and said is False)
    ctx.expect(ok, copy, "404, or 200 with success false: no such model", status(copy))


@SUITE.check(
    "seed-paths-redirect",
    EXTENDED,
    profiles=(UPSTREAM,),
    ground="the real system does this: /serve-model and /models answer 308 to the slash form",
)
def seed_paths_redirect(ctx: Context) -> None:
    """the seed's /models and /serve-model answer 308 Permanent Redirect to the trailing-slash routes"""
    for method, route in (("GET", "/models"), ("POST", "/serve-model")):
        answer = ctx.call(f"{method} {route}", path=route, content=b"" if method == "POST" else None)
        location = answer.received.headers.get("location", "") if answer.received else ""
        ctx.expect(
            answer.status == 308 and location.endswith(route + "/"),
            answer,
            f"308 with Location …{route}/",
            f"{status(answer)}, Location {location or '(none)'}",
        )
