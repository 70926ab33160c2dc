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
import subprocess
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
        apis = importlib.import_module("aicontract.contracts.apis")
    except ImportError as exc:
        raise Unavailable(f"aicontract is not importable: {exc}") from None
    if api not in getattr(apis, "APIS", ()):
        raise Unavailable(f"`aicontract serve {api}` does not exist yet (not in aicontract.contracts.apis.APIS)")
    if importlib.util.find_spec(f"aicontract.stubs.{api}") is None:
        raise Unavailable(f"no module aicontract.stubs.{api}")


# --- covalent: the data plane needs a function id and an API key the stub accepts ----------------

BENCH_FUNCTION_ID = "0663accb6f7d37dbf2a4687b7"  # the seed's example id
BENCH_API_KEY = "aicontract-bench-key"


def _covalent(aicontract: list[str]) -> tuple[list[str], dict[str, str]]:
    """Pass our own id and key when `serve covalent` takes them; else use what the stub defines."""
    available("covalent")
    helptext = subprocess.run(
        [*aicontract, "serve", "covalent", "--help"], capture_output=True, text=True, timeout=30
    ).stdout
    extra: list[str] = []
    values = {"function_id": BENCH_FUNCTION_ID, "api_key": BENCH_API_KEY}
    stub: Any = importlib.import_module("aicontract.stubs.covalent")
    for flag, key, names in (
        ("--function-id", "function_id", ("FUNCTION_ID", "DEFAULT_FUNCTION_ID", "EXAMPLE_FUNCTION_ID")),
        ("--api-key", "api_key", ("API_KEY", "DEFAULT_API_KEY", "EXAMPLE_API_KEY")),
    ):
        if flag in helptext:
            extra += [flag, values[key]]
            continue
        for name in names:
            if isinstance(getattr(stub, name, None), str):
                values[key] = getattr(stub, name)
                break
    return extra, values


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
)
