"""Reference stub of an HTTP service behind the SingularityNET daemon (`aicontract serve snet`).

It serves the seed's example service (calculate, process) with real behaviour, or any service's
.proto generically, each rpc a deterministic valid output; it requires the configured
service_credentials and tolerates everything the daemon adds.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI

from aicontract.contracts.snetd.credentials import CredentialsError, load

from ..config import StubConfigError, add_repeatable, check_serving
from ..fault import Fault
from .app import DEFAULT_CREDENTIALS, EXAMPLE_PROTO, HEARTBEAT, SEED_CREDENTIALS, create_app
from .faults import FAULTS

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
    add_repeatable(
        parser, "--proto", "protos", "FILE", "serve this service's rpcs (repeatable; default: the seed's example)"
    )
    parser.add_argument(
        "-I",
        "--proto-path",
        dest="includes",
        action="append",
        default=[],
        metavar="DIR",
        help="import root (repeatable)",
    )
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        help="the service_credentials to require: a JSON array, or a daemon config that has one "
        "(default: the seed's example_body_param body field and X-API-Key header)",
    )
    parser.add_argument("--heartbeat", default=HEARTBEAT, metavar="PATH", help=f"heartbeat path (default: {HEARTBEAT})")


def app_from_arguments(args: argparse.Namespace) -> FastAPI:
    check_serving(args)
    try:
        credentials = load(args.credentials) if args.credentials else None
    except CredentialsError as exc:
        raise StubConfigError(f"--credentials {exc}") from None
    return create_app(
        args.profile,
        args.faults,
        protos=args.protos,
        includes=args.includes,
        credentials=credentials,
        heartbeat=args.heartbeat,
    )
