"""What the daemon makes of an answer, and what its gRPC caller then sees (handler/grpc.go, errs/errs.go).

v6.2.1+: any 2xx whose body protojson reads into the output message is a reply; a non-2xx is
`Unavailable: upstream http status <code>: <body>`; a body it cannot read is `Internal: jsonToProto
error: ...`; no answer within `service_timeout` is `Internal: error executing HTTP service: ...
context deadline exceeded`. Older daemons (6.2.0 and before) never look at the status and never time out.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass

from google.protobuf.descriptor import Descriptor

from ..exchange import Exchange
from .answer import ParseError, parse
from .request import OLDER

OK, UNAVAILABLE, INTERNAL = "OK", "Unavailable", "Internal"
FIXES = "\nAbout error & possible fixes: https://dev.singularitynet.io/docs/products/DecentralizedAIPlatform/Daemon/error-codes/#_"
JSON_TO_PROTO = "jsonToProto error: invalid proto, can't convert json to proto msg: "
EXECUTING = "error executing HTTP service: "
DEFAULT_SERVICE_TIMEOUT = 100.0  # seconds: the daemon's default service_timeout
MAX_DECODED = 8 << 20  # a gzip answer is decompressed up to this many bytes


@dataclass(frozen=True)
class Verdict:
    code: str  # OK, Unavailable or Internal
    message: str = ""  # the gRPC status message, before the error-codes suffix
    section: int = 0  # the error-codes page's anchor, #_N

    @property
    def ok(self) -> bool:
        return self.code == OK

    def caller_sees(self) -> str:
        """One line: what the daemon's gRPC caller gets (the suffix shortened to its anchor)."""
        if self.ok:
            return "a reply (gRPC OK)"
        return f"gRPC {self.code}: {self.message} (daemon error-codes #_{self.section})"

    def full_message(self) -> str:
        """The status message exactly as the daemon writes it, suffix included."""
        return self.message + FIXES + str(self.section) if not self.ok else ""


def body_of(exchange: Exchange) -> bytes:
    """The answer's body as Go's client hands it over: a gzip answer decompressed (it asked for gzip)."""
    received = exchange.received
    if received is None:
        return b""
    if received.headers.get("content-encoding", "").lower() != "gzip":
        return received.body
    try:
        # bounded: a small gzip body must not expand without limit
        return zlib.decompressobj(wbits=31).decompress(received.body, MAX_DECODED)
    except (zlib.error, gzip.BadGzipFile, EOFError):
        return received.body


def _no_answer(exchange: Exchange) -> Verdict:
    error = exchange.error or "no answer"
    if "no answer within" in error or "time bound" in error:
        go = f'Post "{exchange.sent.url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
    elif "connect" in error:
        go = f'Post "{exchange.sent.url}": dial tcp: connect: connection refused'
    else:
        go = f'Post "{exchange.sent.url}": {error}'
    return Verdict(INTERNAL, EXECUTING + go, 1)


def effective_timeout(service_timeout: float) -> float:
    """How long the daemon waits: service_timeout, or only its HTTP client's 1 s when that is zero or invalid."""
    return service_timeout if service_timeout > 0 else 1.0


def judge(
    exchange: Exchange, output: Descriptor, *, daemon: str = "", service_timeout: float = DEFAULT_SERVICE_TIMEOUT
) -> Verdict:
    """The daemon's verdict on the final answer (after redirects) to one rpc call."""
    received = exchange.received
    if received is None or not received.complete:
        return _no_answer(exchange)
    older = daemon == OLDER
    if not older and exchange.elapsed > effective_timeout(service_timeout):
        return _no_answer(Exchange(exchange.operation, exchange.sent, None, "no answer within the service_timeout"))
    body = body_of(exchange)
    if not older and not 200 <= received.status < 300:
        return Verdict(UNAVAILABLE, f"upstream http status {received.status}: {body.decode('utf-8', 'replace')}", 1)
    try:
        parse(body, output)
    except ParseError as exc:
        return Verdict(INTERNAL, f"{JSON_TO_PROTO}proto: {exc}", 3)
    return Verdict(OK)


def heartbeat(exchange: Exchange) -> str | None:
    """Why the daemon would report the service NOT_SERVING from this heartbeat answer, or None."""
    received = exchange.received
    if received is None:
        return f"no answer: {exchange.error}"
    if received.status != 200:
        return f"HTTP {received.status}: the daemon wants 200"
    if not body_of(exchange):
        return "an empty body: the daemon wants 200 with a non-empty body"
    return None
