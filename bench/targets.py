"""What the bench drives, per API: one table entry each.

An entry names the API (as `aicontract serve API` knows it), the requests to load it with, and the
request that tells a freshly started stub is ready (its first 200). Adding an API is one `Target`.
`{name}` placeholders in paths, bodies and headers are filled from `Target.fill()`, for values a
stub only knows at run time (a function id, an API key).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HELLO = json.dumps({"service_id": "demo_service", "params": {"input": "Hello!"}}, separators=(",", ":"))


@dataclass(frozen=True)
class Load:
    label: str
    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    concurrency: tuple[int, ...] = (1, 16)

    def filled(self, values: dict[str, str]) -> Load:
        """Fill `{name}` placeholders; an entry without values is taken literally (JSON has braces)."""
        if not values:
            return self

        def f(text: str) -> str:
            return text.format(**values)

        headers = {k: f(v) for k, v in self.headers.items()}
        return Load(f(self.label), self.method, f(self.path), f(self.body), headers, self.concurrency)


@dataclass(frozen=True)
class Target:
    api: str
    loads: tuple[Load, ...]
    ready: Load  # the request whose first 200 says the stub is up
    profiles: tuple[str, ...] = ("documented",)
    # Returns (extra `serve` arguments, placeholder values), or raises Unavailable with the reason.
    prepare: Callable[[list[str]], tuple[list[str], dict[str, str]]] | None = None

    def fill(self, aicontract: list[str]) -> tuple[list[str], dict[str, str]]:
        return self.prepare(aicontract) if self.prepare else ([], {})


class Unavailable(Exception):
    """This API's stub is not (yet) in this install: its rows are skipped with this reason."""


def available(api: str) -> None:
    try:
        suites = importlib.import_module("aicontract.contracts.suites")
    except ImportError as exc:
        raise Unavailable(f"aicontract is not importable: {exc}") from None
    if api not in suites.REGISTRY.names():
        raise Unavailable(f"`aicontract serve {api}` does not exist yet (no suite registered for it)")
    if importlib.util.find_spec(f"aicontract.stubs.{api}") is None:
        raise Unavailable(f"no module aicontract.stubs.{api}")


# --- covalent: the data plane needs a function id and an API key the stub accepts ----------------

BENCH_API_KEY = "aicontract-bench-key"


def _covalent(aicontract: list[str]) -> tuple[list[str], dict[str, str]]:
    """`serve covalent --api-key KEY`; the example's function id is the stub's (it has no flag for it)."""
    available("covalent")
    stub: Any = importlib.import_module("aicontract.stubs.covalent")
    return ["--api-key", BENCH_API_KEY], {"function_id": stub.EXAMPLE_FUNCTION_ID, "api_key": BENCH_API_KEY}


# --- pygrid: a node that already holds the harness's ONNX model (a --db file made beforehand) --------

PYGRID_MODEL = "bench-onnx"


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _pygrid(aicontract: list[str]) -> tuple[list[str], dict[str, str]]:
    """`serve pygrid --db FILE --dataset ...`, FILE holding the ONNX model downloads and inference use."""
    import os
    import tempfile

    available("pygrid")
    try:
        model: Any = importlib.import_module("aicontract.contracts.pygrid.model")
        store: Any = importlib.import_module("aicontract.stubs.pygrid.store")
        onnx = model.linear_onnx()
    except Exception as exc:
        raise Unavailable(f"the pygrid extra is not installed ({exc}): pip install '.[pygrid]'") from None
    handle, db = tempfile.mkstemp(prefix="aicontract-bench-", suffix=".sqlite")
    os.close(handle)
    kept = store.Store(db)
    kept.add(store.Model(PYGRID_MODEL, onnx, "ISO-8859-1", True, True), replace=True)
    kept.close()
    return ["--db", db, "--dataset", "#bench,#boston", "--dataset", "#mnist"], {"db": db, "model": _onnx_text(onnx)}


def _onnx_text(onnx: bytes) -> str:
    body = {
        "encoding": "ISO-8859-1",
        "model_id": PYGRID_MODEL,
        "allow_download": True,
        "allow_remote_inference": True,
        "model": onnx.decode("latin-1"),
    }
    return json.dumps(body)


TARGETS: tuple[Target, ...] = (
    Target(
        api="agentuniverse",
        loads=(Load("POST /service_run", "POST", "/service_run", HELLO),),
        ready=Load("POST /service_run", "POST", "/service_run", HELLO),
        profiles=("documented", "upstream"),  # upstream answers `Connection: close`
    ),
    Target(
        api="covalent",
        loads=(
            Load("POST /{{fid}}/hello", "POST", "/{function_id}/hello", "{{}}", {"x-api-key": "{api_key}"}),
            Load("POST /{{fid}}/stream", "POST", "/{function_id}/stream", "{{}}", {"x-api-key": "{api_key}"}),
        ),
        ready=Load("POST /{{fid}}/hello", "POST", "/{function_id}/hello", "{{}}", {"x-api-key": "{api_key}"}),
        prepare=_covalent,
    ),
    Target(
        api="pygrid",
        loads=(
            # Every upload after the first is a duplicate: this is the 409 path (the body is read,
            # re-encoded and checked against the store), which costs what a stored upload does but the write.
            Load("POST /serve-model (409)", "POST", "/serve-model", "{model}"),
            Load("GET /get_model/{{id}}", "GET", f"/get_model/{PYGRID_MODEL}"),
            Load(
                "POST /model/{{id}} (ONNX)",
                "POST",
                f"/model/{PYGRID_MODEL}",
                _braces(json.dumps({"encoding": "ISO-8859-1", "data": [[1.0, 2.0]]})),
            ),
            Load("POST /search", "POST", "/search", _braces(json.dumps({"query": ["#bench", "#boston"]}))),
        ),
        ready=Load("GET /models", "GET", "/models"),
        prepare=_pygrid,
    ),
)
