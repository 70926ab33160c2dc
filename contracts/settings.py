"""What a check run is told: profile, level gate, bounds and API-specific options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .check import EXTENDED


@dataclass(frozen=True)
class Bounds:
    timeout: float = 10.0  # seconds for any one request to be answered
    stream_seconds: float = 15.0  # a stream must end within this
    stream_bytes: int = 4 << 20  # and carry no more than this
    body_bytes: int = 8 << 20  # largest plain response body read


@dataclass(frozen=True)
class Settings:
    api: str
    profile: str = "documented"
    gate: str = EXTENDED  # levels up to this one decide the exit status
    max_examples: int = 50  # generated cases per operation and mode
    seed: int | None = None  # for a reproducible property-based run
    bounds: Bounds = field(default_factory=Bounds)
    poll_deadline: float = 15.0  # an async run must reach a terminal state within this
    poll_interval: float = 0.05
    latency_bound: float = 1.0  # "answers at once": an async call must answer within this
    options: dict[str, Any] = field(default_factory=dict)  # API-specific, e.g. service_id
    workers: int = 1  # processes that run probes side by side (generation is CPU-bound)

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value
