"""Reference stub of the agentUniverse Web API (`aicontract serve agentuniverse`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from fastapi import FastAPI

from ..config import StubConfigError, add_repeatable, check_serving
from ..workers import THREADS
from .app import create_app
from .faults import FAULTS

__all__ = ["FAULTS", "StubConfigError", "add_arguments", "app_from_arguments", "create_app"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_repeatable(
        parser,
        "--services",
        "services",
        "PATH",
        "agentUniverse-style service/agent yaml file or folder (repeatable)",
        Path,
    )
    parser.add_argument("--db", default=":memory:", help="SQLite file for task records (default: in memory)")
    parser.add_argument(
        "--sync-timeout", type=float, default=30.0, help="seconds before /service_run gives 504 (default: 30)"
    )
    parser.add_argument(
        "--agent-threads",
        type=int,
        default=THREADS,
        metavar="N",
        help=f"threads for custom agents' blocking execute(), at most (default: {THREADS})",
    )
    parser.add_argument(
        "--max-tasks", type=int, help="task records kept, newest first (default: 100000 in memory, all in a file)"
    )


def app_from_arguments(args: argparse.Namespace) -> FastAPI:
    check_serving(args)
    return create_app(
        args.profile,
        args.faults,
        services=args.services,
        db=args.db,
        sync_timeout=args.sync_timeout,
        max_tasks=args.max_tasks,
        agent_threads=args.agent_threads,
    )
