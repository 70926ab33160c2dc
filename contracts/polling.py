"""Polling a task until it ends, within a deadline."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .exchange import Exchange


@dataclass
class Polled:
    states: list[str] = field(default_factory=list)  # every state seen, in order
    last: Exchange | None = None  # the last answer
    finished: bool = False  # a terminal state was reached
    seconds: float = 0.0


def poll(
    fetch: Callable[[], Exchange],
    state_of: Callable[[Exchange], str | None],
    terminal: frozenset[str],
    *,
    deadline: float,
    interval: float,
    extra: int = 0,
) -> Polled:
    """Call `fetch` until `state_of` says a terminal state (or None: stop) or `deadline` passes;
    then `extra` more times, to see whether the terminal state holds."""
    polled = Polled()
    started = time.monotonic()
    remaining_after = extra
    while True:
        polled.last = fetch()
        state = state_of(polled.last)
        if state is None:
            break
        polled.states.append(state)
        if state in terminal:
            polled.finished = True
        if polled.finished:
            if remaining_after <= 0:
                break
            remaining_after -= 1
        elif time.monotonic() - started > deadline:
            break
        time.sleep(interval)
    polled.seconds = time.monotonic() - started
    return polled


def moves_backwards(states: list[str], order: dict[str, int]) -> tuple[str, str] | None:
    """The first step from a later state to an earlier one, if any."""
    for before, after in itertools.pairwise(states):
        if order.get(after, 0) < order.get(before, 0):
            return before, after
    return None
