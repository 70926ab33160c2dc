#!/usr/bin/env python3
"""Boot a real agentUniverse server (the demo project beside this file) on 127.0.0.1.

    python boot.py [--port 18888] [--ready-timeout 60] -- CMD ARGS...
    python boot.py [--port 18888]                 # serve in the foreground until Ctrl-C

The demo project is copied into a fresh temp dir (its SQLite task db and logs
land there, never in the repository), the server is started there with this
interpreter (`sys.executable`, which must be able to import agentuniverse), and
boot.py waits until `GET /liveness` answers 200. Then CMD runs with
AU_BASE_URL=http://127.0.0.1:PORT in its environment; afterwards the server (its
whole process group) is stopped, the temp dir removed, and boot.py exits with
CMD's exit status. If the server is not ready within --ready-timeout seconds,
the last lines of its output are printed and boot.py exits 2.

Standard library only. Binds and contacts 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
DEFAULT_PROJECT = HERE / "au_demo_app"
SERVER_SCRIPT = Path("bootstrap") / "intelligence" / "server_application.py"
READY_EXIT = 2
TAIL_LINES = 40


def log(msg: str) -> None:
    print(f"[boot] {msg}", file=sys.stderr, flush=True)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" in argv:
        split = argv.index("--")
        own, cmd = argv[:split], argv[split + 1:]
    else:
        own, cmd = argv, []
    parser = argparse.ArgumentParser(
        prog="boot.py",
        usage="%(prog)s [options] [-- CMD ARGS...]",
        description="Boot a real agentUniverse server on 127.0.0.1 and optionally run a command against it.",
    )
    parser.add_argument("--port", type=int, default=18888,
                        help="port on 127.0.0.1 (default 18888; 0 = pick a free one)")
    parser.add_argument("--ready-timeout", type=float, default=60.0,
                        help="seconds to wait for GET /liveness == 200 (default 60)")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT,
                        help="agentUniverse project dir to copy and run (default: au_demo_app beside boot.py)")
    parser.add_argument("--stream-delay", type=float, default=None,
                        help="seconds before each token of demo_stream_service "
                             "(sets AU_DEMO_STREAM_DELAY; default 0.05)")
    parser.add_argument("--keep-workdir", action="store_true",
                        help="do not delete the temp copy (db, logs, server.log) at exit")
    args = parser.parse_args(own)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be in 0..65535")
    return args, cmd


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    """True if something already accepts connections on HOST:port (we would test the wrong server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


# Never go through an HTTP proxy from the environment: the target is local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def live(base_url: str) -> bool:
    try:
        with _OPENER.open(base_url + "/liveness", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def tail(path: Path, n: int = TAIL_LINES) -> str:
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            return "".join(collections.deque(f, maxlen=n))
    except OSError as exc:
        return f"(no server output: {exc})\n"


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the server's process group, SIGKILL it if it lingers."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Also reap anything left in the group (the group id is the server's pid).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        log(f"server pid {proc.pid} did not exit")


def no_proxy_env(env: dict[str, str]) -> dict[str, str]:
    for key in ("NO_PROXY", "no_proxy"):
        parts = [p for p in env.get(key, "").split(",") if p]
        for host in (HOST, "localhost"):
            if host not in parts:
                parts.append(host)
        env[key] = ",".join(parts)
    return env


class Stop(Exception):
    """Raised by the SIGTERM/SIGHUP handler: same clean-up path as Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum, frame):
    raise Stop(signum)


def main(argv: list[str] | None = None) -> int:
    args, cmd = parse_args(sys.argv[1:] if argv is None else argv)
    project = args.project.resolve()
    if not (project / SERVER_SCRIPT).is_file() or not (project / "config" / "config.toml").is_file():
        log(f"not an agentUniverse demo project: {project}")
        return READY_EXIT

    port = args.port or free_port()
    if port_in_use(port):
        log(f"{HOST}:{port} is already in use; refusing to start (choose --port, or 0 for a free one)")
        return READY_EXIT
    base_url = f"http://{HOST}:{port}"

    workdir = Path(tempfile.mkdtemp(prefix="au-boot-"))
    # The package directory name must stay the same: yaml `metadata.module` paths start with it.
    app_dir = workdir / project.name
    shutil.copytree(project, app_dir, ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "logs", "db", ".git*"))
    server_log = workdir / "server.log"

    env = no_proxy_env(dict(os.environ))
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if args.stream_delay is not None:
        env["AU_DEMO_STREAM_DELAY"] = repr(args.stream_delay)

    server_cmd = [sys.executable, str(app_dir / SERVER_SCRIPT), "--port", str(port)]
    foreground = not cmd
    out = None if foreground else open(server_log, "wb")

    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    # Explicit, because a shell without job control starts `boot.py &` with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    proc: subprocess.Popen | None = None
    status = 0
    try:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            server_cmd,
            cwd=app_dir / SERVER_SCRIPT.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,  # own process group: stopped as a whole, spared the terminal's Ctrl-C
        )
        deadline = t0 + args.ready_timeout
        while True:
            if live(base_url):
                break
            if proc.poll() is not None:
                log(f"server exited with status {proc.returncode} before it was ready")
                if out:
                    sys.stderr.write(tail(server_log))
                return READY_EXIT
            if time.monotonic() >= deadline:
                log(f"server not ready within {args.ready_timeout:g}s; last lines of its output:")
                if out:
                    sys.stderr.write(tail(server_log))
                return READY_EXIT
            time.sleep(0.1)
        log(f"agentUniverse ready at {base_url} after {time.monotonic() - t0:.2f}s "
            f"(pid {proc.pid}, workdir {workdir})")

        if foreground:
            log("serving in the foreground; Ctrl-C to stop")
            proc.wait()
            log(f"server exited with status {proc.returncode}")
            return proc.returncode or 0

        child_env = no_proxy_env(dict(os.environ))
        child_env["AU_BASE_URL"] = base_url
        try:
            result = subprocess.run(cmd, env=child_env)
        except FileNotFoundError:
            log(f"command not found: {cmd[0]}")
            return 127
        status = result.returncode if result.returncode >= 0 else 128 - result.returncode
        return status
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + signal.SIGINT
    except Stop as stop_signal:
        log(f"stopped by signal {stop_signal.signum}")
        return 128 + stop_signal.signum
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # don't let a second signal interrupt the clean-up
        if proc is not None:
            stop(proc)
        if out:
            out.close()
        if args.keep_workdir:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
