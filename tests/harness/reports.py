"""Report directories of a failing and a passing run, made as users make them (`aicontract check --report`)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aicontract.contracts.cli import main
from aicontract.contracts.runner import stub_app
from aicontract.contracts.settings import Settings
from aicontract.contracts.target import embedded

API, STEM = "agentuniverse", "agentuniverse-documented"
FAULT = "text-errors"  # error answers as text/plain: error-answer-documented fails on four operations
QUICK = ["--max-examples", "5", "--seed", "1", "--timeout", "2", "--shrink-seconds", "1"]


@contextmanager
def served(faults: Collection[str] = ()) -> Iterator[str]:
    """The agentuniverse reference stub, with `faults` on, at a URL of its own."""
    with embedded(stub_app(Settings(api=API), faults)) as url:
        yield url


def check(url: str, report: Path, *more: str) -> int:
    return main(["check", API, "--base-url", url, *QUICK, "--report", str(report), "-q", *more])


def json_report(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((directory / f"{STEM}.json").read_bytes())
    return data
