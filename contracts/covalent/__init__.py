"""The Covalent function-service suite: schema-driven checks of both planes, plus semantic and stateful ones."""

from __future__ import annotations

from .suite import SUITE

__all__ = ["SUITE"]
