"""The harness's HTTP client: every request, stream and wait has a bound."""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from typing import Any, TypedDict, Unpack
from urllib.parse import urlencode

import httpx

from .exchange import Exchange, Received, Sent
from .settings import Bounds, Transport
from .transport import Deadline, http_client

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


RUN_OVER = "not sent: the run's --max-time was reached"


class Client:
    """Sends requests to the target and records each exchange; nothing it does waits unbounded.

    Every exchange has a wall-clock deadline covering connect, sending, headers and body:
    `bounds.timeout` for a plain call (whose body is also cut at `bounds.body_bytes`), and for a
    stream `bounds.timeout` until the headers, then `stream_seconds` in all. `deadline` (a
    `time.monotonic()` moment: the run's `--max-time`) cuts any exchange short, and after it
    nothing more is sent.
    """

    def __init__(
        self,
        base_url: str,
        bounds: Bounds,
        headers: Mapping[str, str] | None = None,
        *,
        transport: Transport | None = None,
        deadline: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Operations that ran into a time bound several times in a row are not waited on again:
        # a hanging server costs a few timeouts, not one per generated case.
        self._stalls: dict[str, int] = {}
        self.bounds = bounds
        self.deadline = deadline
        settings = transport or Transport()
        # sent with every request: the transport's (`-H`) first, then the suite's (e.g. an API key)
        self.headers = _merged(dict(settings.headers), headers or {})
        self._clock = Deadline()
        self._http = http_client(settings, self._clock, bounds.timeout)
        self.cut = 0  # exchanges the run's deadline refused or cut short
        # The exchange under way: (operation, monotonic start, its bound), for a progress notice
        # read from another thread when an answer is slow to come.
        self.current: tuple[str, float, float] | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def expired(self) -> bool:
        """The run's deadline has passed: nothing more will be sent."""
        return self.deadline is not None and time.monotonic() >= self.deadline

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
        `base_url` replaces the client's for an operation served elsewhere (another `servers` entry).
        A base URL's own path is a prefix: `http://host/api` + `/service_run`."""
        method, template = operation.split(" ", 1)
        url = (base_url or self.base_url).rstrip("/") + (path if path is not None else template)
        if params:
            url += "?" + urlencode(params, doseq=True)
        sent_headers = _merged(self.headers, headers or {})
        body = content
        if json is not _NOT_SET:
            body = jsonlib.dumps(json).encode()
            if not any(name.lower() == "content-type" for name in sent_headers):
                sent_headers["Content-Type"] = "application/json"
        return Sent(method, url, sent_headers, body)

    def call(self, operation: str, **request: Unpack[Request]) -> Exchange:
        """Send one request (as `prepare` builds it) and read the whole answer (up to `body_bytes`)."""
        return self.send(operation, self.prepare(operation, **request))

    def _given_up(self, operation: str, sent: Sent) -> Exchange | None:
        if self.expired:
            self.cut += 1
            return Exchange(operation, sent, None, RUN_OVER)
        if self._stalls.get(operation, 0) < STALLS_BEFORE_GIVING_UP:
            return None
        reason = f"not sent: {operation} hit a time bound {STALLS_BEFORE_GIVING_UP} times in a row"
        return Exchange(operation, sent, None, reason)

    def _count(self, exchange: Exchange, timed_out: bool) -> Exchange:
        op = exchange.operation
        self._stalls[op] = self._stalls.get(op, 0) + 1 if timed_out else 0
        return exchange

    def _until(self, started: float, seconds: float) -> float:
        """The moment an exchange started at `started` must be over: its own bound or the run's."""
        end = started + seconds
        return end if self.deadline is None else min(end, self.deadline)

    def _cut_by_run(self, seconds: float) -> str:
        self.cut += 1
        return f"cut short: the run's --max-time was reached ({seconds:g} s into the exchange)"

    def send(self, operation: str, sent: Sent) -> Exchange:
        self.current = (operation, time.monotonic(), self.bounds.timeout)
        try:
            return self._send(operation, sent)
        finally:
            self.current = None

    def _send(self, operation: str, sent: Sent) -> Exchange:
        given_up = self._given_up(operation, sent)
        if given_up is not None:
            return given_up
        started = time.monotonic()
        answered: str | None = None  # what had come when the exchange broke off
        try:
            with (
                self._clock.until(self._until(started, self.bounds.timeout)),
                self._http.stream(sent.method, sent.url, headers=sent.headers, content=sent.body) as response,
            ):
                body = bytearray()
                answered = f"HTTP {response.status_code}"
                complete = True
                for chunk in response.iter_raw():
                    body += chunk
                    answered = f"HTTP {response.status_code} and {len(body)} bytes of body"
                    if len(body) > self.bounds.body_bytes:
                        complete = False
                        break
                received = Received(response.status_code, _headers(response), bytes(body), complete=complete)
        except httpx.HTTPError as exc:
            elapsed = time.monotonic() - started
            timed_out = isinstance(exc, httpx.TimeoutException)
            error = _describe(exc, self.bounds)
            if timed_out and self.expired:
                error = self._cut_by_run(elapsed)
            elif timed_out and answered is not None:
                error = f"the body did not arrive within {self.bounds.timeout:g} s"
            if answered is not None:
                error += f" (after {answered})"
            return self._count(Exchange(operation, sent, None, error, elapsed), timed_out)
        cut = None if received.complete else f"body exceeded {self.bounds.body_bytes} bytes"
        return self._count(Exchange(operation, sent, received, cut, time.monotonic() - started), False)

    def stream(self, operation: str, *, seconds: float | None = None, **request: Unpack[Request]) -> Exchange:
        """Send one request and read its streamed answer chunk by chunk, within the stream bounds."""
        return self.send_stream(operation, self.prepare(operation, **request), seconds)

    def send_stream(self, operation: str, sent: Sent, seconds: float | None = None) -> Exchange:
        """The exchange's `received.complete` is False and `error` says why when a bound was hit."""
        limit = seconds if seconds is not None else self.bounds.stream_seconds
        self.current = (operation, time.monotonic(), limit)
        try:
            return self._send_stream(operation, sent, seconds)
        finally:
            self.current = None

    def _send_stream(self, operation: str, sent: Sent, seconds: float | None) -> Exchange:
        given_up = self._given_up(operation, sent)
        if given_up is not None:
            return given_up
        limit = seconds if seconds is not None else self.bounds.stream_seconds
        idle = min(self.bounds.timeout, limit)  # longest wait for the headers, or for the next chunk
        started = time.monotonic()
        chunks: list[tuple[float, bytes]] = []
        error: str | None = None
        try:
            request = self._http.build_request(
                sent.method, sent.url, headers=sent.headers, content=sent.body, timeout=httpx.Timeout(idle)
            )
            with self._clock.until(self._until(started, idle)):
                response = self._http.send(request, stream=True)
            try:
                total = 0
                with self._clock.until(self._until(started, limit)):
                    for chunk in response.iter_raw():
                        now = time.monotonic() - started
                        chunks.append((now, chunk))
                        total += len(chunk)
                        if total > self.bounds.stream_bytes:
                            error = f"stream exceeded {self.bounds.stream_bytes} bytes"
                            break
                        if now > limit:
                            error = f"stream still open after {limit:g} s"
                            break
            except httpx.TimeoutException:
                now = time.monotonic() - started
                if self.expired:
                    error = self._cut_by_run(now)
                elif now >= limit:
                    error = f"stream still open after {limit:g} s"
                else:
                    error = f"stream still open after {now:.3g} s (no data for {idle:g} s)"
            except httpx.HTTPError as exc:  # e.g. the server closed the connection mid-stream
                error = f"stream broken: {_describe(exc, self.bounds)}"
            finally:
                response.close()
        except httpx.HTTPError as exc:
            elapsed = time.monotonic() - started
            timed_out = isinstance(exc, httpx.TimeoutException)
            reason = self._cut_by_run(elapsed) if timed_out and self.expired else _describe(exc, self.bounds)
            return self._count(Exchange(operation, sent, None, reason, elapsed), timed_out)
        body = b"".join(c for _, c in chunks)
        received = Received(response.status_code, _headers(response), body, chunks, complete=error is None)
        timed_out = error is not None and "open after" in error
        return self._count(Exchange(operation, sent, received, error, time.monotonic() - started), timed_out)


def _merged(*layers: Mapping[str, str]) -> dict[str, str]:
    """Headers, a later layer replacing an earlier one's header of the same name (in any case)."""
    merged: dict[str, str] = {}
    for layer in layers:
        for name, value in layer.items():
            for known in [k for k in merged if k.lower() == name.lower()]:
                del merged[known]
            merged[name] = value
    return merged


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


def _describe(exc: httpx.HTTPError, bounds: Bounds) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {bounds.timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}"
    return f"{type(exc).__name__}: {exc}"
