"""What a check run is told: profile, level gate, bounds and API-specific options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .check import EXTENDED


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

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value
