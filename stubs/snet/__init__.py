"""Reference stub of an HTTP service behind the SingularityNET daemon (`aicontract serve snet`).

It serves the seed's example service (calculate, process) with real behaviour, or any service's
.proto generically, each rpc a deterministic valid output; it requires the configured
service_credentials and tolerates everything the daemon adds.
"""

from __future__ import annotations

import argparse

from starlette.applications import Starlette

from aicontract.contracts.snetd.credentials import load

from .app import DEFAULT_CREDENTIALS, EXAMPLE_PROTO, HEARTBEAT, SEED_CREDENTIALS, create_app
from .faults import FAULTS, Fault

__all__ = [
    "DEFAULT_CREDENTIALS",
    "EXAMPLE_PROTO",
    "FAULTS",
    "HEARTBEAT",
    "SEED_CREDENTIALS",
    "Fault",
    "add_arguments",
    "app_from_arguments",
    "create_app",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--proto",
        dest="protos",
        action="append",
        default=[],
        metavar="FILE",
        help="serve this service's rpcs (repeatable; default: the seed's example service)",
    )
    parser.add_argument(
        "-I", "--proto-path", dest="includes", action="append", default=[], metavar="DIR", help="import root"
    )
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        help="the service_credentials to require: a JSON array, or a daemon config that has one "
        "(default: the seed's example_body_param body field and X-API-Key header)",
    )
    parser.add_argument("--heartbeat", default=HEARTBEAT, metavar="PATH", help=f"heartbeat path (default: {HEARTBEAT})")


def app_from_arguments(args: argparse.Namespace) -> Starlette:
    credentials = load(args.credentials) if args.credentials else None
    return create_app(
        args.profile,
        args.faults,
        protos=args.protos,
        includes=args.includes,
        credentials=credentials,
        heartbeat=args.heartbeat,
    )
