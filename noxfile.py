"""The sessions users and CI run. `python3 run.py SESSION` bootstraps nox on a bare Python."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["contracts", "tests"]

# uv does not compile bytecode by default, and with PYTHONDONTWRITEBYTECODE=1 (as on CI machines)
# every start would then re-compile FastAPI, schemathesis and hypothesis.
ENV = {"UV_COMPILE_BYTECODE": "1", "HYPOTHESIS_STORAGE_DIRECTORY": ".nox/.hypothesis"}


def _install(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    session.install(target, env=ENV)


@nox.session
def contracts(session: nox.Session) -> None:
    """The main job: every API's suite, every profile, against the embedded reference stubs."""
    _install(session, "pygrid")
    session.run("aicontract", "check", "all", *session.posargs, env=ENV)


@nox.session
def tests(session: nox.Session) -> None:
    """The harness's and stubs' own tests, fault-injection tests included."""
    _install(session, "test", "pygrid")
    session.run("pytest", "-q", "-p", "no:cacheprovider", *session.posargs, env=ENV)


@nox.session
def check(session: nox.Session) -> None:
    """`nox -s check -- API --base-url URL ...`: check a live implementation."""
    _install(session)
    session.run("aicontract", "check", *(session.posargs or ["all"]), env=ENV)


@nox.session
def serve(session: nox.Session) -> None:
    """`nox -s serve -- API --port N ...`: run a reference stub in the foreground."""
    _install(session)
    session.run("aicontract", "serve", *(session.posargs or ["agentuniverse"]), env=ENV)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff", env=ENV)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    _install(session, "dev")
    session.run("mypy", env=ENV)


@nox.session
def bench(session: nox.Session) -> None:
    """Throughput, latency, start-up and harness speed next to schemathesis, in one run."""
    _install(session, "pygrid")
    session.run("python", "bench/run.py", *session.posargs, env=ENV)
    session.run("python", "bench/snet.py", *(a for a in session.posargs if a == "--quick"), env=ENV)


@nox.session
def upstream(session: nox.Session) -> None:
    """Boot a real agentUniverse 0.0.19.1 server and check it: `upstream` must pass, and the
    `documented` run lists where it departs from its own document (exit 1 expected).

    The server gets its own environment: agentUniverse pins ~190 packages that must not decide
    the harness's versions.
    """
    _install(session)
    server = Path(".nox/agentuniverse-server")
    python = server / "bin" / "python"
    if not python.exists():
        session.run("python", "-m", "venv", str(server))
        session.run(str(python), "-m", "pip", "install", "-q", "-U", "pip", external=True)
        session.run(str(python), "-m", "pip", "install", "-q", "agentUniverse==0.0.19.1", external=True)
    port = os.environ.get("AU_PORT", "18888")
    boot = [str(python), "upstream/agentuniverse/boot.py", "--port", port, "--"]
    check = [
        "aicontract",
        "check",
        "agentuniverse",
        "--base-url",
        f"http://127.0.0.1:{port}",
        "--report",
        "reports/upstream",
    ]
    session.run(*boot, *check, "--profile", "upstream", external=True, env=ENV)
    session.run(*boot, *check, "--profile", "documented", external=True, env=ENV, success_codes=[0, 1])


@nox.session
def snet_differential(session: nox.Session) -> None:
    """snet: the daemon's request bodies, byte for byte against Go's own protojson and encoding/json
    (needs Debian's golang-go and golang-google-protobuf-dev; builds offline)."""
    _install(session, "test")
    examples = os.environ.get("SNET_DIFFERENTIAL_EXAMPLES", "1000")
    env = {**ENV, "SNET_DIFFERENTIAL_EXAMPLES": examples}
    session.run("pytest", "-q", "-p", "no:cacheprovider", "tests/snet/test_differential.py", *session.posargs, env=env)
