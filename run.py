#!/usr/bin/env python3
"""Bootstrap: `python3 run.py SESSION [-- ARGS]` runs a nox session on a bare Python 3.11.

It makes `.venv/` with nox (and uv, which nox then uses to build each session's environment)
the first time, and reuses it after. Nothing else needs to be installed by hand.

`check` and `contracts` pass aicontract's exit status through unchanged (0 holds, 1 violated,
2 usage or unreachable, 130 interrupted): nox says 1 for any failure, so for those two nox only
builds the environment and the command runs directly, with Ctrl-C left to it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ["nox>=2024.4", "uv>=0.4"]
# Sessions that are one aicontract command: (its arguments before the user's, its default arguments)
DIRECT = {"check": ([], ["all"]), "contracts": (["all"], [])}


def main() -> int:
    bin_dir = VENV / ("Scripts" if os.name == "nt" else "bin")
    stamp = VENV / ".tools"
    if not stamp.exists() or stamp.read_text() != " ".join(TOOLS):
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
        pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, *TOOLS], check=True)
        stamp.write_text(" ".join(TOOLS))
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    args = sys.argv[1:] or ["contracts"]
    session, rest = args[0], args[1:]
    command = [str(bin_dir / "nox"), "-f", str(ROOT / "noxfile.py"), "-s", session]
    given = rest[1:] if rest[:1] == ["--"] else rest
    if session in DIRECT:
        built = subprocess.call([*command, "--install-only"], cwd=ROOT, env=env)
        if built != 0:
            return built
        before, default = DIRECT[session]
        tool = ROOT / ".nox" / session / ("Scripts" if os.name == "nt" else "bin") / "aicontract"
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(ROOT / ".nox" / ".hypothesis")
        return _direct([str(tool), "check", *before, *(given or default)], env)
    if given:
        command += ["--", *given]
    return subprocess.call(command, cwd=ROOT, env=env)


def _direct(command: list[str], env: dict[str, str]) -> int:
    """Run `command` and return its exit status as it is; Ctrl-C is the command's to handle."""
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child gets it too, and reports
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main())
