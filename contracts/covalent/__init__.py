"""The Covalent function-service suite: schema-driven checks of both planes, plus semantic and stateful ones."""

from __future__ import annotations

from . import answers, arguments, auth, examples, lifecycle, record  # noqa: F401  (declare their checks on the suite)
from .suite import SUITE

__all__ = ["SUITE"]
