"""The harness's HTTP client: every request, stream and wait has a bound."""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from typing import Any, TypedDict, Unpack
from urllib.parse import urlencode

import httpx

from .exchange import Exchange, Received, Sent
from .settings import Bounds

_NOT_SET: Any = object()


STALLS_BEFORE_GIVING_UP = 3


class Request(TypedDict, total=False):
    """What `prepare` takes besides the operation; `call` and `stream` pass it through."""

    path: str | None
    params: Mapping[str, Any] | None
    json: Any
    content: bytes | None
    headers: Mapping[str, str] | None
    base_url: str | None


class Client:
    def __init__(self, base_url: str, bounds: Bounds, headers: Mapping[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        # Operations that ran into a time bound several times in a row are not waited on again:
        # a hanging server costs a few timeouts, not one per generated case.
        self._stalls: dict[str, int] = {}
        self.bounds = bounds
        self.headers = dict(headers or {})  # sent with every request (e.g. an API key)
        timeout = httpx.Timeout(bounds.timeout)
        # identity: bodies are judged as sent, and a curl line reproduces them byte for byte.
        self._http = httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False, headers={"accept-encoding": "identity"}
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(
        self,
        operation: str,
        *,
        path: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = _NOT_SET,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> Sent:
        """The request `operation` (e.g. `POST /service_run`) would send; `path` fills its template,
        `base_url` replaces the client's for an operation served elsewhere (another `servers` entry)."""
        method, template = operation.split(" ", 1)
        url = (base_url or self.base_url).rstrip("/") + (path if path is not None else template)
        if params:
            url += "?" + urlencode(params, doseq=True)
        sent_headers = {**self.headers, **(headers or {})}
        body = content
        if json is not _NOT_SET:
            body = jsonlib.dumps(json).encode()
            sent_headers.setdefault("Content-Type", "application/json")
        return Sent(method, url, sent_headers, body)

    def call(self, operation: str, **request: Unpack[Request]) -> Exchange:
        """Send one request (as `prepare` builds it) and read the whole answer (up to `body_bytes`)."""
        return self.send(operation, self.prepare(operation, **request))

    def _given_up(self, operation: str, sent: Sent) -> Exchange | None:
        if self._stalls.get(operation, 0) < STALLS_BEFORE_GIVING_UP:
            return None
        reason = f"not sent: {operation} hit a time bound {STALLS_BEFORE_GIVING_UP} times in a row"
        return Exchange(operation, sent, None, reason)

    def _count(self, exchange: Exchange, timed_out: bool) -> Exchange:
        op = exchange.operation
        self._stalls[op] = self._stalls.get(op, 0) + 1 if timed_out else 0
        return exchange

    def send(self, operation: str, sent: Sent) -> Exchange:
        given_up = self._given_up(operation, sent)
        if given_up is not None:
            return given_up
        started = time.perf_counter()
        try:
            with self._http.stream(sent.method, sent.url, headers=sent.headers, content=sent.body) as response:
                body = bytearray()
                complete = True
                for chunk in response.iter_raw():
                    body += chunk
                    if len(body) > self.bounds.body_bytes:
                        complete = False
                        break
                received = Received(response.status_code, _headers(response), bytes(body), complete=complete)
        except httpx.HTTPError as exc:
            failed = Exchange(operation, sent, None, _describe(exc, self.bounds), time.perf_counter() - started)
            return self._count(failed, isinstance(exc, httpx.TimeoutException))
        error = None if received.complete else f"body exceeded {self.bounds.body_bytes} bytes"
        return self._count(Exchange(operation, sent, received, error, time.perf_counter() - started), False)

    def stream(self, operation: str, *, seconds: float | None = None, **request: Unpack[Request]) -> Exchange:
        """Send one request and read its streamed answer chunk by chunk, within the stream bounds."""
        return self.send_stream(operation, self.prepare(operation, **request), seconds)

    def send_stream(self, operation: str, sent: Sent, seconds: float | None = None) -> Exchange:
        """The exchange's `received.complete` is False and `error` says why when a bound was hit."""
        given_up = self._given_up(operation, sent)
        if given_up is not None:
            return given_up
        limit = seconds if seconds is not None else self.bounds.stream_seconds
        started = time.perf_counter()
        chunks: list[tuple[float, bytes]] = []
        error: str | None = None
        try:
            # A read may block at most until the stream's own deadline.
            timeout = httpx.Timeout(self.bounds.timeout, read=min(self.bounds.timeout, limit))
            request = self._http.build_request(
                sent.method, sent.url, headers=sent.headers, content=sent.body, timeout=timeout
            )
            response = self._http.send(request, stream=True)
            try:
                total = 0
                for chunk in response.iter_raw():
                    now = time.perf_counter() - started
                    chunks.append((now, chunk))
                    total += len(chunk)
                    if total > self.bounds.stream_bytes:
                        error = f"stream exceeded {self.bounds.stream_bytes} bytes"
                        break
                    if now > limit:
                        error = f"stream still open after {limit:g} s"
                        break
            except httpx.ReadTimeout:
                error = f"stream still open after {limit:g} s (no data for {min(self.bounds.timeout, limit):g} s)"
            finally:
                response.close()
        except httpx.HTTPError as exc:
            failed = Exchange(operation, sent, None, _describe(exc, self.bounds), time.perf_counter() - started)
            return self._count(failed, isinstance(exc, httpx.TimeoutException))
        body = b"".join(c for _, c in chunks)
        received = Received(response.status_code, _headers(response), body, chunks, complete=error is None)
        timed_out = error is not None and "open after" in error
        return self._count(Exchange(operation, sent, received, error, time.perf_counter() - started), timed_out)


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


def _describe(exc: httpx.HTTPError, bounds: Bounds) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {bounds.timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}"
    return f"{type(exc).__name__}: {exc}"
