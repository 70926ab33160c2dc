"""Reports of a run: the console summary, and JUnit XML, JSON and HTML files for CI.

Whatever a server sent is shown through `visible` (control bytes escaped), so the console cannot be
driven by it and the XML stays well-formed. The JSON report follows `report.schema.json`
(`SCHEMA_VERSION`); the HTML pages are made by `page`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from .check import LEVELS, gating
from .runner import ERROR, FAILED, PASSED, SKIPPED, CheckResult, RunResult
from .violation import Violation
from .visible import visible

SCHEMA_VERSION = "1.0"  # of report.schema.json: a new optional field is a minor step, anything else a major one
SCHEMA_FILE = Path(__file__).with_name("report.schema.json")
_MARK = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP", ERROR: "ERROR"}
BASELINED = "baselined"  # a failed check whose every finding is known (in the baseline)


def seed_text(run: RunResult) -> str:
    if run.seed is None:
        return "derandomized (the same cases every run; --seed N draws others)"
    return f"{run.seed} (--seed {run.seed} replays this run)"


def outcome(run: RunResult, result: CheckResult) -> str:
    """The check's outcome as reported: its status, or `baselined` when every finding is known."""
    if result.status == FAILED and run.baseline is not None and run.baseline.covers(run, result):
        return BASELINED
    return result.status


def known_reason(run: RunResult, violation: Violation) -> str | None:
    """Why the baseline accepts `violation`, or None when it is new (or there is no baseline)."""
    if run.baseline is None:
        return None
    entry = run.baseline.entry_for(run.api, run.profile, violation)
    return None if entry is None else entry.reason


def violation_id(run: RunResult, violation: Violation) -> str:
    """A stable id: the same finding (check, operation, expectation, answer's shape) has the same id in every run."""
    text = "\0".join([run.api, run.profile, *violation.key()])
    return "v-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def score(run: RunResult) -> dict[str, dict[str, Any]]:
    """Per level: checks passed of those judged (skipped ones are not judged; known findings still count)."""
    out: dict[str, dict[str, Any]] = {}
    for level in LEVELS:
        rows = [r for r in run.results if r.check.level == level]
        if not rows:
            continue
        counts = {s: sum(r.status == s for r in rows) for s in (PASSED, FAILED, ERROR, SKIPPED)}
        judged = counts[PASSED] + counts[FAILED] + counts[ERROR]
        out[level] = {
            "passed": counts[PASSED],
            "failed": counts[FAILED],
            "errors": counts[ERROR],
            "skipped": counts[SKIPPED],
            "score": round(counts[PASSED] / judged, 4) if judged else None,
            "gating": level in gating(run.gate),
        }
    return out


def console(run: RunResult, verbose: bool = True) -> str:
    gate = gating(run.gate)
    lines = [
        f"aicontract · {run.api} · profile {run.profile} · target {visible(run.target)}",
        f"gate: {', '.join(level for level in LEVELS if level in gate)} (other levels are reported, not gating)",
        f"seed: {seed_text(run)}",
    ]
    if run.baseline is not None:
        lines.append(f"baseline: {visible(run.baseline.path)} ({len(run.baseline.entries)} known)")
    lines.append("")
    for level in LEVELS:
        rows = sorted((r for r in run.results if r.check.level == level), key=lambda r: r.check.name)
        if not rows:
            continue
        suffix = "" if level in gate else " (not gating)"
        lines.append(f"{level}{suffix}")
        for r in rows:
            found = f"  {len(r.violations) + r.repeats} finding(s)" if r.violations else ""
            why = f"  ({visible(r.reason)})" if r.reason else ""
            mark = "KNOWN" if outcome(run, r) == BASELINED else _MARK[r.status]
            lines.append(f"  {mark:<5} {r.check.name:<36} {r.requests:>5} requests{found}{why}")
        lines.append("")
    failing = [r for r in run.results if r.violations]
    if verbose and failing:
        lines.append("violations")
        for r in failing:
            for v in r.violations:
                reason = known_reason(run, v)
                lines.append(v.render() + (f"\n  {'baselined:':<10}{visible(reason)}" if reason else ""))
            if r.repeats:
                lines.append(f"  … and {r.repeats} more like these for {r.check.name}")
        lines.append("")
    stale = run.baseline.stale(run) if run.baseline is not None else []
    if stale:
        fails = " (fails the run: --strict-baseline)" if run.baseline is not None and run.baseline.strict else ""
        lines.append(f"stale baseline entries, now passing{fails}:")
        lines += [f"  {visible(e.label())}" for e in stale]
        lines.append("")
    counts = {s: sum(1 for r in run.results if r.status == s) for s in _MARK}
    known = sum(outcome(run, r) == BASELINED for r in run.results)
    verdict = "contract holds" if run.exit_code == 0 else "contract violated"
    lines.append(
        f"{verdict}: {counts[PASSED]} passed, {counts[FAILED]} failed"
        + (f" ({known} known, baselined)" if known else "")
        + f", {counts[ERROR]} errors, {counts[SKIPPED]} skipped · {run.requests} requests in {run.seconds:.1f} s"
    )
    return "\n".join(lines)


def _version() -> str:
    try:
        return metadata.version("aicontract")
    except metadata.PackageNotFoundError:
        return "unknown"


def as_dict(run: RunResult) -> dict[str, Any]:
    """The JSON report of one run (see report.schema.json)."""
    baseline = None
    if run.baseline is not None:
        stale = [e.as_dict() for e in run.baseline.stale(run)]
        baseline = {"file": run.baseline.path, "strict": run.baseline.strict, "stale": stale}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "aicontract", "version": _version()},
        "api": run.api,
        "profile": run.profile,
        "target": run.target,
        "gate": run.gate,
        "seed": run.seed,
        "exit_code": run.exit_code,
        "seconds": round(run.seconds, 3),
        "requests": run.requests,
        "score": score(run),
        "baseline": baseline,
        "checks": [_check_dict(run, r) for r in run.results],
    }


def _json(run: RunResult) -> bytes:
    # A lone surrogate (from a JSON escape a server sent) cannot be UTF-8: it is written as the
    # JSON escape it came as (`\ud800`), which reads back as the same string.
    return json.dumps(as_dict(run), indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace")


def _check_dict(run: RunResult, r: CheckResult) -> dict[str, Any]:
    return {
        "name": r.check.name,
        "level": r.check.level,
        "description": r.check.description,
        "ground": r.check.ground,
        "status": r.status,
        "outcome": outcome(run, r),
        "reason": r.reason,
        "requests": r.requests,
        "seconds": round(r.seconds, 3),
        "operations": sorted(r.operations),
        "violations": [
            {"id": violation_id(run, v), "baselined": known_reason(run, v), **v.as_dict()} for v in r.violations
        ],
        "more_like_these": r.repeats,
    }


def _properties(parent: ET.Element, values: dict[str, str]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(props, "property", name=name, value=visible(value))


def _cases(run: RunResult, r: CheckResult) -> list[tuple[str | None, list[Violation]]]:
    """A check's test cases: one per operation it judged, or one for the check when it judged none."""
    if not r.operations or r.status in {SKIPPED, ERROR}:
        return [(None, r.violations)]
    return [(op, [v for v in r.violations if v.operation == op]) for op in sorted(r.operations)]


def junit(run: RunResult) -> bytes:
    """JUnit XML: a test suite per run, a test case per check and operation it judged.

    Known (baselined) findings are `skipped` with the reason, so they show without failing the job."""
    root = ET.Element("testsuites", name=f"aicontract {run.api} {run.profile}")
    suite = ET.SubElement(root, "testsuite", name=f"aicontract.{run.api}.{run.profile}", time=f"{run.seconds:.3f}")
    _properties(
        suite,
        {"api": run.api, "profile": run.profile, "gate": run.gate, "seed": str(run.seed), "target": run.target},
    )
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r in run.results:
        cases = _cases(run, r)
        for operation, found in cases:
            counts["tests"] += 1
            name = r.check.name if operation is None else f"{r.check.name} [{operation}]"
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"aicontract.{run.api}.{run.profile}.{r.check.level}",
                name=visible(name),
                time=f"{r.seconds / len(cases):.3f}",
            )
            props = {"level": r.check.level, "profile": run.profile, "api": run.api, "check": r.check.name}
            if operation is not None:
                props["operation"] = operation
            _properties(case, props)
            new = [v for v in found if known_reason(run, v) is None]
            if r.status == ERROR:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=visible(r.reason), type="error").text = visible(r.reason)
            elif new:
                counts["failures"] += 1
                text = "\n\n".join(f"id: {violation_id(run, v)}\n{v.render()}" for v in new)
                ET.SubElement(case, "failure", message=visible(new[0].expected), type=r.check.level).text = text
            elif found:
                counts["skipped"] += 1
                reasons = sorted({known_reason(run, v) or "" for v in found})
                ET.SubElement(case, "skipped", message=visible("baselined: " + "; ".join(reasons)))
                ET.SubElement(case, "system-out").text = "\n\n".join(v.render() for v in found)
            elif r.status == SKIPPED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=visible(r.reason))
    for name, value in counts.items():
        suite.set(name, str(value))
        root.set(name, str(value))
    root.set("time", f"{run.seconds:.3f}")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def stem(run: RunResult) -> str:
    return f"{run.api}-{run.profile}"


def write(run: RunResult, directory: Path) -> list[Path]:
    from .page import run_page

    directory.mkdir(parents=True, exist_ok=True)
    files = {
        directory / f"{stem(run)}.junit.xml": junit(run),
        directory / f"{stem(run)}.json": _json(run),
        directory / f"{stem(run)}.html": run_page(run).encode("utf-8", "backslashreplace"),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)


def write_index(runs: Sequence[RunResult], directory: Path) -> Path:
    """`index.html`: every run of a multi-API run (`check all`) at a glance, linking to each run's page."""
    from .page import index_page

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "index.html"
    path.write_bytes(index_page(runs).encode("utf-8", "backslashreplace"))
    return path
