"""Does a response match what the contract documents for its operation?"""

from __future__ import annotations

import json
from typing import Any

from .contract import Contract, Operation, validate
from .exchange import Exchange


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


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
    if got not in content:
        listed = ", ".join(sorted(content))
        return [*found, (f"Content-Type {listed}", f"Content-Type {received.content_type or '(none)'}")]
    schema = content[got].get("schema")
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
