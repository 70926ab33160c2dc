"""The PyGrid Grid Node suite: schema-driven checks plus stateful ones (a model's life, inference, search)."""

from __future__ import annotations

from .suite import SUITE

__all__ = ["SUITE"]
