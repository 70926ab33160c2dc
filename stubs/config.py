"""Start-up settings of a stub, checked before it serves: anything wrong is one `StubConfigError` line.

`aicontract serve` prints a ValueError as one line and exits 2, so every check here raises
`StubConfigError` (a ValueError) and never lets a traceback through.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection, Mapping
from typing import Any

from .fault import Fault


class StubConfigError(ValueError):
    """A stub cannot start as configured (profile, fault, port, file, module): said in one line."""


def choose_profile(api: str, profile: str, profiles: Collection[str]) -> str:
    if profile not in profiles:
        raise StubConfigError(f"unknown profile {profile!r}; {api} has {', '.join(profiles)}")
    return profile


def switch_on(api: str, faults: Collection[str], declared: Mapping[str, Fault]) -> frozenset[str]:
    """The chosen faults, every one of them declared by the stub."""
    unknown = sorted(set(faults) - set(declared))
    if unknown:
        raise StubConfigError(
            f"unknown fault(s) {', '.join(unknown)}; `aicontract faults {api}` lists the {len(declared)} there are"
        )
    return frozenset(faults)


def check_serving(args: argparse.Namespace) -> None:
    """What `aicontract serve` itself takes: a port it can really listen on."""
    port = getattr(args, "port", None)
    if port is not None and not 1 <= port <= 65535:
        raise StubConfigError(f"--port {port}: a port is a number from 1 to 65535")


def positive(name: str, value: float | None) -> None:
    if value is not None and not value > 0:
        raise StubConfigError(f"{name} {value}: must be greater than 0")


def add_repeatable(
    parser: argparse.ArgumentParser, flag: str, dest: str, metavar: str, help: str, kind: Callable[[str], Any] = str
) -> None:
    """A flag that may be given several times; its values land in a list (empty when never given)."""
    parser.add_argument(flag, dest=dest, type=kind, action="append", default=[], metavar=metavar, help=help)
