"""What a run checks: a live base URL, or a reference stub embedded in this process."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from .settings import Transport
from .transport import Deadline, http_client
from .visible import visible


class Unreachable(Exception):
    """The target cannot be reached; the run stops with exit status 2."""


def probe_reachable(base_url: str, timeout: float, transport: Transport | None = None) -> None:
    """A first exchange (GET of the base URL) must bring an HTTP answer within `timeout` seconds,
    or the target gives no evidence to judge and `Unreachable` says, in one line, why. Any status,
    even 404 or 500, shows the target speaks HTTP."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Unreachable(f"not an http(s) URL: {base_url!r}")
    if parts.query or parts.fragment:
        raise Unreachable(f"a base URL has no query or fragment: {base_url!r}")
    settings = transport or Transport()
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    deadline = Deadline()
    try:
        http = http_client(settings, deadline, timeout)
    except ValueError as exc:  # a CA bundle that cannot be read
        raise Unreachable(str(exc)) from None
    with http, deadline.until(time.monotonic() + timeout):
        try:
            with http.stream("GET", base_url, headers=dict(settings.headers)):
                pass  # the status line and headers are the evidence; the body is not needed
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise Unreachable(_why(exc, where, timeout, deadline)) from None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    for _ in range(10):  # a chain is short; never loop on a cycle
        if seen is None:
            return
        yield seen
        seen = seen.__cause__ or seen.__context__


def _why(exc: Exception, where: str, timeout: float, deadline: Deadline) -> str:
    causes = list(_causes(exc))
    received = deadline.received
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return (
                f"the TLS certificate of {where} is not trusted ({cause.verify_message}): "
                "pass --ca-bundle FILE to trust its CA, or --no-tls-verify to skip verification"
            )
        if isinstance(cause, ssl.SSLError):
            hint = " (is it plain http?)" if "WRONG_VERSION_NUMBER" in str(cause) else ""
            return f"the TLS handshake with {where} failed: {cause.reason or cause}{hint}"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {where}"
    if isinstance(exc, httpx.ConnectTimeout):
        if deadline.connected:  # TCP is up: the TLS handshake is what hangs
            return f"the TLS handshake with {where} did not finish within {timeout:g} s"
        return f"no connection to {where} within {timeout:g} s"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy failed: {visible(str(exc))}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {where}: {visible(str(exc))}"
    if isinstance(exc, httpx.TimeoutException):
        sent = f"sent {received} bytes but" if received else "sent"
        return f"{where} accepted the connection but {sent} no HTTP answer within {timeout:g} s (silent)"
    if isinstance(exc, httpx.RemoteProtocolError):
        if not received:
            return f"{where} closed the connection without an HTTP answer"
        return f"{where} does not speak HTTP: {visible(str(exc))[:200]}"
    return f"{type(exc).__name__}: {visible(str(exc))}"


@contextmanager
def embedded(app: Any, *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` with uvicorn on an ephemeral 127.0.0.1 port in a background thread.

    A real socket rather than an in-memory transport, so that streams, timeouts and headers behave
    exactly as they do against a deployed server.
    """
    import uvicorn

    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="error", lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="aicontract-stub", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise Unreachable("the embedded stub did not start")
        time.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
