"""The generic checks: written once, taken by every suite that opts in (`Suite(generic=...)`)."""

from __future__ import annotations

from . import fuzz, methods, oversize, streams
from .check import Probe

GENERIC: tuple[Probe, ...] = (fuzz.PROBE, methods.PROBE, streams.PROBE, oversize.PROBE)
NAMES = frozenset(c.name for p in GENERIC for c in p.checks)
