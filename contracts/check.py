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
    ground: str = ""  # what the check rests on: the document's sentence, a schema path, or the real system


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
    checks: Mapping[str, tuple[str, str] | tuple[str, str, str]],
    *,
    profiles: tuple[str, ...] = (),
    parts: Callable[[Spec], list[str]] | None = None,
    ground: str | Mapping[str, str] = "",
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a probe judging several checks: `checks` maps name -> (level, description[, ground]).

    `ground` is the checks' ground: one for all, or a mapping by check name (a third tuple element wins).
    """

    def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
        judged = []
        for name, spec in checks.items():
            level, text = spec[0], spec[1]
            if level not in LEVELS:
                raise ValueError(f"{func.__name__}: unknown level {level!r}")
            default = ground.get(name, "") if isinstance(ground, Mapping) else ground
            judged.append(Check(api, name, level, text, spec[2] if len(spec) > 2 else default))
        _PROBES.setdefault(api, []).append(Probe(api, func, tuple(judged), frozenset(profiles), parts))
        return func

    return register


def check(
    api: str, name: str, level: str, *, profiles: tuple[str, ...] = (), ground: str = ""
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a probe that judges one check; its docstring's first line describes the check."""

    def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
        text = (func.__doc__ or name).strip().splitlines()[0]
        return probe(api, {name: (level, text)}, profiles=profiles, ground=ground)(func)

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
