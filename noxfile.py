"""The sessions users and CI run. `python3 run.py SESSION` bootstraps nox on a bare Python."""

from __future__ import annotations

import os

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
    _install(session)
    session.run("aicontract", "check", "all", *session.posargs, env=ENV)


@nox.session
def tests(session: nox.Session) -> None:
    """The harness's and stubs' own tests, fault-injection tests included."""
    _install(session, "test")
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
    _install(session)
    session.run("python", "bench/run.py", *session.posargs, env=ENV)


@nox.session(python="3.11")
def upstream(session: nox.Session) -> None:
    """Boot a real agentUniverse 0.0.19.1 server and check it: `upstream` must pass, and the
    `documented` run lists where it departs from its own document (exit 1 expected)."""
    session.install("pip>=24", env=ENV)
    session.install("agentUniverse==0.0.19.1", env=ENV)
    _install(session)
    port = os.environ.get("AU_PORT", "18888")
    boot = ["python", "upstream/agentuniverse/boot.py", "--port", port, "--"]
    url = f"http://127.0.0.1:{port}"
    report = ["--report", "reports/upstream"]
    session.run(
        *boot, "aicontract", "check", "agentuniverse", "--profile", "upstream", "--base-url", url, *report, env=ENV
    )
    session.run(
        *boot,
        "aicontract",
        "check",
        "agentuniverse",
        "--profile",
        "documented",
        "--base-url",
        url,
        *report,
        env=ENV,
        success_codes=[0, 1],
    )
