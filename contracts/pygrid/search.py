"""Search: SMPC model records (`/search-encrypted-models`) and dataset tags (`/dataset-tags`, `/search`)."""

from __future__ import annotations

import secrets
from typing import Any

from ..check import CORE
from ..conformance import problems
from ..context import Context
from .lifecycle import accepted, payload
from .node import UPSTREAM, delete, field, json_error, new_id, ops, serve, status, target, truthy
from .suite import SUITE

MOST_TAGS = 5  # held tags searched one by one


def _smpc(ctx: Context, body: Any = None, content: bytes | None = None) -> Any:
    operation = ops(ctx).smpc
    where = operation.split(" ", 1)[1]
    if content is not None:
        return ctx.call(operation, path=where, content=content, headers={"Content-Type": "application/json"})
    return ctx.call(operation, path=where, json=body)


def _expected(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    """A held record as this profile answers it: URLs (documented) or [id, url] pairs (the real node)."""
    workers, crypto = record.get("workers") or [], record.get("crypto_provider") or []
    if ctx.profile == UPSTREAM:
        return {"workers": [list(w) for w in workers], "crypto_provider": list(crypto)}
    return {"workers": [w[1] for w in workers], "crypto_provider": [crypto[1]] if crypto else []}


@SUITE.check(
    "smpc-search",
    CORE,
    ground="seed, Search SMPC Models: 200 workers and crypto_provider; 400 'Invalid payload format'; "
    "404 'Model ID not found!'",
)
def smpc_search(ctx: Context) -> None:
    """/search-encrypted-models: bad payload 400, unknown id 404, a held record answers its workers and crypto provider

    An id the check served itself as a plain model may be answered 200 or 404, as documented.
    """
    for body, content, what in (({}, None, "no model_id"), (None, b"{not json", "malformed JSON")):
        bad = _smpc(ctx, body, content)
        ctx.expect(
            bad.status == 400 and json_error(bad) is None, bad, f"400 Invalid payload format ({what})", status(bad)
        )
    unknown = _smpc(ctx, {"model_id": f"aicontract-no-such-model-{secrets.token_hex(4)}"})
    ctx.expect(
        unknown.status == 404 and json_error(unknown) is None, unknown, "404 Model ID not found!", status(unknown)
    )
    held = dict(target(ctx).encrypted)
    given = ctx.settings.option("encrypted_model_id")
    for model_id, record in held.items():
        found = _smpc(ctx, {"model_id": model_id})
        want = _expected(ctx, record)
        got = found.json()
        same = found.status == 200 and isinstance(got, dict) and {k: got.get(k) for k in want} == want
        ctx.expect(same, found, f"200 with the record it holds: {want}")
    if given and given not in held:
        found = _smpc(ctx, {"model_id": given})
        ok = found.status == 200 and not problems(ctx.contract.operation(ops(ctx).smpc), found)
        ctx.expect(ok, found, f"200 with the workers and crypto provider of {given} (--encrypted-model-id)")
    # An id the check served itself: the node may or may not count it as encrypted, but answers as documented.
    model, _ = payload(ctx)
    model_id = new_id("smpc")
    try:
        if accepted(ctx, serve(ctx, model_id, model, download=False, remote=False), "a plain model"):
            found = _smpc(ctx, {"model_id": model_id})
            op = ctx.contract.operation(ops(ctx).smpc)
            ok = found.status in (200, 404) and not problems(op, found)
            ctx.expect(ok, found, "200 with workers and crypto provider, or 404, as documented", status(found))
    finally:
        delete(ctx, model_id)


def _search(ctx: Context, query: Any = None, content: bytes | None = None) -> Any:
    operation = ops(ctx).search
    where = operation.split(" ", 1)[1]
    if content is not None:
        return ctx.call(operation, path=where, content=content, headers={"Content-Type": "application/json"})
    return ctx.call(operation, path=where, json={"query": query})


@SUITE.check(
    "dataset-search",
    CORE,
    ground="seed, Search dataset / tensor: content is whether the node has the desired dataset tags",
)
def dataset_search(ctx: Context) -> None:
    """/search is true for each tag /dataset-tags reports, false when a tag is not held, 400 for a bad payload"""
    listing = ctx.call(ops(ctx).tags, path=ops(ctx).tags.split(" ", 1)[1])
    tags = listing.json()
    if listing.status != 200 or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        ctx.fail(listing, "200 with a bare JSON array of tags")
        tags = []
    absent = f"#aicontract-not-held-{secrets.token_hex(4)}"
    for tag in tags[:MOST_TAGS]:
        found = _search(ctx, [tag])
        ctx.expect(truthy(field(found, "content")) is True, found, f"content true: {tag!r} is held")
        mixed = _search(ctx, [tag, absent])
        ctx.expect(truthy(field(mixed, "content")) is False, mixed, f"content false: {absent!r} is not held")
    missing = _search(ctx, [absent])
    ctx.expect(truthy(field(missing, "content")) is False, missing, f"content false: {absent!r} is not held")
    for content, what in ((b"{not json", "malformed JSON"), (b'{"quer": []}', "no query")):
        bad = _search(ctx, content=content)
        code = bad.status
        if ctx.profile == UPSTREAM:
            ok = code == 400 or (code == 500 and what == "malformed JSON")  # the real node crashes on bad JSON
        else:
            ok = code == 400 and json_error(bad) is None
        ctx.expect(ok, bad, f"400 Invalid payload format ({what})", status(bad))
