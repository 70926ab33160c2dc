"""The HTTP request snet-daemon sends for one rpc call, byte for byte (handler/grpc.go's grpcToHTTP).

POST {endpoint joined with the rpc name}?{query credentials}, `Content-Type: application/json`,
Go's client headers, header credentials under canonical names, and the body: protojson with proto
names, decoded into a map, body credentials set as top-level keys, re-encoded by `encoding/json`.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from google.protobuf.message import Message

from . import gojson
from .credentials import Credential, of
from .protojson import EncodeError, to_json

CURRENT, OLDER = "6.2.1", "6.2.0"  # v6.2.1+ judge and build as read; 6.2.0 and older as they did
GO_USER_AGENT = "Go-http-client/1.1"
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


@dataclass(frozen=True)
class DaemonRequest:
    path: str  # the URL's path and query, e.g. /calculate or /api/calculate?key=v
    headers: dict[str, str] = field(default_factory=dict)  # besides those the HTTP library adds itself
    body: bytes = b""
    raw_body: bool = False  # the input's JSON is not an object: protojson's output went out unchanged


def canonical_header(name: str) -> str:
    """Go's textproto.CanonicalMIMEHeaderKey: `x-api-key` -> `X-Api-Key`; a name with a byte that is
    not a token character is left as it is."""
    if not _TOKEN.match(name):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def query_string(credentials: Sequence[Credential]) -> str:
    """url.Values.Encode() of the string query credentials: sorted by key, each value in order."""
    values: dict[str, list[str]] = {}
    for c in of(credentials, "query"):
        if isinstance(c.value, str):  # other values are skipped silently
            values.setdefault(c.key, []).append(c.value)
    return "&".join(f"{quote_plus(k, safe='')}={quote_plus(v, safe='')}" for k in sorted(values) for v in values[k])


def header_values(credentials: Sequence[Credential]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for c in of(credentials, "header"):
        if isinstance(c.value, str):
            headers[canonical_header(c.key)] = c.value  # Header.Set: the last one wins
    return headers


def body(message: Message, credentials: Sequence[Credential] = ()) -> tuple[bytes, bool]:
    """The body bytes, and whether they are protojson's raw output (a non-object input)."""
    value = to_json(message)
    if value is None and of(credentials, "body"):
        # json.Unmarshal of `null` leaves the map nil, and setting a credential in it panics.
        raise EncodeError("the daemon panics: assignment to entry in nil map (a null input with body credentials)")
    if not isinstance(value, dict):
        # The daemon's map decode fails: it sends protojson's own output, without body credentials.
        return _protojson_text(value).encode("utf-8"), True
    decoded = gojson.as_float64(value)
    for c in of(credentials, "body"):
        decoded[c.key] = c.value
    return gojson.dumps(decoded), False


def _protojson_text(value: object) -> str:
    # protojson's writer: no HTML escaping, and (some builds) a space after commas; compact here.
    if isinstance(value, float):
        return gojson.go_float(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def rpc_path(endpoint: str, rpc: str, daemon: str = CURRENT) -> str:
    """Where the daemon POSTs: path.Join(endpoint path, rpc) (older daemons: endpoint path + rpc)."""
    base = urlsplit(endpoint).path
    if daemon == OLDER:
        joined = base + rpc
        return joined if joined.startswith("/") else "/" + joined
    # Go's path.Clean, which (unlike POSIX normpath) also folds a leading "//" into one slash.
    return "/" + posixpath.normpath(posixpath.join(base or "/", rpc)).lstrip("/")


def build(
    endpoint: str, rpc: str, message: Message, credentials: Sequence[Credential] = (), daemon: str = CURRENT
) -> DaemonRequest:
    """The request for `rpc` with `message`, sent to `endpoint` (the daemon's service_endpoint)."""
    data, raw = body(message, credentials)
    query = query_string(credentials)
    headers = {"User-Agent": GO_USER_AGENT, "Accept-Encoding": "gzip"}
    for name, value in header_values(credentials).items():
        if name in ("Content-Type", "Host", "Content-Length"):
            continue  # set by the daemon or Go's client after the credentials
        headers[name] = value
    headers["Content-Type"] = "application/json"
    path = rpc_path(endpoint, rpc, daemon)
    return DaemonRequest(path + (f"?{query}" if query else ""), headers, data, raw)
