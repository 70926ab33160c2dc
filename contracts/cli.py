"""`aicontract`: check an implementation against its contract, or serve a reference stub."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import apis
from .check import EXTENDED, LEVELS

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE = 0, 1, 2


def _check_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], checking: str | None) -> None:
    check = sub.add_parser("check", help="run an API's contract suite against a target")
    per_api = check.add_subparsers(dest="api", metavar="API", required=True)
    for api in (*apis.APIS, "all"):
        what = "every API, against the embedded stubs" if api == "all" else f"the {api} suite"
        p = per_api.add_parser(api, help=what)
        if api != "all":
            p.add_argument("--base-url", help="a live implementation (default: the embedded reference stub)")
            # Importing a suite for its options costs the harness's imports: only for the one checked.
            for option in apis.options(api) if api == checking else []:
                p.add_argument(option.flag, dest=option.dest, default=option.default, help=option.help, **option.kwargs)
        p.add_argument("--profile", help="documented (default) or upstream; with `all`: every profile")
        p.add_argument(
            "--level",
            choices=LEVELS,
            default=EXTENDED,
            help="gate the exit status on levels up to this (default: extended)",
        )
        p.add_argument(
            "--max-examples", type=int, default=50, help="generated cases per operation and mode (default: 50)"
        )
        p.add_argument("--seed", type=int, help="seed for a reproducible property-based run")
        p.add_argument("--report", type=Path, metavar="DIR", help="write JUnit XML, JSON and HTML reports here")
        p.add_argument("--timeout", type=float, default=10.0, help="seconds for one request (default: 10)")
        p.add_argument(
            "--stream-timeout", type=float, default=15.0, help="seconds a stream may stay open (default: 15)"
        )
        p.add_argument(
            "--stream-max-bytes", type=int, default=4 << 20, help="bytes a stream may carry (default: 4 MiB)"
        )
        p.add_argument("--poll-deadline", type=float, default=15.0, help="seconds for a task to end (default: 15)")
        p.add_argument(
            "--latency-bound", type=float, default=1.0, help="seconds an async call may take to answer (default: 1)"
        )
        p.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes that run checks side by side (default: up to 2, one per core)",
        )
        p.add_argument("-q", "--quiet", action="store_true", help="summary only, without each violation")


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], serving: str | None) -> None:
    serve = sub.add_parser("serve", help="run a reference stub in the foreground")
    per_api = serve.add_subparsers(dest="api", metavar="API", required=True)
    for api in apis.APIS:
        p = per_api.add_parser(api, help=f"the {api} reference stub")
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8888)
        p.add_argument("--profile", default="documented", help="documented (default) or upstream")
        p.add_argument(
            "--fault",
            dest="faults",
            action="append",
            default=[],
            metavar="NAME",
            help="switch on a fault (repeatable); `aicontract faults API` lists them",
        )
        p.add_argument("--log-level", default="warning")
        if api == serving:  # importing a stub costs a web framework: only for the one served
            apis.stub(api).add_arguments(p)


def parser(serving: str | None = None, checking: str | None = None) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="aicontract", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    _check_parser(sub, checking)
    _serve_parser(sub, serving)
    sub.add_parser("proto2openapi", help="a SingularityNET service's .proto as the OpenAPI document the daemon calls")
    for name, text in (("faults", "list a stub's fault switches"), ("checks", "list an API's checks")):
        listing = sub.add_parser(name, help=text)
        listing.add_argument("api", choices=apis.APIS)
    return top


def _hypothesis_home() -> None:
    """Keep Hypothesis's caches out of the user's working tree, in one place that stays warm."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aicontract" / "hypothesis"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache))


def main(argv: Sequence[str] | None = None) -> int:
    _hypothesis_home()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["proto2openapi"]:  # its own parser: it checks nothing and serves nothing
        from .snetd.proto2openapi import main as proto2openapi

        return proto2openapi(argv[1:])
    named = argv[1] if len(argv) > 1 and argv[1] in apis.APIS else None
    serving = named if argv[:1] == ["serve"] else None
    checking = named if argv[:1] == ["check"] else None
    args = parser(serving, checking).parse_args(argv)
    try:
        if args.command == "check":
            from .command import check

            return check(args)
        if args.command == "serve":
            from .command import serve

            return serve(args)
        from .command import listing

        return listing(args.command, args.api)
    except KeyboardInterrupt:
        return EXIT_USAGE
    except (ValueError, FileNotFoundError) as exc:
        print(f"aicontract: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
