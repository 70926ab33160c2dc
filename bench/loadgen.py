"""A small HTTP/1.1 load generator that outruns a one-worker Python server.

asyncio protocols over raw TCP sockets (uvloop when installed), one request in flight per
connection, the request pre-encoded once, and just enough response parsing to find where an answer
ends (Content-Length, chunked, or the server closing). A connection is reused (keep-alive) until the
server answers `Connection: close`; then a new one is opened and its connect time counts in that
request's latency. Every run is bounded by a request count and by a time limit.

    python bench/loadgen.py load --port 8888 --path /service_run --body '{...}' -c 16
    python bench/loadgen.py static-server --port 9999      # a trivial server, to measure the ceiling

`load` prints one JSON object on stdout. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

HOST = "127.0.0.1"


def pin(cpu: int | None) -> list[int]:
    """Pin this process to `cpu` when the machine has it; returns the CPUs now allowed."""
    if cpu is not None and hasattr(os, "sched_setaffinity") and cpu in os.sched_getaffinity(0):
        os.sched_setaffinity(0, {cpu})
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def fast_loop() -> str:
    try:
        import uvloop
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"


def encode_request(method: str, path: str, body: bytes, headers: dict[str, str], port: int) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: aicontract-bench"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Run:
    """Shared state of one phase (warm-up or measured)."""

    def __init__(self, request: bytes, max_requests: int, seconds: float, record: bool) -> None:
        self.request = request
        self.max_requests = max_requests
        self.deadline = time.perf_counter() + seconds
        self.record = record
        self.issued = 0
        self.done = 0
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: dict[str, int] = {}
        self.connects = 0
        self.bytes_in = 0

    def may_issue(self) -> bool:
        if self.issued >= self.max_requests or time.perf_counter() >= self.deadline:
            return False
        self.issued += 1
        return True

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Conn(asyncio.Protocol):
    """One keep-alive connection; sends the next request from the callback that ends the last."""

    def __init__(self, run: Run, started: float, closed: asyncio.Future[None]) -> None:
        self.run = run
        self.t0 = started  # the first request's latency includes the connect
        self.closed = closed
        self.transport: Any = None
        self.buf = bytearray()
        self.in_flight = False
        self._reset()

    def _reset(self) -> None:
        self.head_done = False
        self.status = 0
        self.length = -1  # Content-Length; -1 with chunked False: read until close
        self.chunked = False
        self.chunk_left = -1
        self.close_after = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.run.connects += 1
        self._send(first=True)

    def _send(self, first: bool = False) -> None:
        if not self.run.may_issue():
            self.transport.close()
            return
        if not first:
            self.t0 = time.perf_counter()
        self.in_flight = True
        self.transport.write(self.run.request)

    def data_received(self, data: bytes) -> None:
        self.run.bytes_in += len(data)
        buf = self.buf
        buf += data
        while self.in_flight:
            if not self.head_done:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                head = bytes(buf[:end]).lower()
                del buf[: end + 4]
                self._parse_head(head)
            if self.chunked:
                if not self._eat_chunks():
                    return
            elif self.length >= 0:
                if len(buf) < self.length:
                    return
                del buf[: self.length]
            else:
                return  # delimited by the server closing
            self._complete()

    def _parse_head(self, head: bytes) -> None:
        self.head_done = True
        try:
            self.status = int(head[9:12])
        except ValueError:
            self.status = 0
        i = head.find(b"\r\ncontent-length:")
        if i >= 0:
            j = head.find(b"\r\n", i + 2)
            self.length = int(head[i + 17 : j if j >= 0 else None])
        i = head.find(b"\r\ntransfer-encoding:")
        if i >= 0:
            j = head.find(b"\r\n", i + 2)
            self.chunked = b"chunked" in head[i : j if j >= 0 else None]
        self.close_after = b"\r\nconnection: close" in head or head.startswith(b"http/1.0")

    def _eat_chunks(self) -> bool:
        buf = self.buf
        while True:
            if self.chunk_left < 0:  # at a size line
                end = buf.find(b"\r\n")
                if end < 0:
                    return False
                size = int(bytes(buf[:end]).split(b";", 1)[0], 16)
                if size == 0:
                    # No trailers are expected: the terminating CRLF follows at once.
                    if len(buf) < end + 4:
                        return False
                    del buf[: end + 4]
                    return True
                del buf[: end + 2]
                self.chunk_left = size + 2
            if len(buf) < self.chunk_left:
                self.chunk_left -= len(buf)
                buf.clear()
                return False
            del buf[: self.chunk_left]
            self.chunk_left = -1

    def _complete(self) -> None:
        run = self.run
        self.in_flight = False
        run.done += 1
        if run.record:
            run.latencies.append(time.perf_counter() - self.t0)
            run.statuses[self.status] = run.statuses.get(self.status, 0) + 1
        close = self.close_after
        self._reset()
        if close:
            self.transport.close()
        else:
            self._send()

    def eof_received(self) -> bool | None:
        if self.in_flight and self.head_done and not self.chunked and self.length < 0:
            self.buf.clear()
            self._complete_on_close()
        return None

    def _complete_on_close(self) -> None:
        self.close_after = True
        self._complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.in_flight:
            self.run.error(type(exc).__name__ if exc else "closed-mid-answer")
            self.in_flight = False
        if not self.closed.done():
            self.closed.set_result(None)


async def slot(run: Run, port: int) -> None:
    """One unit of concurrency: a connection, reopened whenever the server closes it."""
    loop = asyncio.get_running_loop()
    while time.perf_counter() < run.deadline and run.issued < run.max_requests:
        closed: asyncio.Future[None] = loop.create_future()
        started = time.perf_counter()
        try:
            await loop.create_connection(lambda: Conn(run, started, closed), HOST, port)  # noqa: B023
        except OSError as exc:
            run.error(type(exc).__name__)
            await asyncio.sleep(0.01)
            continue
        remaining = run.deadline - time.perf_counter() + 5.0
        try:
            await asyncio.wait_for(closed, max(remaining, 0.1))
        except TimeoutError:
            run.error("answer-timeout")
            return


async def phase(request: bytes, port: int, concurrency: int, max_requests: int, seconds: float, record: bool) -> Run:
    run = Run(request, max_requests, seconds, record)
    started = time.perf_counter()
    await asyncio.gather(*(slot(run, port) for _ in range(concurrency)))
    run.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return run


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summarize(run: Run, concurrency: int) -> dict[str, Any]:
    lat = sorted(run.latencies)
    elapsed = run.elapsed  # type: ignore[attr-defined]
    ok = run.statuses.get(200, 0)
    return {
        "concurrency": concurrency,
        "requests": len(lat),
        "ok_200": ok,
        "statuses": {str(k): v for k, v in sorted(run.statuses.items())},
        "errors": run.errors,
        "connections": run.connects,
        "seconds": round(elapsed, 4),
        "rps": round(len(lat) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1e3, 3),
        "p90_ms": round(percentile(lat, 90) * 1e3, 3),
        "p99_ms": round(percentile(lat, 99) * 1e3, 3),
        "max_ms": round(lat[-1] * 1e3, 3) if lat else float("nan"),
        "bytes_in": run.bytes_in,
    }


def load(args: argparse.Namespace) -> int:
    cpus = pin(args.cpu)
    loop_name = fast_loop()
    body = args.body.encode() if args.body is not None else b""
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    if body and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    request = encode_request(args.method, args.path, body, headers, args.port)

    async def main() -> dict[str, Any]:
        if args.warmup_seconds > 0 and args.warmup_requests > 0:
            await phase(request, args.port, args.concurrency, args.warmup_requests, args.warmup_seconds, False)
        run = await phase(request, args.port, args.concurrency, args.requests, args.seconds, True)
        return summarize(run, args.concurrency)

    result = asyncio.run(main())
    result.update(loop=loop_name, cpus=cpus)
    json.dump(result, sys.stdout)
    print()
    return 0


# --- a trivial server: what the generator can drive when the server costs (almost) nothing ------

_STATIC = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 112\r\n\r\n"
    b'{"success":true,"result":"Your input is Hello!.","message":null,"request_id":"0123456789abcdef0123456789abcdef"}'
)


class Static(asyncio.Protocol):
    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.buf = bytearray()

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).lower()
            i = head.find(b"\r\ncontent-length:")
            length = 0
            if i >= 0:
                j = head.find(b"\r\n", i + 2)
                length = int(head[i + 17 : j if j >= 0 else None])
            if len(buf) < end + 4 + length:
                return
            del buf[: end + 4 + length]
            self.transport.write(_STATIC)


def static_server(args: argparse.Namespace) -> int:
    pin(args.cpu)
    fast_loop()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Static, HOST, args.port, backlog=1024)
        async with server:
            await asyncio.sleep(args.lifetime)  # bounded even if nobody stops it

    asyncio.run(main())
    return 0


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="drive a server; print a JSON summary")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--method", default="POST")
    p.add_argument("--path", default="/")
    p.add_argument("--body")
    p.add_argument("--header", action="append", default=[], metavar="NAME:VALUE")
    p.add_argument("-c", "--concurrency", type=int, default=1)
    p.add_argument("--requests", type=int, default=20000, help="stop after this many requests")
    p.add_argument("--seconds", type=float, default=5.0, help="... or after this long")
    p.add_argument("--warmup-requests", type=int, default=1000)
    p.add_argument("--warmup-seconds", type=float, default=1.0)
    p.add_argument("--cpu", type=int, help="pin to this CPU")
    s = sub.add_parser("static-server", help="a trivial keep-alive server answering every request at once")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--cpu", type=int)
    s.add_argument("--lifetime", type=float, default=120.0, help="exit after this many seconds")
    args = top.parse_args(argv)
    return load(args) if args.command == "load" else static_server(args)


if __name__ == "__main__":
    sys.exit(main())
