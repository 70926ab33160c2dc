"""Progress of a run as it goes: the header at once, a line per finished check, a notice when an
answer is slow to come. A live status line on a terminal; plain timestamped lines in CI or a pipe.

Written to stderr: stdout carries the report alone.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from .visible import visible

if TYPE_CHECKING:
    from .client import Client
    from .runner import CheckResult, Waiting

NOTICE_AFTER = 2.0  # seconds without an answer before the wait is announced
_LOOK_EVERY = 0.25

_MARK = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP", "error": "ERROR"}


def live_terminal(stream: TextIO) -> bool:
    """A live status line only on a terminal, and never in CI (whose logs keep every byte)."""
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    return stream.isatty() and not ci


class Progress:
    """What a run shows while it runs; `units` is how many units (probe parts) each check waits for."""

    def __init__(
        self, stream: TextIO, units: Mapping[str, int], api: str, profile: str, target: str, *, live: bool | None = None
    ) -> None:
        self.stream = stream
        self.title = f"aicontract · {api} · profile {profile} · target {visible(target)} · {len(units)} checks"
        self.live = live_terminal(stream) if live is None else live
        self._left = dict(units)
        self._total = len(units)
        self._results: dict[str, CheckResult] = {}
        self._lock = threading.Lock()  # the wait notices come from the watcher thread

    def header(self) -> None:
        """Shown once the target answered its first contact (an unreachable one gets one line only)."""
        self._line(self.title)

    def finished(self, unit: Mapping[str, CheckResult]) -> None:
        from .runner import merge

        for name, result in unit.items():
            merge(self._results, {name: result})
            self._left[name] = self._left.get(name, 1) - 1
            if self._left[name] > 0:
                continue
            kept = self._results[name]
            why = f"  ({visible(kept.reason)})" if kept.reason else ""
            done = self._total - sum(1 for n in self._left.values() if n > 0)
            text = f"{_MARK[kept.status]:<5} {kept.check.level:<10} {name}  {kept.requests} requests{why}"
            if self.live:
                self._status(f"[{done}/{self._total}] {text}")
            else:
                self._line(text)

    def waiting(self, operation: str, bound: float) -> None:
        text = f"waiting up to {bound:g} s for {visible(operation)}…"
        if self.live:
            self._status(text)
        else:
            self._line(text)

    def close(self) -> None:
        if self.live:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()

    def _line(self, text: str) -> None:
        with self._lock:
            prefix = "\r\x1b[K" if self.live else time.strftime("%H:%M:%S ")
            self.stream.write(f"{prefix}{text}\n")
            self.stream.flush()

    def _status(self, text: str) -> None:
        with self._lock:
            self.stream.write(f"\r\x1b[K{text[:200]}")
            self.stream.flush()


@contextmanager
def watching(client: Client, waiting: Waiting, after: float = NOTICE_AFTER) -> Iterator[None]:
    """Call `waiting` once for each exchange of `client` that goes `after` seconds without an answer."""
    stop = threading.Event()

    def watch() -> None:
        announced: tuple[str, float, float] | None = None
        while not stop.wait(_LOOK_EVERY):
            current = client.current
            if current is None or current == announced or time.monotonic() - current[1] < after:
                continue
            announced = current
            waiting(current[0], current[2])

    watcher = threading.Thread(target=watch, name="aicontract-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=1)
