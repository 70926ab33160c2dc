"""Checks: named expectations with a level, and the functions (probes) that evaluate them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context
    from .spec import Spec

CORE, EXTENDED, ROBUSTNESS = "core", "extended", "robustness"
LEVELS = (CORE, EXTENDED, ROBUSTNESS)


@dataclass(frozen=True)
class Check:
    api: str
    name: str
    level: str
    description: str


@dataclass(frozen=True)
class Probe:
    """A function that exercises the target and judges one or more checks."""

    api: str
    func: Callable[[Context], None]
    checks: tuple[Check, ...]
    profiles: frozenset[str] = field(default_factory=frozenset)  # empty: every profile
    # Independent parts (e.g. one per operation) that may run in parallel; None: one part.
    parts: Callable[[Spec], list[str]] | None = None

    @property
    def name(self) -> str:
        return self.func.__name__

    def applies_to(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles


_PROBES: dict[str, list[Probe]] = {}


def probe(
    api: str,
    checks: Mapping[str, tuple[str, str]],
    *,
    profiles: tuple[str, ...] = (),
    parts: Callable[[Spec], list[str]] | None = None,
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a probe judging several checks: `checks` maps name -> (level, description)."""

    def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
        for level, _ in checks.values():
            if level not in LEVELS:
                raise ValueError(f"{func.__name__}: unknown level {level!r}")
        judged = tuple(Check(api, name, level, text) for name, (level, text) in checks.items())
        _PROBES.setdefault(api, []).append(Probe(api, func, judged, frozenset(profiles), parts))
        return func

    return register


def check(
    api: str, name: str, level: str, *, profiles: tuple[str, ...] = ()
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a probe that judges one check; its docstring's first line describes the check."""

    def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
        text = (func.__doc__ or name).strip().splitlines()[0]
        return probe(api, {name: (level, text)}, profiles=profiles)(func)

    return register


def probes(api: str) -> list[Probe]:
    return list(_PROBES.get(api, []))


def checks(api: str) -> list[Check]:
    seen: dict[str, Check] = {}
    for p in _PROBES.get(api, []):
        for c in p.checks:
            seen.setdefault(c.name, c)
    return list(seen.values())


def gating(gate: str) -> frozenset[str]:
    """The levels whose violations fail a run gated at `gate` (each level includes those below)."""
    return frozenset(LEVELS[: LEVELS.index(gate) + 1])
