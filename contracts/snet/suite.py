"""The SingularityNET suite: an HTTP service checked exactly as snet-daemon (service_type: http) calls it.

aicontract check snet --base-url SERVICE_ENDPOINT --proto SERVICE.proto [--credentials FILE]

The contract is generated from the service's .proto at run time (default: the seed's example
service, the same as openapi/snet.yaml), not a fixed document: see `contract.py`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from ..check import Requirement
from ..context import Context
from ..ground import Sources
from ..settings import Settings
from ..snetd.request import CURRENT, OLDER
from ..snetd.verdict import DEFAULT_SERVICE_TIMEOUT
from ..suite import Option, Suite
from .contract import contract_of, validate
from .daemon import EXAMPLE, GENERIC, STUB, daemon, protos_of

SOURCES = Sources("seed 000 (SingularityNET HTTP services)", "spec/snet-http-service.md")
DAEMON = "snet-daemon v6.2.1+ handler/grpc.go"  # where the daemon's behaviour was read
EXAMPLE_GROUND = "--semantics example: the reference semantics of the seed's example (stubs/snet/example.py)"


def _choice(*allowed: str) -> Any:
    def parse(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, not {text!r}")
        return text

    parse.__name__ = "choice"  # argparse names the type in its one-line error
    return parse


def _embedded_app(settings: Settings, faults: Collection[str]) -> Any:
    """The reference stub serving the run's protos, requiring --credentials when given."""
    import importlib

    from ..snetd.credentials import load

    stub: Any = importlib.import_module(STUB)
    protos, includes = protos_of(settings.options)
    path = settings.option("credentials")
    # --heartbeat may be the daemon's full heartbeat_endpoint URL: the stub serves its path.
    heartbeat = urlsplit(str(settings.option("heartbeat") or stub.HEARTBEAT)).path or stub.HEARTBEAT
    return stub.create_app(
        settings.profile,
        faults,
        protos=protos,
        includes=includes,
        credentials=load(path) if path else None,
        heartbeat=heartbeat,
    )


SUITE = Suite(
    "snet",
    checks=tuple(f"{__package__}.{name}" for name in ("gate", "access", "liveness", "semantics")),
    stub=STUB,
    options=(
        Option(
            "--proto",
            "protos",
            "the service's .proto (repeatable: the daemon looks each rpc up across all; default: the seed's example)",
            repeatable=True,
            metavar="FILE",
        ),
        Option("--proto-path", "includes", "an import root for --proto (repeatable)", repeatable=True, metavar="DIR"),
        Option(
            "--credentials",
            "credentials",
            "the daemon's service_credentials: a JSON array, or a daemon config holding one (default with the "
            "reference stub: its default credentials; else none)",
            metavar="FILE",
        ),
        Option(
            "--semantics",
            "semantics",
            f"{GENERIC}: what holds for any service behind the daemon; {EXAMPLE}: also the seed example's "
            f"semantics (default: {EXAMPLE} against the reference stub serving the seed's example, else {GENERIC})",
            None,
            type=_choice(GENERIC, EXAMPLE),
        ),
        Option(
            "--heartbeat",
            "heartbeat",
            "the service's heartbeat path or URL (service_heartbeat_type: http): "
            "it must answer GET with 200 and a body",
            metavar="PATH",
        ),
        Option(
            "--service-timeout",
            "service_timeout",
            f"the daemon's service_timeout in seconds (default: {DEFAULT_SERVICE_TIMEOUT:g}; "
            "the harness waits at most --timeout)",
            DEFAULT_SERVICE_TIMEOUT,
            type=float,
            metavar="SECONDS",
        ),
        Option(
            "--daemon",
            "daemon",
            f"the daemon version to judge as: {CURRENT} (and later; default) or {OLDER} (and earlier: no status "
            "check, no timeout, endpoint path concatenated)",
            CURRENT,
            type=_choice(CURRENT, OLDER),
        ),
    ),
    # The daemon sends only protojson of valid messages, always by POST: schema-driven negative
    # cases, other methods and oversized bodies are requests it never makes, so judging a service by
    # them would be unfair; its own checks generate the daemon's inputs instead.
    generic=(),
    app=_embedded_app,
    state=daemon,
    contract=contract_of,
    validate=validate,
)


def heartbeat_path(ctx: Context) -> str | None:
    """--heartbeat, or the reference stub's own heartbeat when the run checks the stub."""
    given = ctx.settings.option("heartbeat")
    if given:
        return str(given)
    if ctx.state.stub:
        import importlib

        return str(importlib.import_module(STUB).HEARTBEAT)
    return None


HEARTBEAT = Requirement(
    "--heartbeat",
    lambda ctx: (
        None
        if heartbeat_path(ctx)
        else "no --heartbeat PATH: the daemon's default heartbeat is a TCP dial of the endpoint"
    ),
)


def _example_missing(ctx: Context) -> str | None:
    chosen = ctx.settings.option("semantics")
    method = ctx.state.catalog.method("calculate")
    example = method is not None and method.input.full_name == "service.CalculateInput"
    if chosen is None and ctx.state.stub and example:
        return None  # the reference stub serving the seed's example: its semantics are known
    if chosen != EXAMPLE:
        return "the example's semantics are judged with --semantics example"
    if not example:
        return "--semantics example needs the seed's example proto (rpc calculate(service.CalculateInput))"
    return None


EXAMPLE_SEMANTICS = Requirement("--semantics example", _example_missing)
SECRET = Requirement(
    "a secret credential",
    lambda ctx: (
        None
        if ctx.state.secrets
        else f"no header or query credential configured ({ctx.state.credentials_from}): nothing secret to require"
    ),
)
BODY_CREDENTIALS = Requirement(
    "a body credential",
    lambda ctx: (
        None
        if ctx.state.of("body")
        else f"no body credential configured ({ctx.state.credentials_from}): the daemon adds none"
    ),
)
HEADER_CREDENTIALS = Requirement(
    "a header credential",
    lambda ctx: (
        None
        if [c for c in ctx.state.of("header") if isinstance(c.value, str)]
        else f"no string header credential configured ({ctx.state.credentials_from})"
    ),
)
