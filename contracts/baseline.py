"""Expected failures: known violations, listed in a small TOML file, that do not gate a run.

    version = 1

    [[known]]
    api = "agentuniverse"          # optional: every API
    profile = "upstream"           # optional: every profile
    check = "error-answer-documented"
    operation = "POST /service_run"  # optional: every operation of the check
    reason = "upstream answers errors as text/plain (issue #42)"

A run with `--baseline FILE` still reports every violation, marking the known ones "baselined";
only new ones gate. An entry that matches nothing in a run where its check was judged is stale:
reported, and under `--strict-baseline` it fails the run (so the file shrinks as bugs are fixed).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .runner import CheckResult, RunResult
    from .violation import Violation

VERSION = 1
_KEYS = ("api", "profile", "check", "operation", "reason")


@dataclass(frozen=True)
class Entry:
    check: str
    reason: str
    operation: str | None = None
    api: str | None = None
    profile: str | None = None

    def applies_to(self, api: str, profile: str) -> bool:
        return self.api in {None, api} and self.profile in {None, profile}

    def matches(self, api: str, profile: str, violation: Violation) -> bool:
        return (
            self.applies_to(api, profile)
            and self.check == violation.check
            and self.operation in {None, violation.operation}
        )

    def label(self) -> str:
        where = " · ".join(x for x in (self.api, self.profile) if x)
        op = f" — {self.operation}" if self.operation else ""
        return f"{self.check}{op}" + (f" ({where})" if where else "")

    def as_dict(self) -> dict[str, str]:
        return {k: v for k in _KEYS if (v := getattr(self, k)) is not None}


@dataclass(frozen=True)
class Baseline:
    path: str
    entries: tuple[Entry, ...]
    strict: bool = False  # stale entries fail the run

    def entry_for(self, api: str, profile: str, violation: Violation) -> Entry | None:
        return next((e for e in self.entries if e.matches(api, profile, violation)), None)

    def covers(self, run: RunResult, result: CheckResult) -> bool:
        """Every finding of `result` is a known one (so it does not gate)."""
        found = result.violations
        return bool(found) and all(self.entry_for(run.api, run.profile, v) is not None for v in found)

    def stale(self, run: RunResult) -> list[Entry]:
        """Entries for checks this run judged that match none of its violations: fixed, or never there."""
        from .runner import FAILED, PASSED

        judged = {r.check.name: r for r in run.results if r.status in {PASSED, FAILED}}
        out = []
        for entry in self.entries:
            result = judged.get(entry.check)
            if result is None or not entry.applies_to(run.api, run.profile):
                continue
            if entry.operation is not None and result.operations and entry.operation not in result.operations:
                continue  # an operation this run did not exercise: no evidence either way
            if not any(entry.matches(run.api, run.profile, v) for v in result.violations):
                out.append(entry)
        return out


def load(path: Path, strict: bool = False) -> Baseline:
    """The baseline in `path`; a ValueError says what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"baseline {path} is not TOML: {exc}") from None
    if data.get("version", VERSION) != VERSION:
        raise ValueError(f"baseline {path}: version {data.get('version')!r}, this aicontract reads {VERSION}")
    known = data.get("known", [])
    if not isinstance(known, list):
        raise ValueError(f"baseline {path}: `known` must be an array of tables ([[known]])")
    return Baseline(str(path), tuple(_entry(path, i, item) for i, item in enumerate(known, 1)), strict)


def _entry(path: Path, index: int, item: Any) -> Entry:
    where = f"baseline {path}, entry {index}"
    if not isinstance(item, dict):
        raise ValueError(f"{where}: not a table")
    unknown = set(item) - set(_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not all(isinstance(v, str) and v for v in item.values()):
        raise ValueError(f"{where}: every value must be a non-empty string")
    if "check" not in item or "reason" not in item:
        raise ValueError(f"{where}: `check` and `reason` are required")
    return Entry(item["check"], item["reason"], item.get("operation"), item.get("api"), item.get("profile"))


def from_reports(runs: Iterable[Mapping[str, Any]]) -> list[Entry]:
    """One entry per (API, profile, check, operation) that the JSON reports `runs` found violated."""
    entries: dict[tuple[str, str, str, str], Entry] = {}
    for run in runs:
        for check in run["checks"]:
            for v in check["violations"]:
                key = (run["api"], run["profile"], check["name"], v["operation"])
                reason = f"known since it was written: expected {v['expected']}"
                entries.setdefault(key, Entry(check["name"], reason, v["operation"], run["api"], run["profile"]))
    return list(entries.values())


def render(entries: Iterable[Entry]) -> str:
    """The TOML text of a baseline (strings written as JSON strings, which TOML reads the same)."""
    lines = [
        "# Known violations: `aicontract check ... --baseline THIS-FILE` gates on new ones only.",
        "# Replace each reason with why the violation is accepted for now; delete an entry once it is fixed.",
        f"version = {VERSION}",
    ]
    for entry in entries:
        lines += ["", "[[known]]"]
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in entry.as_dict().items()]
    return "\n".join(lines) + "\n"


def read_reports(source: Path) -> list[dict[str, Any]]:
    """The run reports in a JSON report file, or in every run's JSON report in a report directory."""
    files = sorted(source.glob("*.json")) if source.is_dir() else [source]
    runs = []
    for file in files:
        try:
            data = json.loads(file.read_bytes())
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read report {file}: {exc}") from None
        if isinstance(data, dict) and "checks" in data:
            runs.append(data)
    if not runs:
        raise ValueError(f"no JSON run report in {source}")
    return runs


def write(source: Path, target: Path) -> int:
    """`aicontract baseline write --from SOURCE TARGET`: the number of entries written."""
    entries = from_reports(read_reports(source))
    target.write_text(render(entries), encoding="utf-8")
    return len(entries)
