"""What a CI gate adds to a run, for both front doors: the baseline of known violations, and the
commands that work on a run's reports (`aicontract replay`, `aicontract baseline write`).

The CLI and the pytest plugin each call `add_baseline_options` once (with their flag prefix) and
`apply_baseline` on a finished run; the commands live here so that `cli.py` only names them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

COMMANDS = ("replay", "baseline")


def add_baseline_options(add: Callable[..., Any], prefix: str = "") -> None:
    """`--baseline FILE` and `--strict-baseline` (`--contract-...` under pytest)."""
    add(
        f"--{prefix}baseline",
        type=Path,
        metavar="FILE",
        default=None,
        help="known violations (TOML) that are reported but do not gate; `aicontract baseline write` makes one",
    )
    add(
        f"--{prefix}strict-baseline",
        action="store_true",
        default=False,
        help="with --baseline: an entry that no longer matches a violation (stale) fails the run",
    )


def load_baseline(path: Path | None, strict: bool) -> Any:
    """The baseline a run gates with (None: none); a ValueError says what is wrong with the file."""
    from .baseline import load

    if path is None:
        if strict:
            raise ValueError("--strict-baseline needs --baseline FILE")
        return None
    return load(path, strict)


def apply_baseline(run: Any, baseline: Any) -> Any:
    """`run` judged with `baseline`: its known violations stay in every report but do not gate."""
    run.baseline = baseline
    return run


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    replay = sub.add_parser("replay", help="send a reported violation's request again and judge the answer")
    replay.add_argument("report", type=Path, metavar="REPORT.json", help="a run's JSON report (--report DIR)")
    replay.add_argument("ids", nargs="*", metavar="VIOLATION-ID", help="the violations to replay (default: all)")
    replay.add_argument("--base-url", help="send to this server instead of the one in the report")
    replay.add_argument("--timeout", type=float, default=10.0, help="seconds for one request (default: 10)")
    baseline = sub.add_parser("baseline", help="make a baseline of known violations")
    what = baseline.add_subparsers(dest="baseline_command", metavar="write", required=True)
    write = what.add_parser("write", help="write a baseline listing every violation of a run's JSON reports")
    write.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=Path("reports"),
        metavar="REPORT",
        help="a JSON report, or a --report directory (all of its runs); default: reports",
    )
    write.add_argument("file", type=Path, metavar="FILE", help="the baseline to write (TOML)")


def run_command(args: argparse.Namespace) -> int:
    """`replay` or `baseline write`: 0 when fine, 1 when a replayed violation still fails."""
    if args.command == "replay":
        from .replay import replay

        replayed, code = replay(args.report, args.ids, args.base_url, args.timeout)
        for one in replayed:
            print(one.render())
        fixed = sum(r.verdict != "still fails" for r in replayed)
        print(f"replayed {len(replayed)}: {len(replayed) - fixed} still fail, {fixed} fixed or changed")
        return code
    from .baseline import write

    count = write(args.source, args.file)
    print(f"baseline: {count} known violation(s) written to {args.file}", file=sys.stderr)
    return 0
