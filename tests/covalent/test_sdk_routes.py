"""The SDK's calls the seed never mentions are exercised only when the user asks for them."""

from __future__ import annotations

from typing import Any

from aicontract.contracts import run
from aicontract.contracts.runner import stub_app
from aicontract.contracts.settings import Settings
from tests.conftest import FAST

LISTING = "/fn/api/v0/functions"


class PathLog:
    """Records the path of every request the wrapped app is sent."""

    def __init__(self, app: Any) -> None:
        self.app, self.paths = app, []  # type: ignore[var-annotated]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


def _paths(**options: Any) -> list[str]:
    settings = Settings(api="covalent", max_examples=3, seed=1, bounds=FAST, workers=1, options=options)
    logged = PathLog(stub_app(settings))
    run(settings, app=logged)
    return logged.paths


def test_the_function_listing_is_not_called_unless_asked_for() -> None:
    assert LISTING not in _paths()


def test_the_function_listing_is_called_with_sdk_routes_on() -> None:
    assert LISTING in _paths(sdk_routes=True)
