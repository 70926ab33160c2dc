"""What the CLI's commands do, kept apart from argument parsing so that `--help` stays fast."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .settings import RUN_SETTINGS, Settings, build
from .suites import REGISTRY

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE = 0, 1, 2


def settings_from(args: argparse.Namespace, api: str, profile: str) -> Settings:
    options = {o.dest: getattr(args, o.dest, None) for o in REGISTRY.get(api).options}
    values = {s.dest: getattr(args, s.dest, None) for s in RUN_SETTINGS}
    return build(api, values, options, profile)


def check(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `serve` must not pay for the harness.
    from . import report, runner
    from .ci import apply_baseline, load_baseline
    from .target import Unreachable

    baseline = load_baseline(args.baseline, args.strict_baseline)

    if args.api == "all":
        plan = [(api, p) for api in REGISTRY.names() for p in ([args.profile] if args.profile else _profiles(api))]
        base_url = None
    else:
        plan = [(args.api, args.profile or "documented")]
        base_url = args.base_url
    for api, profile in plan:
        settings_from(args, api, profile)  # every usage error before the first request
    worst, done = EXIT_OK, []
    for api, profile in plan:
        settings = settings_from(args, api, profile)
        try:
            result = runner.run(settings, base_url)
        except Unreachable as exc:
            print(f"aicontract: target unreachable: {exc}", file=sys.stderr)
            return EXIT_USAGE
        done.append(apply_baseline(result, baseline))
        print(report.console(result, verbose=not args.quiet))
        print()
        if args.report:
            for path in report.write(result, args.report):
                print(f"report: {path}")
        worst = max(worst, result.exit_code)
    if args.report and len(done) > 1:
        print(f"report: {report.write_index(done, args.report)}")
    return worst


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
