"""Reports of a run: the console summary, and JUnit XML, JSON and HTML files for CI.

Whatever a server sent is shown through `visible` (control bytes escaped), so the console cannot be
driven by it and the XML stays well-formed."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from .check import LEVELS, gating
from .runner import ERROR, FAILED, PASSED, SKIPPED, CheckResult, RunResult
from .visible import visible

_MARK = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP", ERROR: "ERROR"}


def console(run: RunResult, verbose: bool = True) -> str:
    gate = gating(run.gate)
    lines = [
        f"aicontract · {run.api} · profile {run.profile} · target {visible(run.target)}",
        f"gate: {', '.join(level for level in LEVELS if level in gate)} (other levels are reported, not gating)",
        "",
    ]
    for level in LEVELS:
        rows = sorted((r for r in run.results if r.check.level == level), key=lambda r: r.check.name)
        if not rows:
            continue
        suffix = "" if level in gate else " (not gating)"
        lines.append(f"{level}{suffix}")
        for r in rows:
            found = f"  {len(r.violations) + r.repeats} finding(s)" if r.violations else ""
            why = f"  ({visible(r.reason)})" if r.reason else ""
            lines.append(f"  {_MARK[r.status]:<5} {r.check.name:<36} {r.requests:>5} requests{found}{why}")
        lines.append("")
    failing = [r for r in run.results if r.violations]
    if verbose and failing:
        lines.append("violations")
        for r in failing:
            for v in r.violations:
                lines.append(v.render())
            if r.repeats:
                lines.append(f"  … and {r.repeats} more like these for {r.check.name}")
        lines.append("")
    counts = {s: sum(1 for r in run.results if r.status == s) for s in _MARK}
    verdict = "contract holds" if run.exit_code == 0 else "contract violated"
    lines.append(
        f"{verdict}: {counts[PASSED]} passed, {counts[FAILED]} failed, {counts[ERROR]} errors, "
        f"{counts[SKIPPED]} skipped · {run.requests} requests in {run.seconds:.1f} s"
    )
    return "\n".join(lines)


def as_dict(run: RunResult) -> dict[str, Any]:
    return {
        "api": run.api,
        "profile": run.profile,
        "target": run.target,
        "gate": run.gate,
        "exit_code": run.exit_code,
        "seconds": round(run.seconds, 3),
        "requests": run.requests,
        "checks": [_check_dict(r) for r in run.results],
    }


def _json(run: RunResult) -> bytes:
    # A lone surrogate (from a JSON escape a server sent) cannot be UTF-8: it is written as the
    # JSON escape it came as (`\ud800`), which reads back as the same string.
    return json.dumps(as_dict(run), indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace")


def _check_dict(r: CheckResult) -> dict[str, Any]:
    return {
        "name": r.check.name,
        "level": r.check.level,
        "description": r.check.description,
        "status": r.status,
        "reason": r.reason,
        "requests": r.requests,
        "seconds": round(r.seconds, 3),
        "violations": [v.as_dict() for v in r.violations],
        "more_like_these": r.repeats,
    }


def junit(run: RunResult) -> bytes:
    suite = ET.Element(
        "testsuite",
        name=f"aicontract.{run.api}.{run.profile}",
        tests=str(len(run.results)),
        failures=str(sum(r.status == FAILED for r in run.results)),
        errors=str(sum(r.status == ERROR for r in run.results)),
        skipped=str(sum(r.status == SKIPPED for r in run.results)),
        time=f"{run.seconds:.3f}",
    )
    for r in run.results:
        case = ET.SubElement(
            suite, "testcase", classname=f"{run.api}.{r.check.level}", name=r.check.name, time=f"{r.seconds:.3f}"
        )
        if r.status == FAILED:
            text = "\n\n".join(v.render() for v in r.violations)
            ET.SubElement(case, "failure", message=visible(r.violations[0].expected)).text = text
        elif r.status == ERROR:
            ET.SubElement(case, "error", message=visible(r.reason))
        elif r.status == SKIPPED:
            ET.SubElement(case, "skipped", message=visible(r.reason))
    data: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return data


def html_page(run: RunResult) -> str:
    rows = []
    for r in sorted(run.results, key=lambda r: (LEVELS.index(r.check.level), r.check.name)):
        details = "".join(f"<pre>{html.escape(v.render())}</pre>" for v in r.violations)
        rows.append(
            f"<tr class='{r.status}'><td>{r.check.level}</td><td>{html.escape(r.check.name)}</td>"
            f"<td>{_MARK[r.status]}</td><td>{r.requests}</td><td>{html.escape(r.check.description)}"
            f"{'<br><i>' + html.escape(visible(r.reason)) + '</i>' if r.reason else ''}{details}</td></tr>"
        )
    title = f"aicontract · {run.api} · {run.profile}"
    return (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>"
        "<style>body{font:14px sans-serif}td{vertical-align:top;padding:4px}"
        ".failed,.error{background:#fdd}.passed{background:#dfd}.skipped{background:#eee}"
        "pre{white-space:pre-wrap}</style>"
        f"<h1>{html.escape(title)}</h1><p>target {html.escape(visible(run.target))} · gate {run.gate} · "
        f"exit {run.exit_code} · {run.requests} requests in {run.seconds:.1f} s</p>"
        "<table><tr><th>level</th><th>check</th><th>result</th><th>requests</th><th>details</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def write(run: RunResult, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{run.api}-{run.profile}"
    files = {
        directory / f"{stem}.junit.xml": junit(run),
        directory / f"{stem}.json": _json(run),
        directory / f"{stem}.html": html_page(run).encode(),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)
