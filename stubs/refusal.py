"""A request a stub turns down: raised once where the stub sees the problem, answered in one place.

Each stub's app (`stubs/app.py`) turns a `Refusal` into that stub's own JSON error, so that a handler
never builds an error answer itself and no bad input can end in a 500.
"""

from __future__ import annotations

from collections.abc import Mapping


class Refusal(Exception):
    """A 4xx: `status`, a message saying what is wrong, and headers such as Allow or Retry-After."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, message)
        self.status, self.message, self.headers = status, message, dict(headers or {})
