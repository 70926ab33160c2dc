"""The agentUniverse Web API suite: schema-driven checks plus semantic and stateful ones."""

from __future__ import annotations

from .suite import SUITE

__all__ = ["SUITE"]
