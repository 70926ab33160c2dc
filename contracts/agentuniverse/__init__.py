"""The agentUniverse Web API suite: schema-driven checks plus semantic and stateful ones."""

from __future__ import annotations

from . import async_runs, errors, stream, sync  # noqa: F401  (declare their checks on the suite)
from .suite import SUITE

__all__ = ["SUITE"]
