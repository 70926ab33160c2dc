"""The PyGrid Grid Node suite: schema-driven checks of the nine endpoints, plus stateful ones (a
model's life, permissions, inference, SMPC and dataset search).

aicontract check pygrid [--base-url URL] [--profile documented|upstream]
                        [--model FILE --data FILE --prediction JSON] [--encrypted-model-id ID]
"""

from __future__ import annotations

import importlib
from collections.abc import Collection
from typing import Any

from ..context import Context
from ..settings import Settings
from ..suite import Hooks, Option, Suite
from .node import API, survey

STUB = "aicontract.stubs.pygrid"
# The stub reads bodies up to 32 MiB (a model travels decoded as text): a larger one must be refused.
OVERSIZED = 33 << 20

# What the embedded reference node holds, so that the search checks have something to find.
DATASETS = ((("#boston", "#housing"), "Boston housing prices"), (("#mnist",), "MNIST digits"))
ENCRYPTED = (
    "aicontract-smpc",
    (("alice", "http://127.0.0.1:3000"), ("bob", "http://127.0.0.1:3001")),
    ("james", "http://127.0.0.1:3002"),
)


def _embedded_app(settings: Settings, faults: Collection[str]) -> Any:
    stub: Any = importlib.import_module(STUB)
    datasets = [stub.Dataset(tags, description) for tags, description in DATASETS]
    encrypted = [stub.EncryptedModel(*ENCRYPTED)]
    return stub.create_app(settings.profile, faults, datasets=datasets, encrypted_models=encrypted)


def _steer(ctx: Context, body: Any) -> Any:
    # Generated uploads that a node stores carry ids that say where they came from.
    if isinstance(body, dict) and "model" in body and isinstance(body.get("model_id"), str):
        return {**body, "model_id": f"aicontract-fuzz-{body['model_id']}"}
    return None


SUITE = Suite(
    API,
    checks=tuple(
        f"{__package__}.{name}" for name in ("errors", "forms", "inference", "lifecycle", "links", "search", "uploads")
    ),
    stub=STUB,
    options=(
        Option("--model", "model", "a model file the node runs (sent as its bytes decoded with ISO-8859-1)"),
        Option("--data", "data", "an input file for --model (sent the same way)"),
        Option("--prediction", "prediction", "the JSON prediction the node must answer for --model and --data"),
        Option(
            "--encrypted-model-id", "encrypted_model_id", "an SMPC model the node holds: its search must answer 200"
        ),
    ),
    hooks=Hooks(steer=_steer, oversized=OVERSIZED),
    # No operation streams: stream-terminates has nothing to judge.
    generic=(
        "response-conformance",
        "invalid-input-rejected",
        "no-server-errors",
        "error-answer-documented",
        "method-not-allowed",
        "oversized-body-refused",
    ),
    app=_embedded_app,
    state=survey,
)
