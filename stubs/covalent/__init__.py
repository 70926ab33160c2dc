"""Reference stub of Covalent Cloud function services (`aicontract serve covalent`).

It hosts the seed's example service and any service declared with `service` (see `service.py`),
serving each deployment's data plane and the control-plane record the `covalent-cloud` SDK reads.
"""

from __future__ import annotations

import argparse
import importlib

from fastapi import FastAPI

from ..config import StubConfigError, add_repeatable, check_serving
from .app import DEFAULT_API_KEY, create_app
from .example import FUNCTION_ID as EXAMPLE_FUNCTION_ID
from .faults import FAULTS
from .service import Endpoint, Service, service

__all__ = [
    "DEFAULT_API_KEY",
    "EXAMPLE_FUNCTION_ID",
    "FAULTS",
    "Endpoint",
    "Service",
    "StubConfigError",
    "add_arguments",
    "app_from_arguments",
    "create_app",
    "service",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_repeatable(
        parser,
        "--api-key",
        "api_keys",
        "KEY",
        f"accepted API key, on both planes (repeatable; default: {DEFAULT_API_KEY})",
    )
    parser.add_argument(
        "--create-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="how long each deployment stays CREATING before it is ACTIVE (default: 0)",
    )
    add_repeatable(
        parser,
        "--service",
        "services",
        "MODULE:NAME",
        "also host this service, declared with aicontract.stubs.covalent.service (repeatable)",
    )
    parser.add_argument("--no-example", action="store_true", help="do not host the seed's example service")
    parser.add_argument(
        "--root-function",
        metavar="ID",
        help="the function whose endpoints are also served at the root, /{route} (default: the first hosted)",
    )


def load_service(spec: str) -> Service:
    """`package.module:name` -> the Service object it names."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise StubConfigError(f"--service {spec!r}: expected MODULE:NAME")
    try:
        found = getattr(importlib.import_module(module_name), attr)
    except Exception as exc:  # whatever the user's module raises on import: one line, not a traceback
        raise StubConfigError(f"--service {spec!r}: {type(exc).__name__}: {exc}") from None
    if not isinstance(found, Service):
        raise StubConfigError(f"--service {spec!r} is a {type(found).__name__}, not a service declared with @service")
    return found


def app_from_arguments(args: argparse.Namespace) -> FastAPI:
    check_serving(args)
    return create_app(
        args.profile,
        args.faults,
        api_keys=tuple(args.api_keys or (DEFAULT_API_KEY,)),
        create_delay=args.create_delay,
        services=[load_service(s) for s in args.services],
        example=not args.no_example,
        root_function=args.root_function,
    )
