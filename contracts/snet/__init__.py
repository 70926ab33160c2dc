"""The SingularityNET suite: an HTTP service checked exactly as snet-daemon (service_type: http) calls it."""

from __future__ import annotations

from .suite import SUITE

__all__ = ["SUITE"]
