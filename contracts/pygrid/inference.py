"""Prediction correctness, where the run knows what the node runs: the harness's ONNX layer on the
reference stub, the recorded syft pair on the real node, or a model, input and answer the user gives."""

from __future__ import annotations

import json
from pathlib import Path

from ..check import CORE, Requirement
from ..context import Context
from .lifecycle import accepted
from .model import (
    KNOWN_INPUT,
    KNOWN_OUTPUT,
    RECORDED_PREDICTION,
    Unavailable,
    linear_onnx,
    npy,
    recorded_input,
    recorded_model,
)
from .node import UPSTREAM, close, delete, field, infer, new_id, prediction_value, serve, status, target
from .suite import SUITE


def _known(ctx: Context) -> tuple[bytes, bytes, object, str] | str:
    """(model, input, expected prediction, what) for this run, or why it cannot judge predictions."""
    given = [ctx.settings.option(n) for n in ("model", "data", "prediction")]
    if any(given):
        if not all(given):
            return "give --model, --data and --prediction together to judge predictions"
        try:
            expected = json.loads(str(given[2]))
            return Path(given[0]).read_bytes(), Path(given[1]).read_bytes(), expected, "the given model"
        except (OSError, ValueError) as exc:
            return f"cannot read --model/--data/--prediction: {exc}"
    if ctx.profile == UPSTREAM:
        return recorded_model(), recorded_input(), RECORDED_PREDICTION, "the recorded syft Linear(2, 1)"
    found = target(ctx)
    if found.stub and not found.onnx:
        return "the reference stub runs no ONNX models without onnxruntime: pip install 'aicontract[pygrid]'"
    if found.onnx:
        try:
            return linear_onnx(), npy(KNOWN_INPUT), KNOWN_OUTPUT, "the harness's ONNX linear layer"
        except (Unavailable, ImportError) as exc:
            return f"{exc}"
    return (
        "the run does not know what models this node runs: inference is judged on permissions and "
        "answer shapes only (pass --model FILE --data FILE --prediction JSON to judge predictions)"
    )


def _unknown(ctx: Context) -> str | None:
    known = _known(ctx)
    return known if isinstance(known, str) else None


# Any one of: the reference stub with onnxruntime (the harness's own ONNX layer), the upstream profile
# (the recorded syft model), or --model/--data/--prediction from the user.
KNOWN_MODEL = Requirement("a model whose prediction the run knows", _unknown)


@SUITE.check(
    "prediction-correct",
    CORE,
    requires=(KNOWN_MODEL,),
    ground="seed, Run Data Inferences: returns the inference's results",
)
def prediction_correct(ctx: Context) -> None:
    """inference on a model the run knows answers its known prediction"""
    known = _known(ctx)
    if isinstance(known, str):  # KNOWN_MODEL holds: only a file that vanished since gets here
        ctx.skip(known)
        return
    model, data, expected, what = known
    model_id = new_id("predict")
    try:
        if not accepted(ctx, serve(ctx, model_id, model, download=False, remote=True), what):
            return
        ran = infer(ctx, model_id, data)
        if ran.status != 200:
            ctx.fail(ran, f"200 with the prediction of {what}", status(ran))
            return
        got = prediction_value(field(ran, "prediction"))
        ctx.expect(close(got, expected), ran, f"prediction {json.dumps(expected)} ({what})", f"prediction {got!r}")
    finally:
        delete(ctx, model_id)
