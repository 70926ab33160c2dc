"""Fault switches as data: each a deliberate contract violation, with the checks that must report it.

`caught_by[0]` is the check that must report the fault; the rest trip as well. The fault matrix
(`tests/faultmatrix.py`) is generated from these declarations, so a new fault or check cannot go
unproven.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    caught_by: tuple[str, ...]
    profile: str = "documented"  # the profile in which the fault shows (and its checks run)

    def __post_init__(self) -> None:
        if not self.caught_by:
            raise ValueError(f"fault {self.name} names no check that catches it")


def table(*faults: Fault) -> dict[str, Fault]:
    """Faults by name (names must be unique)."""
    found = {f.name: f for f in faults}
    if len(found) != len(faults):
        raise ValueError("two faults share a name")
    return found
