"""The APIs the harness knows, and where each one's checks and stub live."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

APIS = ("agentuniverse", "covalent", "pygrid")


@dataclass(frozen=True)
class Option:
    """An API-specific `aicontract check` flag; its value lands in `Settings.options[dest]`."""

    flag: str
    dest: str
    help: str
    default: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def suite(api: str) -> ModuleType:
    """Import `aicontract.contracts.<api>`, which registers its probes."""
    if api not in APIS:
        raise ValueError(f"unknown API {api!r}; choose from {', '.join(APIS)}")
    return importlib.import_module(f"aicontract.contracts.{api}")


def stub(api: str) -> ModuleType:
    if api not in APIS:
        raise ValueError(f"unknown API {api!r}; choose from {', '.join(APIS)}")
    return importlib.import_module(f"aicontract.stubs.{api}")


def options(api: str) -> list[Option]:
    return list(getattr(suite(api), "OPTIONS", []))
