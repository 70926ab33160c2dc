"""Does a response match what the contract documents for its operation?"""

from __future__ import annotations

import json
from typing import Any

from .contract import Contract, Operation, validate
from .exchange import Exchange


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def documented_media(content: dict[str, Any], got: str) -> str | None:
    """The content key that covers media type `got`: itself, else a range (`text/*`, `*/*`), as OpenAPI allows."""
    for key in (got, f"{got.split('/', 1)[0]}/*", "*/*"):
        if key in content:
            return key
    return None


def ground(contract: Contract, op: Operation, status: int | None) -> str:
    """Where the contract documents `op`'s answer with `status`: the response's path, and the $refs it names."""
    responses = contract.document["paths"][op.path][op.method.lower()].get("responses", {})
    key = next((k for k in (str(status), f"{(status or 0) // 100}XX", "default") if k in responses), None)
    escaped = op.path.replace("~", "~0").replace("/", "~1")
    if key is None:
        return f"#/paths/{escaped}/{op.method.lower()}/responses (the statuses documented for {op.name})"
    cited = f"#/paths/{escaped}/{op.method.lower()}/responses/{key}"
    raw = responses[key]
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        cited += f" → {raw['$ref']}"
        raw = _follow(contract.document, raw["$ref"])
    for media in (raw.get("content") or {}).values() if isinstance(raw, dict) else ():
        ref = (media.get("schema") or {}).get("$ref") if isinstance(media, dict) else None
        if isinstance(ref, str):
            cited += f" ({ref})"
            break
    return cited


def _follow(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for key in ref.removeprefix("#/").split("/"):
        node = node.get(key.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    return node


def problems(op: Operation, exchange: Exchange) -> list[tuple[str, str]]:
    """Each way the response departs from `op`'s documented responses, as (expected, actual)."""
    received = exchange.received
    if received is None:
        return [("an HTTP response", f"no response: {exchange.error}")]
    documented = op.response(received.status)
    if documented is None:
        listed = ", ".join(sorted(op.statuses()))
        return [(f"a documented status ({listed})", f"status {received.status}")]
    found: list[tuple[str, str]] = []
    for name, header in (documented.get("headers") or {}).items():
        value = received.headers.get(name.lower())
        if value is None:
            if header.get("required"):
                found.append((f"header {name} on a {received.status} response", "no such header"))
            continue
        for error in validate(header.get("schema") or {}, value):
            found.append((f"header {name} as documented", f"{name}: {value!r} ({error.removeprefix('at (body): ')})"))
    content = documented.get("content") or {}
    if not content:
        return found
    got = media_type(received.content_type)
    key = documented_media(content, got)
    if key is None:
        listed = ", ".join(sorted(content))
        return [*found, (f"Content-Type {listed}", f"Content-Type {received.content_type or '(none)'}")]
    schema = content[key].get("schema")
    if got == "application/json" and schema is not None and received.complete:
        try:
            body: Any = json.loads(received.body)
        except ValueError as exc:
            return [*found, ("a JSON body", f"unparseable JSON ({exc})")]
        for error in validate(schema, body)[:3]:
            found.append((f"a body matching the {received.status} response schema", error))
    return found


def error_problem(contract: Contract, exchange: Exchange) -> str | None:
    """What is wrong with an error answer; None when it is the error the contract documents for its status."""
    received = exchange.received
    if received is None:
        return f"no response: {exchange.error}"
    try:
        op = contract.operation(exchange.operation)
    except (KeyError, ValueError):
        return f"an answer to {exchange.operation}, which the contract does not document"
    found = problems(op, exchange)
    if not found:
        return None
    expected, actual = found[0]
    return f"{actual} (the contract documents {expected})"
