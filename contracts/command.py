"""What the CLI's commands do, kept apart from argument parsing so that `--help` stays fast."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import apis
from .settings import Bounds, Settings

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE = 0, 1, 2


def settings_from(args: argparse.Namespace, api: str, profile: str) -> Settings:
    options = {o.dest: getattr(args, o.dest, None) for o in apis.options(api)}
    return Settings(
        api=api,
        profile=profile,
        gate=args.level,
        max_examples=args.max_examples,
        seed=args.seed,
        bounds=Bounds(timeout=args.timeout, stream_seconds=args.stream_timeout, stream_bytes=args.stream_max_bytes),
        poll_deadline=args.poll_deadline,
        latency_bound=args.latency_bound,
        options=options,
        workers=args.workers,
    )


def check(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `serve` must not pay for the harness.
    from . import report, runner, spec
    from .target import Unreachable

    if args.max_examples < 1 or args.timeout <= 0 or args.stream_timeout <= 0 or args.poll_deadline <= 0:
        raise ValueError("--max-examples, --timeout, --stream-timeout and --poll-deadline must be positive")
    if args.api == "all":
        plan = [(api, p) for api in apis.APIS for p in ([args.profile] if args.profile else spec.profiles(api))]
        base_url = None
    else:
        plan = [(args.api, args.profile or "documented")]
        base_url = args.base_url
    worst = EXIT_OK
    for api, profile in plan:
        settings = settings_from(args, api, profile)
        try:
            result = runner.run(settings, base_url)
        except Unreachable as exc:
            print(f"aicontract: target unreachable: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(report.console(result, verbose=not args.quiet))
        print()
        if args.report:
            for path in report.write(result, args.report):
                print(f"report: {path}")
        worst = max(worst, result.exit_code)
    return worst


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    app: Any = apis.stub(args.api).app_from_arguments(args)
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
        for name, fault in apis.stub(api).FAULTS.items():
            print(f"{name:<32} {fault.description}")
        return EXIT_OK
    from .check import checks

    apis.suite(api)
    for found in sorted(checks(api), key=lambda c: (c.level, c.name)):
        print(f"{found.level:<11} {found.name:<36} {found.description}")
    return EXIT_OK
