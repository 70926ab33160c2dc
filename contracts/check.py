"""Checks: named expectations with a level and a ground, the probes that judge them, and what they need."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context
    from .contract import Contract

CORE, EXTENDED, ROBUSTNESS = "core", "extended", "robustness"
LEVELS = (CORE, EXTENDED, ROBUSTNESS)

# A probe function judging its checks through the Context verbs.
ProbeFunc = Callable[["Context"], None]
# A check as a probe declares it: (level, description) or (level, description, ground).
Declared = tuple[str, str] | tuple[str, str, str]


@dataclass(frozen=True)
class Check:
    name: str
    level: str
    description: str
    ground: str  # the statement a finding rests on, unless the finding names its own


@dataclass(frozen=True)
class Requirement:
    """What a check needs of the run (an API key, the example service, the reference stub).

    `missing` says why the run cannot offer it, or None when it can; a probe that needs it is then
    skipped with that reason, before it sends anything.
    """

    name: str
    missing: Callable[[Context], str | None] = field(compare=False)


@dataclass(frozen=True)
class Probe:
    """A function that exercises the target and judges one or more checks."""

    func: Callable[[Context], None]
    checks: tuple[Check, ...]
    profiles: frozenset[str] = field(default_factory=frozenset)  # empty: every profile
    # Independent parts (e.g. one per operation) that may run in parallel; None: one part.
    parts: Callable[[Contract], list[str]] | None = None
    requires: tuple[Requirement, ...] = ()
    # Checks of a generic probe its suite did not take: their findings are dropped.
    declined: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.func.__name__

    def applies_to(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles


def declare(
    func: ProbeFunc,
    checks: Mapping[str, Declared],
    *,
    profiles: tuple[str, ...] = (),
    parts: Callable[[Contract], list[str]] | None = None,
    requires: tuple[Requirement, ...] = (),
) -> Probe:
    """The probe `func`, judging `checks` (name -> (level, description[, ground]))."""
    judged = []
    for name, declared in checks.items():
        level, text = declared[0], declared[1]
        if level not in LEVELS:
            raise ValueError(f"{func.__name__}: unknown level {level!r}")
        # Every finding cites a ground; until the check names one, its own statement is it.
        ground = declared[2] if len(declared) == 3 else f"this check's statement: {text}"
        judged.append(Check(name, level, text, ground))
    return Probe(func, tuple(judged), frozenset(profiles), parts, requires)


def gating(gate: str) -> frozenset[str]:
    """The levels whose violations fail a run gated at `gate` (each level includes those below)."""
    return frozenset(LEVELS[: LEVELS.index(gate) + 1])
