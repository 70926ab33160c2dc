"""A model's life: served → listed → copy permission as set → downloaded when allowed (exactly the
uploaded bytes, in the documented profile) and refused when not → inference allowed or refused as set
→ the same id again is a 409 → deleted → gone from /models, /get_model and inference → deleting again
is a 404. Two models of the check's own (each flag on in one, off in the other) are made, and deleted at the end."""

from __future__ import annotations

from ..check import CORE
from ..context import Context
from ..exchange import Exchange
from .model import Unavailable, linear_onnx, npy, recorded_input, recorded_model
from .node import (
    UPSTREAM,
    delete,
    field,
    get,
    infer,
    json_error,
    new_id,
    ops,
    serve,
    status,
    target,
    truthy,
)
from .suite import SUITE

UPLOAD, LISTED, COPY, DOWNLOAD_PERMISSION, DOWNLOAD_BYTES = (
    "model-upload-accepted",
    "model-listed",
    "copy-permission-reported",
    "download-permission-enforced",
    "download-returns-model",
)
INFERENCE_PERMISSION, DUPLICATE, DELETE, DELETE_UNKNOWN = (
    "inference-permission-enforced",
    "duplicate-refused",
    "delete-removes-model",
    "delete-unknown-refused",
)


def payload(ctx: Context) -> tuple[bytes, bytes]:
    """The model and input this run sends: the recorded syft pair to the real node (it deserializes
    every upload), the harness's ONNX layer and .npy input to a documented node."""
    if ctx.profile == UPSTREAM:
        return recorded_model(), recorded_input()
    try:
        return linear_onnx(), npy([[1.0, 2.0]])
    except (Unavailable, ImportError):
        return bytes(range(256)) * 4, b"\x93NUMPY"  # opaque bytes: permissions are judged all the same


def accepted(ctx: Context, exchange: Exchange, what: str, *, check: str | None = None) -> bool:
    ok = exchange.status == 200 and truthy(field(exchange, "success")) is not False
    return ctx.expect(ok, exchange, f"200 with success true: {what} saved", check=check)


def listed(ctx: Context) -> tuple[Exchange, list[str] | None]:
    exchange = ctx.call(ops(ctx).listing, path=ops(ctx).listing.split(" ", 1)[1])
    models = field(exchange, "models")
    ok = exchange.status == 200 and isinstance(models, list)
    return exchange, [str(m) for m in models] if ok and isinstance(models, list) else None


def gone(ctx: Context, exchange: Exchange, what: str) -> str | None:
    """Why an answer about a deleted model does not say it is gone; None when it does."""
    code = exchange.status
    if ctx.profile == UPSTREAM and what == "download" and code == 500:
        return None  # the real node's misspelt not-found constant
    if code is None or code < 400 or code >= 500 or code == 403:
        return status(exchange)
    return json_error(exchange)


@SUITE.probe(
    {
        UPLOAD: (
            CORE,
            "a model served with its two flags answers 200 with success",
            "seed, Upload Models: 200 OK {success, message: 'Model saved with id: <model_id>'}",
        ),
        LISTED: (
            CORE,
            "a served model is listed by /models, and a deleted one no longer",
            "seed, List registered models: `models` lists the stored models' ids",
        ),
        COPY: (
            CORE,
            "/is_model_copy_allowed answers success true exactly when allow_download was true",
            "seed, Check Models permissions: success True when the model may be copied, False with an error when not",
        ),
        DOWNLOAD_PERMISSION: (
            CORE,
            "/get_model serves a model when allow_download was true and 403s it when not",
            "seed, Download Model: the model, or `You're not allowed to download this model.`",
        ),
        DOWNLOAD_BYTES: (
            CORE,
            "/get_model's serialized_model re-encodes to exactly the uploaded bytes (upstream: a string)",
            "seed, Download Model: serialized_model is the serialized model, decoded as uploaded "
            "(the real node re-serializes a cached model: upstream judges its shape)",
        ),
        INFERENCE_PERMISSION: (
            CORE,
            "inference is refused (403) exactly when allow_remote_inference was false",
            "seed, Run Data Inferences: 403 Forbidden `You're not allowed to run inference on this model.`",
        ),
        DUPLICATE: (
            CORE,
            "serving an id that is stored is a 409 and leaves the stored model alone",
            "seed, Upload Models: 409 Conflict `Model with id: <model_id> already eixsts.`",
        ),
        DELETE: (
            CORE,
            "a deleted model is gone from /get_model and inference",
            "seed, Delete Model: 200 'Model deleted with success!'; a deleted model is gone",
        ),
        DELETE_UNKNOWN: (
            CORE,
            "deleting an id that is not stored (again) is a 404",
            "seed, Delete Model: 404 Not Found `Model not found!`",
        ),
    },
)
def model_lifecycle(ctx: Context) -> None:
    model, data = payload(ctx)
    # Each flag on in one model and off in the other, so that a node mixing them up is seen.
    opened, closed = new_id("downloadable"), new_id("runnable")
    try:
        _life(ctx, model, data, opened, closed)
    finally:
        for model_id in (opened, closed):  # whatever happened, leave nothing of ours behind
            delete(ctx, model_id)


def _life(ctx: Context, model: bytes, data: bytes, opened: str, closed: str) -> None:
    first = serve(ctx, opened, model, download=True, remote=False)
    if not accepted(ctx, first, "a model with allow_download True, allow_remote_inference False", check=UPLOAD):
        ctx.skip("the node did not store the check's model: its life cannot be followed")
        return
    second = serve(ctx, closed, model, download=False, remote=True)
    accepted(ctx, second, "a model with allow_download False, allow_remote_inference True", check=UPLOAD)
    exchange, models = listed(ctx)
    if models is None or not {opened, closed} <= set(models):
        ctx.fail(exchange, f"200 with `models` listing {opened} and {closed}", check=LISTED)

    op = ops(ctx)
    for model_id, allowed in ((opened, True), (closed, False)):
        answer = get(ctx, op.copy, model_id)
        said = truthy(field(answer, "success"))
        ctx.expect(
            answer.status == 200 and said is allowed,
            answer,
            f"200 with success {allowed} for a model served with allow_download {allowed}",
            check=COPY,
        )

    fetched = get(ctx, op.download, opened)
    if fetched.status != 200:
        ctx.fail(fetched, "200 with the model (allow_download was true)", status(fetched), check=DOWNLOAD_PERMISSION)
    else:
        text = field(fetched, "serialized_model")
        if not isinstance(text, str):
            ctx.fail(fetched, "a serialized_model string", check=DOWNLOAD_BYTES)
        elif ctx.profile != UPSTREAM:
            try:
                same = text.encode("latin-1") == model
            except UnicodeEncodeError:
                same = False
            ctx.expect(
                same,
                fetched,
                f"serialized_model re-encoded with ISO-8859-1 = the {len(model)} uploaded bytes",
                f"a string of {len(text)} characters that is not the uploaded model",
                check=DOWNLOAD_BYTES,
            )
    _forbidden(ctx, get(ctx, op.download, closed), "allow_download", DOWNLOAD_PERMISSION)

    runs = target(ctx).onnx or ctx.profile == UPSTREAM  # the run knows this node runs the model
    ran = infer(ctx, closed, data)
    if runs:
        ctx.expect(
            ran.status == 200,
            ran,
            "200: inference allowed (allow_remote_inference was true)",
            status(ran),
            check=INFERENCE_PERMISSION,
        )
    else:
        ctx.expect(
            ran.status is not None and ran.status != 403 and ran.status < 500,
            ran,
            "no 403: inference is allowed (a node that cannot run the format may refuse it with a 4xx)",
            status(ran),
            check=INFERENCE_PERMISSION,
        )
    _forbidden(ctx, infer(ctx, opened, data), "allow_remote_inference", INFERENCE_PERMISSION)

    again = serve(ctx, opened, model, download=False, remote=True)
    ctx.expect(
        again.status == 409 and json_error(again) is None,
        again,
        "409 with the error: the id is stored",
        status(again),
        check=DUPLICATE,
    )
    still = get(ctx, op.copy, opened)
    ctx.expect(
        truthy(field(still, "success")) is True,
        still,
        "the stored model unchanged by the refused upload (still allow_download true)",
        check=DUPLICATE,
    )

    removed = delete(ctx, opened)
    ctx.expect(
        removed.status == 200 and truthy(field(removed, "success")) is not False,
        removed,
        "200 with success: deleted",
        status(removed),
        check=DELETE,
    )
    exchange, models = listed(ctx)
    if models is not None and opened in models:
        ctx.fail(exchange, f"`models` without the deleted {opened}", check=LISTED)
    for what, answer in (("download", get(ctx, op.download, opened)), ("inference", infer(ctx, opened, data))):
        problem = gone(ctx, answer, what)
        if problem is not None:
            ctx.fail(
                answer, f"a 4xx JSON error: the deleted model's {what} is refused as not found", problem, check=DELETE
            )
    twice = delete(ctx, opened)
    ctx.expect(
        twice.status == 404 and json_error(twice) is None,
        twice,
        "404 with the error: the model is no longer stored",
        status(twice),
        check=DELETE_UNKNOWN,
    )


def _forbidden(ctx: Context, exchange: Exchange, flag: str, check: str) -> None:
    """A call the model's `flag` (set false) forbids: 403 with the node's error."""
    ctx.expect(
        exchange.status == 403 and json_error(exchange) is None,
        exchange,
        f"403 with the error ({flag} was false)",
        status(exchange),
        check=check,
    )
