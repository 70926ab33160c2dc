"""The Grid Node under test: each profile's operations, what a run found out about the node, and how
requests to it are encoded (JSON, multipart and urlencoded forms, bytes carried as ISO-8859-1 strings).

The documented profile's uploads go as multipart/form-data: every reading of the seed's
`"Boolean"` takes the form strings `True`/`False` the same way, which JSON booleans do not promise.
The upstream profile's go as `grid.GridClient` sends them: urlencoded forms.
"""

from __future__ import annotations

import json
import math
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from ..conformance import media_type
from ..context import Context
from ..exchange import Exchange

API = "pygrid"
LATIN = "ISO-8859-1"
STUB_IMPLEMENTATION = "aicontract pygrid reference stub"
UPSTREAM = "upstream"


@dataclass(frozen=True)
class Operations:
    serve: str
    delete: str
    listing: str
    infer: str
    copy: str = "GET /is_model_copy_allowed/{model_id}"
    download: str = "GET /get_model/{model_id}"
    smpc: str = "POST /search-encrypted-models"
    tags: str = "GET /dataset-tags"
    search: str = "POST /search"


DOCUMENTED_OPS = Operations("POST /serve-model", "POST /delete-model", "GET /models", "POST /model/{model_id}")
UPSTREAM_OPS = Operations("POST /serve-model/", "POST /delete_model/", "GET /models/", "POST /models/{model_id}")


def ops(ctx: Context) -> Operations:
    return UPSTREAM_OPS if ctx.profile == UPSTREAM else DOCUMENTED_OPS


def path(operation: str, model_id: str) -> str:
    return operation.split(" ", 1)[1].replace("{model_id}", quote(model_id, safe=""))


@dataclass(frozen=True)
class Target:
    """What a run found out about its target, once per client."""

    stub: bool  # the reference stub (it answers /_stub/info)
    onnx: bool  # it runs ONNX models (the stub says so)
    encrypted: dict[str, Any]  # SMPC records it holds: id -> {workers: [[id, url]], crypto_provider: [id, url]}


def survey(ctx: Context) -> Target:
    """What the node says of itself, asked once per run (the suite's state)."""
    info = ctx.call("GET /_stub/info", path="/_stub/info").json()
    if not isinstance(info, dict) or info.get("implementation") != STUB_IMPLEMENTATION:
        return Target(False, False, {})
    encrypted = info.get("encrypted_models")
    return Target(True, "onnx" in (info.get("inference") or []), encrypted if isinstance(encrypted, dict) else {})


def target(ctx: Context) -> Target:
    found: Target = ctx.state
    return found


def new_id(label: str) -> str:
    """A model id of this run's own: checks delete what they create."""
    return f"aicontract-{label}-{secrets.token_hex(4)}"


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body of text fields (UTF-8), and its Content-Type."""
    boundary = f"aicontract{secrets.token_hex(8)}"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode("utf-8") + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send(
    ctx: Context, operation: str, fields: dict[str, Any], *, model_id: str | None = None, as_: str = "json"
) -> Exchange:
    """`fields` as JSON (`as_="json"`), a multipart form or an urlencoded form."""
    where = path(operation, model_id) if model_id is not None else path(operation, "")
    if as_ == "json":
        return ctx.call(operation, path=where, json=fields)
    text = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    if as_ == "multipart":
        body, ctype = multipart(text)
    else:
        body, ctype = urlencode(text).encode(), "application/x-www-form-urlencoded"
    return ctx.call(operation, path=where, content=body, headers={"Content-Type": ctype})


def form_kind(ctx: Context) -> str:
    """How this profile's model routes take a body: multipart (documented) or urlencoded (the real node)."""
    return "urlencoded" if ctx.profile == UPSTREAM else "multipart"


def serve(
    ctx: Context,
    model_id: str,
    model: bytes,
    *,
    download: bool,
    remote: bool,
    as_: str | None = None,
    flags: tuple[Any, Any] | None = None,
) -> Exchange:
    shown = flags or (str(download), str(remote))  # Python's True/False, as PyGrid's client writes them
    fields = {
        "encoding": LATIN,
        "model_id": model_id,
        "allow_download": shown[0],
        "allow_remote_inference": shown[1],
        "model": model.decode("latin-1"),
    }
    return send(ctx, ops(ctx).serve, fields, as_=as_ or form_kind(ctx))


def delete(ctx: Context, model_id: str) -> Exchange:
    kind = "urlencoded" if ctx.profile == UPSTREAM else "json"
    return send(ctx, ops(ctx).delete, {"model_id": model_id}, as_=kind)


def infer(ctx: Context, model_id: str, data: bytes) -> Exchange:
    kind = "urlencoded" if ctx.profile == UPSTREAM else "json"
    return send(ctx, ops(ctx).infer, {"encoding": LATIN, "data": data.decode("latin-1")}, model_id=model_id, as_=kind)


def get(ctx: Context, operation: str, model_id: str) -> Exchange:
    return ctx.call(operation, path=path(operation, model_id))


def field(exchange: Exchange, name: str) -> Any:
    body = exchange.json()
    return body.get(name) if isinstance(body, dict) else None


def truthy(value: Any) -> bool | None:
    """A flag as the document writes it: JSON true/false or the strings True/False; None for anything else."""
    if value is True or value == "True":
        return True
    if value is False or value == "False":
        return False
    return None


def json_error(exchange: Exchange) -> str | None:
    """What is wrong with an error answer; None when it is JSON with an `error` text."""
    received = exchange.received
    if received is None:
        return f"no response: {exchange.error}"
    if media_type(received.content_type) != "application/json":
        return f"Content-Type {received.content_type or '(none)'}, not a JSON error"
    if not isinstance(field(exchange, "error"), str):
        return "no `error` text in the body"
    return None


def status(exchange: Exchange) -> str:
    return f"status {exchange.status}" if exchange.status is not None else f"no response: {exchange.error}"


def close(actual: Any, expected: Any, tolerance: float = 1e-5) -> bool:
    """Nested lists of numbers equal within `tolerance` (relative), shapes exactly."""
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(close(a, e, tolerance) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return (
            isinstance(actual, int | float)
            and not isinstance(actual, bool)
            and math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
        )
    return bool(actual == expected)


def prediction_value(prediction: Any) -> Any:
    """A prediction as nested lists: a JSON value as is, or a string of .npy bytes (decoded ISO-8859-1)."""
    if not isinstance(prediction, str):
        return prediction
    try:
        import io

        import numpy as np

        return np.load(io.BytesIO(prediction.encode("latin-1")), allow_pickle=False).tolist()
    except Exception:  # not .npy (or numpy is missing): left as the string it is
        return prediction
