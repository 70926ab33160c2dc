"""What a check run is told: profile, level gate, bounds and API-specific options.

`RUN_SETTINGS` is the one list of run settings both front doors offer, with one set of defaults:
`aicontract check API --NAME` and `pytest --contract-NAME`; `build` turns their values into `Settings`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .check import EXTENDED, LEVELS


@dataclass(frozen=True)
class Bounds:
    # Wall-clock seconds for one exchange: connect, send, headers and (for a plain answer) the whole
    # body. A stream's headers must come within this too; then the stream bounds apply.
    timeout: float = 10.0
    stream_seconds: float = 15.0  # a stream must end within this
    stream_bytes: int = 4 << 20  # and carry no more than this
    body_bytes: int = 8 << 20  # largest plain response body read: a longer one is cut there and reported
    max_time: float | None = None  # seconds for the whole run (`--max-time`); None: no bound


@dataclass(frozen=True)
class Transport:
    """How requests reach the target: extra headers, TLS trust, proxy."""

    headers: tuple[tuple[str, str], ...] = ()  # sent with every request (`-H NAME:VALUE`)
    verify: bool | str = True  # a CA bundle file or directory, True (SSL_CERT_FILE or the system's), or False
    proxy_from_env: bool = True  # HTTP(S)_PROXY, ALL_PROXY and NO_PROXY; loopback is always direct


@dataclass(frozen=True)
class Settings:
    api: str
    profile: str = "documented"
    gate: str = EXTENDED  # levels up to this one decide the exit status
    max_examples: int = 50  # generated cases per operation and mode
    seed: int | None = None  # for a reproducible property-based run
    bounds: Bounds = field(default_factory=Bounds)
    transport: Transport = field(default_factory=Transport)
    poll_deadline: float = 15.0  # an async run must reach a terminal state within this
    poll_interval: float = 0.05
    latency_bound: float = 1.0  # "answers at once": an async call must answer within this
    options: dict[str, Any] = field(default_factory=dict)  # API-specific, e.g. service_id
    workers: int = 1  # processes that run probes side by side (generation is CPU-bound)
    shrink_seconds: float = 5.0  # per operation: shrinking generated cases that failed to the smallest
    only: tuple[str, ...] = ()  # glob patterns of check names, levels or operations to run (empty: all)
    skip: tuple[str, ...] = ()  # glob patterns of check names, levels or operations not to run
    exitfirst: bool = False  # stop after the first gating failure

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class RunSetting:
    """A setting of every run: `--NAME` on the CLI, `--contract-NAME` under pytest."""

    name: str
    dest: str
    type: Callable[[str], Any]
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    positive: bool = False  # must be above zero
    # "append" (repeatable), "flag" (a switch), "toggle" (`--NAME` / `--no-NAME`), or None (one value)
    action: str | None = None
    short: str | None = None  # a one-letter alias on the CLI (pytest has its own, e.g. `-x`)
    metavar: str | None = None

    def arguments(self, prefix: str = "", short: bool = True) -> list[tuple[list[str], dict[str, Any]]]:
        """The argparse arguments (flags, keywords) of this setting under `--{prefix}NAME`, for
        the CLI (`prefix=""`, dest as is) and pytest (`prefix="contract-"`, dest `contract_...`)."""
        dest = prefix.replace("-", "_") + self.dest
        flags = [f"--{prefix}{self.name}"]
        if short and self.short:
            flags.insert(0, self.short)
        if self.action == "toggle":
            on = {"dest": dest, "action": "store_const", "const": True, "default": self.default, "help": self.help}
            off = {"dest": dest, "action": "store_const", "const": False, "help": f"the opposite of --{self.name}"}
            return [(flags, on), ([f"--{prefix}no-{self.name}"], off)]
        if self.action == "flag":
            return [(flags, {"dest": dest, "action": "store_true", "default": False, "help": self.help})]
        given: dict[str, Any] = {"dest": dest, "type": self.type, "help": self.help, "metavar": self.metavar}
        if self.action == "append":
            given.update(action="append", default=[])
        else:
            given.update(default=self.default, choices=self.choices)
        return [(flags, given)]


_B = Bounds()
_S = Settings(api="")
DEFAULT_WORKERS = min(2, os.cpu_count() or 1)


def header(text: str) -> tuple[str, str]:
    from .transport import parse_header

    try:
        return parse_header(text)
    except ValueError as exc:  # argparse shows this one line as it is
        raise argparse.ArgumentTypeError(str(exc)) from None


RUN_SETTINGS: tuple[RunSetting, ...] = (
    RunSetting("profile", "profile", str, None, "documented (default) or upstream; with `check all`: every profile"),
    RunSetting(
        "level",
        "level",
        str,
        EXTENDED,
        "gate the exit status on levels up to this (default: extended)",
        choices=LEVELS,
    ),
    RunSetting(
        "max-examples",
        "max_examples",
        int,
        _S.max_examples,
        f"generated cases per operation and mode (default: {_S.max_examples})",
        positive=True,
    ),
    RunSetting("seed", "seed", int, None, "seed for a reproducible property-based run"),
    RunSetting("timeout", "timeout", float, _B.timeout, "seconds for one request (default: 10)", positive=True),
    RunSetting(
        "stream-timeout",
        "stream_timeout",
        float,
        _B.stream_seconds,
        "seconds a stream may stay open (default: 15)",
        positive=True,
    ),
    RunSetting(
        "stream-max-bytes",
        "stream_max_bytes",
        int,
        _B.stream_bytes,
        "bytes a stream may carry (default: 4 MiB)",
        positive=True,
    ),
    RunSetting(
        "poll-deadline",
        "poll_deadline",
        float,
        _S.poll_deadline,
        "seconds for a task to end (default: 15)",
        positive=True,
    ),
    RunSetting(
        "latency-bound",
        "latency_bound",
        float,
        _S.latency_bound,
        "seconds an async call may take to answer (default: 1)",
        positive=True,
    ),
    RunSetting(
        "workers",
        "workers",
        int,
        DEFAULT_WORKERS,
        "processes that run checks side by side (default: up to 2, one per core)",
        positive=True,
    ),
    RunSetting(
        "max-time",
        "max_time",
        float,
        None,
        "seconds for the whole run: then it stops and reports the checks it did not finish (default: no bound)",
        positive=True,
        metavar="S",
    ),
    RunSetting(
        "header",
        "header",
        header,
        None,
        "a header sent with every request, e.g. 'Authorization: Bearer T' (repeatable)",
        action="append",
        short="-H",
        metavar="NAME:VALUE",
    ),
    RunSetting(
        "tls-verify",
        "tls_verify",
        bool,
        True,
        "verify the target's TLS certificate (default; --no-tls-verify skips it)",
        action="toggle",
    ),
    RunSetting(
        "ca-bundle",
        "ca_bundle",
        str,
        None,
        "trust the CAs in this PEM file or directory (default: SSL_CERT_FILE / SSL_CERT_DIR, else the system's)",
        metavar="FILE",
    ),
    RunSetting(
        "only",
        "only",
        str,
        None,
        "run only the checks whose name, level or operation matches this glob, e.g. 'stream-*' (repeatable)",
        action="append",
        metavar="PATTERN",
    ),
    RunSetting(
        "skip",
        "skip",
        str,
        None,
        "do not run the checks whose name, level or operation matches this glob, e.g. robustness (repeatable)",
        action="append",
        metavar="PATTERN",
    ),
    RunSetting(
        "exitfirst",
        "exitfirst",
        bool,
        False,
        "stop after the first gating failure and report what ran",
        action="flag",
        short="-x",
    ),
    RunSetting(
        "shrink-seconds",
        "shrink_seconds",
        float,
        _S.shrink_seconds,
        "seconds per operation to shrink a failing generated case to the smallest request (default: 5; 0: off)",
    ),
)


def build(api: str, values: Mapping[str, Any], options: Mapping[str, Any], profile: str | None = None) -> Settings:
    """The settings of one run from the front door's values (by `dest`) and the suite's options."""
    got = {s.dest: values.get(s.dest, s.default) for s in RUN_SETTINGS}
    for s in RUN_SETTINGS:
        got[s.dest] = s.default if got[s.dest] is None else got[s.dest]
    bad = [f"--{s.name}" for s in RUN_SETTINGS if s.positive and got[s.dest] is not None and got[s.dest] <= 0]
    if bad:
        raise ValueError(f"{', '.join(bad)} must be positive")
    verify: bool | str = bool(got["tls_verify"])
    if got["ca_bundle"]:
        if not verify:
            raise ValueError("--ca-bundle and --no-tls-verify contradict each other")
        if not os.path.exists(got["ca_bundle"]):
            raise ValueError(f"--ca-bundle: no such file or directory: {got['ca_bundle']}")
        verify = got["ca_bundle"]
    return Settings(
        api=api,
        profile=profile or got["profile"] or "documented",
        gate=got["level"],
        max_examples=got["max_examples"],
        seed=got["seed"],
        bounds=Bounds(
            timeout=got["timeout"],
            stream_seconds=got["stream_timeout"],
            stream_bytes=got["stream_max_bytes"],
            max_time=got["max_time"],
        ),
        transport=Transport(headers=tuple(got["header"] or ()), verify=verify),
        poll_deadline=got["poll_deadline"],
        latency_bound=got["latency_bound"],
        options=dict(options),
        workers=got["workers"],
        shrink_seconds=got["shrink_seconds"],
        only=tuple(got["only"] or ()),
        skip=tuple(got["skip"] or ()),
        exitfirst=bool(got["exitfirst"]),
    )
