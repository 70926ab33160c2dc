"""`aicontract`: check an implementation against its contract, or serve a reference stub."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .ci import COMMANDS, add_baseline_options, add_commands, run_command
from .settings import RUN_SETTINGS
from .suites import REGISTRY

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aicontract")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def _check_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], checking: str | None) -> None:
    check = sub.add_parser("check", help="run an API's contract suite against a target")
    per_api = check.add_subparsers(dest="api", metavar="API", required=True)
    for api in (*REGISTRY.names(), "all"):
        what = "every API, against the embedded stubs" if api == "all" else f"the {api} suite"
        p = per_api.add_parser(api, help=what)
        if api != "all":
            p.add_argument("--base-url", help="a live implementation (default: the embedded reference stub)")
            # Importing a suite for its options costs the harness's imports: only for the one checked.
            for option in REGISTRY.get(api).options if api == checking else ():
                p.add_argument(
                    option.flag, dest=option.dest, default=option.default, help=option.help, type=option.type
                )
        for setting in RUN_SETTINGS:
            for flags, given in setting.arguments():
                p.add_argument(*flags, **given)
        p.add_argument(
            "--checks",
            action="append",
            default=[],
            metavar="MODULE",
            help="import MODULE first: it adds checks to a suite or registers a suite of its own (repeatable)",
        )
        p.add_argument("--report", type=Path, metavar="DIR", help="write JUnit XML, JSON and HTML reports here")
        add_baseline_options(p.add_argument)
        p.add_argument("-q", "--quiet", action="store_true", help="summary only, without each violation")


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], serving: str | None) -> None:
    serve = sub.add_parser("serve", help="run a reference stub in the foreground")
    per_api = serve.add_subparsers(dest="api", metavar="API", required=True)
    for api in REGISTRY.names():
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
            REGISTRY.get(api).stub_module().add_arguments(p)


class _Parser(argparse.ArgumentParser):
    """A usage error in one line (argparse would print the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def parser(serving: str | None = None, checking: str | None = None) -> argparse.ArgumentParser:
    top: argparse.ArgumentParser = _Parser(prog="aicontract", description=__doc__)
    top.add_argument("--version", action="version", version=f"aicontract {_version()}")
    sub = top.add_subparsers(dest="command", required=True)
    _check_parser(sub, checking)
    _serve_parser(sub, serving)
    for name, text in (("faults", "list a stub's fault switches"), ("checks", "list an API's checks")):
        listing = sub.add_parser(name, help=text)
        listing.add_argument("api", choices=REGISTRY.names())
    add_commands(sub)  # replay, baseline write
    return top


def _hypothesis_home() -> None:
    """Keep Hypothesis's caches out of the user's working tree, in one place that stays warm."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aicontract" / "hypothesis"
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache))


def main(argv: Sequence[str] | None = None) -> int:
    _hypothesis_home()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # Before parsing: a module may register the very suite the command names.
        for module in _checks_modules(argv):
            REGISTRY.load(module)
    except ValueError as exc:
        print(f"aicontract: {exc}", file=sys.stderr)
        return EXIT_USAGE
    named = argv[1] if len(argv) > 1 and argv[1] in REGISTRY.names() else None
    serving = named if argv[:1] == ["serve"] else None
    checking = named if argv[:1] == ["check"] else None
    args = parser(serving, checking).parse_args(argv)
    try:
        if args.command in COMMANDS:
            return run_command(args)
        if args.command == "check":
            from .command import check

            return check(args)
        if args.command == "serve":
            from .command import serve

            return serve(args)
        from .command import listing

        return listing(args.command, args.api)
    except KeyboardInterrupt:  # before or after a run (a run itself reports what it has)
        print("aicontract: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ValueError, FileNotFoundError) as exc:
        print(f"aicontract: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _checks_modules(argv: list[str]) -> list[str]:
    """The modules `--checks MODULE` (or `--checks=MODULE`) names, wherever they stand."""
    found = []
    for i, arg in enumerate(argv):
        if arg == "--checks" and i + 1 < len(argv):
            found.append(argv[i + 1])
        elif arg.startswith("--checks="):
            found.append(arg.split("=", 1)[1])
    return found


if __name__ == "__main__":
    sys.exit(main())
