"""Serving the covalent stub on a real 127.0.0.1 socket, with a small client for the tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
import pytest
import uvicorn

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


@contextmanager
def on_socket(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on an ephemeral 127.0.0.1 port in a thread; yields its URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="error", lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the stub did not start"
        time.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


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
