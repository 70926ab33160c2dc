"""Serving the covalent stub on a real 127.0.0.1 socket, with a small client for the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
import pytest

from aicontract.contracts.target import embedded
from aicontract.stubs.covalent import DEFAULT_API_KEY, EXAMPLE_FUNCTION_ID, create_app

CP = "/fn/api/v0/functions"


class Stub:
    """A served stub: `call` hits a deployment's data plane, `cp` the control plane."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=5, trust_env=False)

    def call(
        self,
        route: str,
        body: Any = None,
        *,
        key: str | None = DEFAULT_API_KEY,
        fid: str = EXAMPLE_FUNCTION_ID,
        **kw: Any,
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if key is not None:
            headers["x-api-key"] = key
        if body is not None:
            kw["json"] = body
        return self.http.request(kw.pop("method", "POST"), f"/{fid}{route}", headers=headers, **kw)

    def cp(self, method: str, path: str = "", *, key: str | None = DEFAULT_API_KEY, **kw: Any) -> httpx.Response:
        headers = {"x-api-key": key} if key is not None else {}
        return self.http.request(method, CP + path, headers=headers, **kw)

    def record(self, fid: str = EXAMPLE_FUNCTION_ID) -> dict[str, Any]:
        r = self.cp("GET", f"/{fid}")
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def deploy(self, **body: Any) -> dict[str, Any]:
        r = self.http.post("/_stub/deployments", json=body, headers={"x-api-key": DEFAULT_API_KEY})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


def on_socket(app: Any) -> AbstractContextManager[str]:
    """Serve `app` on an ephemeral 127.0.0.1 port in a thread, as the harness's embedded target does."""
    return embedded(app)


@contextmanager
def serve(**options: Any) -> Iterator[Stub]:
    with on_socket(create_app(**options)) as url:
        stub = Stub(url)
        try:
            yield stub
        finally:
            stub.http.close()


@pytest.fixture
def served() -> Callable[..., AbstractContextManager[Stub]]:
    """`with served(faults=..., create_delay=...) as stub:`."""
    return serve


@pytest.fixture
def stub() -> Iterator[Stub]:
    with serve() as s:
        yield s
