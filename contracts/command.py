"""What the CLI's commands do, kept apart from argument parsing so that `--help` stays fast."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .settings import RUN_SETTINGS, Settings, build
from .suites import REGISTRY

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def settings_from(args: argparse.Namespace, api: str, profile: str) -> Settings:
    options = {o.dest: getattr(args, o.dest, None) for o in REGISTRY.get(api).options}
    values = {s.dest: getattr(args, s.dest, None) for s in RUN_SETTINGS}
    return build(api, values, options, profile)


def check(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `serve` must not pay for the harness.
    from . import report, runner
    from .ci import apply_baseline, load_baseline
    from .progress import Progress
    from .target import Unreachable

    baseline = load_baseline(args.baseline, args.strict_baseline)

    if args.api == "all":
        plan = [(api, p) for api in REGISTRY.names() for p in ([args.profile] if args.profile else _profiles(api))]
        base_url = None
    else:
        plan = [(args.api, args.profile or "documented")]
        base_url = args.base_url
    # Every usage error before the first request.
    runs = [settings_from(args, api, profile) for api, profile in plan]
    if args.report:
        _writable(args.report)
    unknown = set.intersection(*(set(runner.unmatched(s)) for s in runs)) if runs else set()
    if unknown:
        raise ValueError(f"--only/--skip: {', '.join(sorted(unknown))} matches no check, level or operation")
    worst, done = EXIT_OK, []
    for settings in runs:
        progress = None
        if not args.quiet:
            target = base_url or "embedded reference stub"
            progress = Progress(sys.stderr, runner.parts_per_check(settings), settings.api, settings.profile, target)
        try:
            result = runner.run(
                settings,
                base_url,
                finished=progress.finished if progress else None,
                waiting=progress.waiting if progress else None,
                started=progress.header if progress else None,
            )
        except Unreachable as exc:
            print(f"aicontract: target unreachable: {exc}", file=sys.stderr)
            return EXIT_USAGE
        finally:
            if progress is not None:
                progress.close()
        done.append(apply_baseline(result, baseline))
        print(report.console(result, verbose=not args.quiet))
        if result.stopped:
            print(f"stopped early ({result.stopped}): {len(result.unfinished())} check(s) not finished")
        print()
        if args.report:
            for path in report.write(result, args.report):
                print(f"report: {path}")
        if result.interrupted:
            return EXIT_INTERRUPTED
        worst = max(worst, result.exit_code)
    if args.report and len(done) > 1:
        print(f"report: {report.write_index(done, args.report)}")
    return worst


def _writable(folder: Path) -> None:
    """The report folder can be made and written, or a one-line usage error now, not after the run."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--report {folder}: exists and is not a directory")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"--report {folder}: cannot make it ({exc.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"--report {folder}: not writable")


def _profiles(api: str) -> list[str]:
    """`check all` checks the suites that have a stub, in every profile."""
    suite = REGISTRY.get(api)
    return suite.profiles if suite.stub is not None else []


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    app: Any = REGISTRY.get(args.api).stub_module().app_from_arguments(args)
    print(
        f"aicontract: serving the {args.api} stub ({args.profile}) on http://{args.host}:{args.port}", file=sys.stderr
    )
    # A bounded shutdown: a hanging or endless answer must not keep the stub alive.
    uvicorn.run(
        app, host=args.host, port=args.port, log_level=args.log_level, lifespan="off", timeout_graceful_shutdown=2
    )
    return EXIT_OK


def listing(what: str, api: str) -> int:
    if what == "faults":
        for name, fault in REGISTRY.get(api).stub_module().FAULTS.items():
            print(f"{name:<32} {fault.description}")
        return EXIT_OK
    for found in sorted(REGISTRY.get(api).checks(), key=lambda c: (c.level, c.name)):
        print(f"{found.level:<11} {found.name:<36} {found.description}")
    return EXIT_OK
