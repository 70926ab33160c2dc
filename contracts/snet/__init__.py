"""The SingularityNET suite: an HTTP service checked exactly as snet-daemon (service_type: http) calls it.

aicontract check snet --base-url SERVICE_ENDPOINT --proto SERVICE.proto [--credentials FILE]

The contract is generated from the service's .proto (default: the seed's example service), not a
fixed document: see `contract.py`, `..snetd.document` and `aicontract proto2openapi`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..apis import Option
from ..settings import Settings
from ..snetd.request import CURRENT, OLDER
from ..snetd.verdict import DEFAULT_SERVICE_TIMEOUT
from . import access, gate, liveness, semantics  # noqa: F401  (registers their probes)
from .contract import spec  # noqa: F401  (the engine's hook: this run's Spec, from --proto)
from .daemon import API, EXAMPLE, GENERIC, protos_of

OPTIONS = [
    Option(
        "--proto",
        "protos",
        "the service's .proto (repeatable: the daemon looks each rpc up across all; default: the seed's example)",
        kwargs={"action": "append", "metavar": "FILE"},
    ),
    Option(
        "--proto-path",
        "includes",
        "an import root for --proto (repeatable)",
        kwargs={"action": "append", "metavar": "DIR"},
    ),
    Option(
        "--credentials",
        "credentials",
        "the daemon's service_credentials: a JSON array, or a daemon config holding one (default with the "
        "reference stub: its default credentials; else none)",
        kwargs={"metavar": "FILE"},
    ),
    Option(
        "--semantics",
        "semantics",
        "generic (default): what holds for any service behind the daemon; example: also the seed example's semantics",
        GENERIC,
        kwargs={"choices": [GENERIC, EXAMPLE]},
    ),
    Option(
        "--heartbeat",
        "heartbeat",
        "the service's heartbeat path (service_heartbeat_type: http): it must answer GET with 200 and a body",
        kwargs={"metavar": "PATH"},
    ),
    Option(
        "--service-timeout",
        "service_timeout",
        f"the daemon's service_timeout in seconds (default: {DEFAULT_SERVICE_TIMEOUT:g}; "
        "the harness waits at most --timeout)",
        DEFAULT_SERVICE_TIMEOUT,
        kwargs={"type": float, "metavar": "SECONDS"},
    ),
    Option(
        "--daemon",
        "daemon",
        f"the daemon version to judge as: {CURRENT} (and later; default) or {OLDER} (and earlier: no status check, "
        "no timeout, endpoint path concatenated)",
        CURRENT,
        kwargs={"choices": [CURRENT, OLDER]},
    ),
]


def embedded_app(settings: Settings, faults: Collection[str]) -> Any:
    """The reference stub serving the run's protos, requiring --credentials when given."""
    from ..apis import stub

    module: Any = stub(API)
    protos, includes = protos_of(settings.options)
    path = settings.option("credentials")
    from ..snetd.credentials import load

    credentials = load(path) if path else None
    heartbeat = settings.option("heartbeat") or module.HEARTBEAT
    return module.create_app(
        settings.profile, faults, protos=protos, includes=includes, credentials=credentials, heartbeat=heartbeat
    )
