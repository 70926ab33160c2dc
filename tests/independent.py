"""Run a suite at the default gate against an independent implementation (not the reference stub).

ASGI apps are served by the harness's embedded server; WSGI apps (Flask) by Werkzeug's on
127.0.0.1, port 0, in a thread, stopped afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aicontract.contracts import run
from aicontract.contracts.runner import RunResult
from aicontract.contracts.settings import Settings
from tests.conftest import FAST


@contextmanager
def wsgi_served(app: Any) -> Iterator[str]:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log(self, type: str, message: str, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def check_server(api: str, app: Any, profile: str, **overrides: Any) -> RunResult:
    """The run's result at the default gate (`Settings.gate`), with short bounds and a fixed seed."""
    fields: dict[str, Any] = {
        "api": api,
        "profile": profile,
        "max_examples": 10,
        "seed": 1,
        "bounds": FAST,
        "poll_deadline": 2.0,
        "poll_interval": 0.02,
        "latency_bound": 1.0,
    }
    fields.update(overrides)
    settings = Settings(**fields)
    if callable(getattr(app, "wsgi_app", None)):
        with wsgi_served(app) as url:
            return run(settings, base_url=url)
    return run(settings, app=app)


def findings(result: RunResult) -> str:
    """Every gating finding, rendered as a user would read it."""
    return "\n\n".join(v.render() for r in result.results if r.status != "passed" for v in r.violations) or "\n".join(
        f"{r.check.name}: {r.status} {r.reason}" for r in result.results if r.status not in ("passed", "skipped")
    )
