"""What the snet checks share: the daemon a run plays (protos, credentials, version, timeout) and
one rpc call made exactly as that daemon makes it, judged as it judges the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from google.protobuf.message import Message

from ..context import Context
from ..exchange import Exchange, Sent
from ..snetd import request
from ..snetd.credentials import Credential, load, of
from ..snetd.protos import Catalog, Method, compile_protos
from ..snetd.redirects import follow
from ..snetd.verdict import DEFAULT_SERVICE_TIMEOUT, Verdict, effective_timeout, judge

API = "snet"
STUB = "aicontract.stubs.snet"
STUB_IMPLEMENTATION = "aicontract snet reference stub"
GENERIC, EXAMPLE = "generic", "example"
WRONG_SECRET = "aicontract-not-the-secret"


@dataclass(frozen=True)
class Daemon:
    """The daemon configuration a run stands in for."""

    catalog: Catalog
    credentials: tuple[Credential, ...]
    credentials_from: str  # where they came from, for messages
    version: str  # request.CURRENT or request.OLDER
    service_timeout: float  # the daemon's service_timeout (its caller waits this long)
    endpoint: str  # the daemon's service_endpoint: the target's base URL
    stub: bool  # the target is the aicontract reference stub

    @property
    def secrets(self) -> list[Credential]:
        return [c for c in self.credentials if c.secret]

    def of(self, location: str) -> list[Credential]:
        return of(self.credentials, location)

    def without(self, dropped: Credential) -> Daemon:
        return replace(self, credentials=tuple(c for c in self.credentials if c is not dropped))

    def with_value(self, changed: Credential, value: Any) -> Daemon:
        swapped = tuple(replace(c, value=value) if c is changed else c for c in self.credentials)
        return replace(self, credentials=swapped)


def example_proto() -> str:
    from importlib import resources

    return str(resources.files("aicontract.openapi").joinpath("snet-example.proto"))


def _paths(value: Any) -> list[str]:
    # A list from the CLI (repeatable flag); one string from the pytest plugin's --contract-option.
    if not value:
        return []
    return [str(value)] if isinstance(value, str | Path) else [str(v) for v in value]


def protos_of(options: dict[str, Any]) -> tuple[list[str], list[str]]:
    return _paths(options.get("protos")) or [example_proto()], _paths(options.get("includes"))


def daemon(ctx: Context) -> Daemon:
    """The run's daemon (the suite's per-run state: `ctx.state`), worked out on first use; it costs
    one request to the target, to tell the reference stub (and its default credentials) apart."""
    protos, includes = protos_of(ctx.settings.options)
    catalog = compile_protos(protos, includes)
    info = ctx.call("GET /_stub/info", path="/_stub/info").json()
    stub = isinstance(info, dict) and info.get("implementation") == STUB_IMPLEMENTATION
    path = ctx.settings.option("credentials")
    credentials: tuple[Credential, ...]
    if path:
        credentials, source = load(path), f"--credentials {path}"
    elif stub:
        import importlib

        stub_module: Any = importlib.import_module(STUB)
        credentials, source = tuple(stub_module.DEFAULT_CREDENTIALS), "the reference stub's default credentials"
    else:
        credentials, source = (), "no --credentials: none configured"
    version = str(ctx.settings.option("daemon", request.CURRENT))
    timeout = float(ctx.settings.option("service_timeout", DEFAULT_SERVICE_TIMEOUT))
    # The base URL as typed: daemons up to 6.2.0 concatenate the endpoint and the rpc name.
    return Daemon(catalog, credentials, source, version, timeout, ctx.client.typed_url, stub)


@dataclass(frozen=True)
class Call:
    """One rpc call: the final exchange (after redirects), and the daemon's verdict on it."""

    exchange: Exchange
    verdict: Verdict
    hops: int = 0  # redirects followed
    slow: bool = False  # answered, but after the daemon's service_timeout

    @property
    def timed_out(self) -> bool:
        """No answer within the bound, or one later than the daemon waits: `answers-in-time` reports it."""
        error = self.exchange.error or ""
        return self.slow or (self.exchange.received is None and ("no answer within" in error or "time bound" in error))

    def seen(self) -> str:
        """What came back and what the daemon's caller would have seen."""
        via = f" (after {self.hops} redirect{'s' if self.hops != 1 else ''})" if self.hops else ""
        return f"{self.exchange.outcome()}{via}; the daemon's caller would see {self.verdict.caller_sees()}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def call(
    ctx: Context,
    method: Method,
    message: Message,
    config: Daemon | None = None,
    headers: dict[str, str] | None = None,
) -> Call:
    """Call `method` with `message` as the daemon would (with `config`'s credentials), redirects followed.
    `headers` replace the daemon's own (a check that tries another spelling)."""
    used = config or ctx.state
    built = request.build(used.endpoint, method.name, message, used.credentials, used.version)
    sent_headers = headers if headers is not None else built.headers
    first = ctx.call(
        method.operation, base_url=_origin(used.endpoint), path=built.path, content=built.body, headers=sent_headers
    )

    def resend(sent: Sent) -> Exchange:
        return ctx.record(ctx.client.send(method.operation, sent))

    final, hops = follow(first, resend)
    elapsed = sum(h.elapsed for h in hops) + final.elapsed  # Go's deadline covers every hop
    final = replace(final, elapsed=elapsed)
    if used.version == request.OLDER:
        return Call(final, judge(final, method.output, daemon=used.version), len(hops))
    slow = final.received is not None and elapsed > effective_timeout(used.service_timeout)
    return Call(final, judge(final, method.output, service_timeout=used.service_timeout), len(hops), slow)


def served(ctx: Context) -> Sequence[Method]:
    used: Daemon = ctx.state
    return used.catalog.served()


def bound_note(ctx: Context) -> str:
    """How long the harness waited, beside how long the daemon would."""
    used: Daemon = ctx.state
    harness = ctx.settings.bounds.timeout
    if used.version == request.OLDER:
        return f"the harness waits {harness:g} s (--timeout); daemons up to 6.2.0 wait without limit"
    if harness < used.service_timeout:
        return (
            f"the harness waits {harness:g} s (--timeout), less than the daemon's service_timeout of "
            f"{used.service_timeout:g} s: raise --timeout to judge the daemon's full wait"
        )
    return f"the daemon waits its service_timeout, {used.service_timeout:g} s"
