"""The covalent target (its key, function and control plane, surveyed once per run), and calls to either plane.

The data plane is the target's base URL (a deployment's invoke URL). The control plane is
`--control-url`, by default the base URL's origin (the reference stub serves both planes). The
key, the function under test and the record are worked out once per run: `survey` is the suite's
per-run state, and `target(ctx)` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..conformance import error_problem, media_type
from ..context import Context
from ..exchange import Exchange
from ..ground import Sources

HELLO, STREAM, ROUTE = "POST /hello", "POST /stream", "POST /{route}"
FUNCTIONS = "/fn/api/v0/functions"
RECORD = f"GET {FUNCTIONS}/{{function_id}}"
TEARDOWN = f"PUT {FUNCTIONS}/{{function_id}}/teardown"
STUB_INFO, STUB_DEPLOY = "GET /_stub/info", "POST /_stub/deployments"
STUB_IMPLEMENTATION = "aicontract covalent reference stub"  # what the stub's /_stub/info says it is
WRONG_KEY = "aicontract-not-a-valid-key"
ACTIVE = "ACTIVE"


@dataclass(frozen=True)
class Endpoint:
    """A data-plane endpoint to call: where it is served and how."""

    url: str  # the base its route is appended to: the target's base URL, or a record's invoke_url
    route: str  # e.g. "/hello"
    method: str = "POST"
    streaming: bool = False
    example: bool = False  # one of the seed's example endpoints, whose answers are known

    @property
    def operation(self) -> str:
        """The contract's operation: the example's own, or the generic `/{route}`."""
        if self.example:
            return f"POST {self.route}"
        return f"{self.method} /{{route}}"


@dataclass(frozen=True)
class Target:
    """What a run found out about its target, once (it costs a request or two)."""

    control_url: str
    stub: bool  # the reference stub (it answers /_stub/info): stub-only checks may run
    key: str | None  # the control plane's x-api-key (and the data plane's, unless data_key); None: unknown
    function_id: str | None  # --function-id, or the stub's root function
    record: Exchange | None  # the reading of that function's record (None: no function id or no key)
    keyless: str = ""  # why there is no key
    data_key: str | None = None  # --inference-key: the data plane's own x-api-key

    @property
    def invoke_key(self) -> str | None:
        """The key data-plane calls carry: the inference key when given, else the account key."""
        return self.data_key or self.key

    def record_body(self) -> dict[str, Any] | None:
        """The record, when it was read: a 200 JSON object."""
        if self.record is None or self.record.received is None or self.record.received.status != 200:
            return None
        body = self.record.json()
        return body if isinstance(body, dict) else None


# Where the checks' expectations come from: the seed, and what the SDK does (measured).
SOURCES = Sources("seed 002 (Covalent function services)", "spec/covalent-function-service.md")
seed = SOURCES.seed


def sdk(fact: str) -> str:
    return SOURCES.real(fact, by="covalent-cloud SDK 1.4.4")


def target(ctx: Context) -> Target:
    """What this run found out about its target (surveyed on first use, once per run)."""
    found = ctx.state
    assert isinstance(found, Target)
    return found


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def survey(ctx: Context) -> Target:
    """The suite's per-run state: the target's control plane, key, function and record."""
    control = str(ctx.settings.option("control_url") or origin(ctx.client.base_url)).rstrip("/")
    info = send(ctx, STUB_INFO, path="/_stub/info", base_url=control).json()
    stub = isinstance(info, dict) and info.get("implementation") == STUB_IMPLEMENTATION
    given = ctx.settings.option("api_key") or None
    # The reference stub accepts its default key unless it was served with others.
    key = given or (str(ctx.suite.stub_module().DEFAULT_API_KEY) if stub else None)
    keyless = "" if key else "no --api-key given: the target's key is needed to call it (pass --api-key KEY)"
    function_id = ctx.settings.option("function_id") or None
    if function_id is None and stub and isinstance(info, dict):
        function_id = _stub_function(ctx.client.base_url, info)
    record = None
    if function_id is not None and key is not None:
        path = f"{FUNCTIONS}/{quote(str(function_id), safe='')}"
        record = send(ctx, RECORD, path=path, base_url=control, headers={"x-api-key": key})
        if not given and record.received is not None and record.received.status == 401:
            key, record = None, None
            keyless = "no --api-key given, and the stub refuses its default key: pass the key it was served with"
    data_key = ctx.settings.option("inference_key") or None
    return Target(control, stub, key, function_id, record, keyless, data_key)


def _stub_function(base_url: str, info: dict[str, Any]) -> str | None:
    """The stub's function the base URL serves: the one it names (an invoke_url), else the root function."""
    named = urlsplit(base_url).path.strip("/")
    if named in (info.get("functions") or []):
        return named
    root = info.get("root_function")
    return root if isinstance(root, str) else None


def send(ctx: Context, operation: str, *, stream: bool = False, **request: Any) -> Exchange:
    """One request anywhere (`base_url=` for another plane or an invoke_url), read whole or as a stream."""
    return ctx.stream(operation, **request) if stream else ctx.call(operation, **request)


def key_headers(ctx: Context) -> dict[str, str]:
    """The control plane's key header."""
    key = target(ctx).key
    return {"x-api-key": key} if key else {}


def invoke_headers(ctx: Context) -> dict[str, str]:
    """The data plane's key header."""
    key = target(ctx).invoke_key
    return {"x-api-key": key} if key else {}


def no_key(ctx: Context) -> str | None:
    """Why a check that needs the right key cannot run here; None when the key is known."""
    found = target(ctx)
    return None if found.invoke_key is not None else found.keyless


def call(
    ctx: Context, endpoint: Endpoint, body: Any = None, *, headers: dict[str, str] | None = None, **request: Any
) -> Exchange:
    """Call `endpoint` with the key (unless `headers` says otherwise) and a JSON body (`{}` by default)."""
    if "content" not in request:
        request["json"] = {} if body is None else body
    sent_headers = invoke_headers(ctx) if headers is None else headers
    return send(
        ctx,
        endpoint.operation,
        stream=endpoint.streaming,
        path=endpoint.route,
        base_url=endpoint.url,
        headers=sent_headers,
        **request,
    )


def example_endpoint(ctx: Context, route: str) -> Endpoint:
    return Endpoint(ctx.client.base_url, route, streaming=route == "/stream", example=True)


def listed(ctx: Context) -> list[Endpoint]:
    """The endpoints the record lists, at its invoke_url (none when it cannot be read)."""
    record = target(ctx).record_body()
    if record is None or not isinstance(record.get("invoke_url"), str):
        return []
    url = record["invoke_url"]
    found = []
    for entry in record.get("endpoints") or []:
        if isinstance(entry, dict) and isinstance(entry.get("route"), str) and entry["route"].startswith("/"):
            method = entry.get("method") if isinstance(entry.get("method"), str) else "POST"
            found.append(Endpoint(url, entry["route"], str(method).upper(), entry.get("streaming") is True))
    return found


def example_missing(ctx: Context, route: str = "/hello") -> str | None:
    """Why the seed's example `route` cannot be judged at the base URL; None when it is served there.

    Without a function under test the base URL is taken to serve the seed's example service.
    """
    found = target(ctx)
    if found.function_id is None:
        return None
    record = found.record_body()
    if record is None:
        unread = f"the record of {found.function_id} could not be read"
        return f"{found.keyless or unread}, so whether it serves {route} is unknown"
    routes = [e.get("route") for e in record.get("endpoints") or [] if isinstance(e, dict)]
    if route not in routes:
        return f"function {found.function_id} lists no {route}: it is not the seed's example service"
    return None


def endpoints(ctx: Context) -> list[Endpoint]:
    """The endpoints plain and streaming answers are judged on: the example's, else the listed ones."""
    if example_missing(ctx, "/hello") is None and example_missing(ctx, "/stream") is None:
        return [example_endpoint(ctx, "/hello"), example_endpoint(ctx, "/stream")]
    return listed(ctx)


def requires_key(ctx: Context) -> bool:
    """Whether the data plane should refuse calls without the key (a record may say `auth: false`)."""
    record = target(ctx).record_body()
    return record is None or record.get("auth") is not False


def json_error(ctx: Context, exchange: Exchange) -> str | None:
    """What is wrong with an error answer; None when it is the error the contract documents."""
    return error_problem(ctx.contract, exchange)


def json_answer(exchange: Exchange) -> str | None:
    """What is wrong with a plain endpoint's 2xx answer; None when it is JSON, as the SDK decodes it."""
    assert exchange.received is not None
    received = exchange.received
    if media_type(received.content_type) != "application/json":
        return f"Content-Type {received.content_type or '(none)'}"
    if exchange.json() is None and received.body.strip() != b"null":
        return "a body that does not parse as JSON"
    return None


def served(exchange: Exchange) -> bool:
    """The endpoint exists and ran or judged the call: an answer, not 404/405/410 and not a 5xx."""
    code = exchange.status
    return code is not None and code < 500 and code not in (404, 405, 410)
