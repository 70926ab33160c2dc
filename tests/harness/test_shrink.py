"""A generated case that breaks a check is reported as the smallest request that breaks it the same way."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from aicontract.contracts import run
from aicontract.contracts.settings import Settings
from aicontract.contracts.shrink import size
from aicontract.contracts.suites import REGISTRY
from tests.conftest import FAST

LONG = 4  # names of this many characters or more get an answer unlike the contract


def _greeter_failing_on_long_names() -> Any:
    """The toy service, except that a name of LONG characters or more gets a number as its greeting."""

    async def greet(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "not JSON"}, status_code=422)
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or len(name) > 40:
            return JSONResponse({"error": "name must be a string of at most 40 characters"}, status_code=422)
        return JSONResponse({"greeting": 5 if len(name) >= LONG else f"Hello, {name}!"})

    return Starlette(routes=[Route("/greet", greet, methods=["POST"])])


def _run(shrink_seconds: float) -> Any:
    REGISTRY.load("tests.toy.suite")
    settings = Settings(api="toy", max_examples=30, seed=3, bounds=FAST, shrink_seconds=shrink_seconds)
    result = run(settings, app=_greeter_failing_on_long_names())
    found = next(r for r in result.results if r.check.name == "response-conformance")
    return next(v for v in found.violations if v.sent is not None and b"name" in (v.sent.body or b""))


def _name(violation: Any) -> str:
    return str(json.loads(violation.sent.body)["name"])


def test_a_failing_generated_case_is_shrunk_to_a_smaller_request_that_fails_the_same_way() -> None:
    first = _run(shrink_seconds=0)  # not shrunk: the first failing case Hypothesis generated
    shrunk = _run(shrink_seconds=5)
    assert shrunk.check == first.check and shrunk.expected == first.expected
    assert size(shrunk.sent) < size(first.sent)
    assert len(_name(shrunk)) == LONG  # the boundary: the shortest name that still fails
    # The first case stays on record (each run has its own port: compare what comes before the URL).
    assert shrunk.first_request.rsplit(" ", 1)[0] == first.request.rsplit(" ", 1)[0]
    assert shrunk.request != first.request and "curl" in shrunk.request


def test_a_run_without_a_shrink_budget_reports_the_first_failing_case() -> None:
    first = _run(shrink_seconds=0)
    assert first.first_request == "" and len(_name(first)) >= LONG
