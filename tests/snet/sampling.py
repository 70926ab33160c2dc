"""Draw many generated messages at once, reproducibly (outside a test's own @given)."""

from __future__ import annotations

from typing import TypeVar

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

X = TypeVar("X")


def sample(strategy: st.SearchStrategy[X], count: int, at: int = 1) -> list[X]:
    drawn: list[X] = []

    @seed(at)
    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def collect(value: X) -> None:
        drawn.append(value)

    collect()
    return drawn
