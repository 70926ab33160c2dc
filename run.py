#!/usr/bin/env python3
"""Bootstrap: `python3 run.py SESSION [-- ARGS]` runs a nox session on a bare Python 3.11.

It makes `.venv/` with nox (and uv, which nox then uses to build each session's environment)
the first time, and reuses it after. Nothing else needs to be installed by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ["nox>=2024.4", "uv>=0.4"]


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
    if rest:
        command += ["--", *(rest[1:] if rest[0] == "--" else rest)]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
