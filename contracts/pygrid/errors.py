"""Unknown ids, the real node's redirects, and refusing bodies too large to take."""

from __future__ import annotations

import secrets

from ..check import CORE, EXTENDED, ROBUSTNESS, check
from ..context import Context
from .protocol import API, LATIN, UPSTREAM, delete, field, get, infer, json_error, new_id, ops, status, truthy


@check(API, "unknown-model-refused", CORE)
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


@check(API, "seed-paths-redirect", EXTENDED, profiles=(UPSTREAM,))
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


OVERSIZED = 33 << 20  # bytes: over the reference node's 32 MiB body cap


@check(API, "oversized-body-refused", ROBUSTNESS)
def oversized_body_refused(ctx: Context) -> None:
    """a 33 MiB upload is refused with a 4xx (413), not stored (a node built for larger models may differ)"""
    model_id = new_id("oversized")
    fields = {"encoding": LATIN, "model_id": model_id, "allow_download": "True", "allow_remote_inference": "True"}
    body = ("&".join(f"{k}={v}" for k, v in fields.items()) + "&model=" + "A" * OVERSIZED).encode()
    answer = ctx.call(
        ops(ctx).serve,
        path=ops(ctx).serve.split(" ", 1)[1],
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    ok = answer.status is not None and 400 <= answer.status < 500
    ctx.expect(ok, answer, f"a 4xx refusal of a {OVERSIZED >> 20} MiB body", status(answer))
    if answer.status == 200:
        delete(ctx, model_id)
