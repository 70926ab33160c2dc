"""Go's own encoder beside ours: build tests/snet/goencoder offline and run it over many messages.

Debian's `golang-go` and `golang-google-protobuf-dev` are enough: the package puts the protobuf
module's source under /usr/share/gocode/src, so a GOPATH-mode build needs no network and no codegen
(the messages are dynamicpb ones, made from the FileDescriptorSet protoc wrote).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from google.protobuf.message import Message

SOURCE = Path(__file__).parent / "goencoder"
GOPATH = Path("/usr/share/gocode")
PROTOBUF = GOPATH / "src" / "google.golang.org" / "protobuf"
BUILD_TIMEOUT = 300.0
RUN_TIMEOUT = 120.0


def missing() -> str | None:
    """Why the Go encoder cannot be built here, or None."""
    if shutil.which("go") is None:
        return "no Go toolchain (apt-get install golang-go golang-google-protobuf-dev)"
    if not PROTOBUF.is_dir():
        return f"no Go protobuf module at {PROTOBUF} (apt-get install golang-google-protobuf-dev)"
    return None


def build(into: Path) -> Path:
    """Compile the encoder into `into` (Go's build cache stays in ~/.cache/aicontract/go-build)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aicontract" / "go-build"
    env = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(cache),
        "GOFLAGS": "",
        "CGO_ENABLED": "0",
    }
    binary = into / "goencoder"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=SOURCE, env=env, check=True, timeout=BUILD_TIMEOUT)
    return binary


def encode(
    binary: Path, descriptor_set: bytes, messages: Sequence[Message], body_credentials: Sequence[Any] = (), *, tmp: Path
) -> list[tuple[str, bytes]]:
    """Go's (kind, body) for each message: kind OK (re-encoded), RAW (protojson's own) or ERR (text)."""
    (tmp / "set.pb").write_bytes(descriptor_set)
    args = [str(binary), str(tmp / "set.pb")]
    if body_credentials:
        (tmp / "creds.json").write_text(json.dumps(list(body_credentials)))
        args.append(str(tmp / "creds.json"))
    lines = "".join(f"{m.DESCRIPTOR.full_name} {base64.b64encode(m.SerializeToString()).decode()}\n" for m in messages)
    done = subprocess.run(args, input=lines.encode(), capture_output=True, check=True, timeout=RUN_TIMEOUT)
    found: list[tuple[str, bytes]] = []
    for line in done.stdout.decode().splitlines():
        kind, _, payload = line.partition(" ")
        found.append((kind, payload.encode() if kind == "ERR" else base64.b64decode(payload)))
    if len(found) != len(messages):
        raise AssertionError(f"the Go encoder answered {len(found)} lines for {len(messages)} messages")
    return found


def library(binary: Path, calls: Sequence[tuple[str, Any]], *, descriptor_set: bytes, tmp: Path) -> list[str]:
    """Go's answers to the daemon's other library calls: ("#header", name), ("#query", [[k, v], ...]),
    ("#join", [base, rpc])."""
    (tmp / "set.pb").write_bytes(descriptor_set)
    lines = "".join(f"{cmd} {base64.b64encode(json.dumps(arg).encode()).decode()}\n" for cmd, arg in calls)
    done = subprocess.run(
        [str(binary), str(tmp / "set.pb")], input=lines.encode(), capture_output=True, check=True, timeout=RUN_TIMEOUT
    )
    answers = []
    for line in done.stdout.decode().splitlines():
        kind, _, payload = line.partition(" ")
        if kind != "OK":
            raise AssertionError(f"the Go encoder failed: {payload}")
        answers.append(base64.b64decode(payload).decode("utf-8", "surrogateescape"))
    if len(answers) != len(calls):
        raise AssertionError(f"the Go encoder answered {len(answers)} lines for {len(calls)} calls")
    return answers


def parse(binary: Path, descriptor_set: bytes, bodies: Sequence[tuple[str, str]], *, tmp: Path) -> list[str | None]:
    """Go protojson's verdict on each (message name, body): None when it reads it, else its error."""
    (tmp / "set.pb").write_bytes(descriptor_set)
    lines = "".join(f"#parse {base64.b64encode(json.dumps(list(b)).encode()).decode()}\n" for b in bodies)
    done = subprocess.run(
        [str(binary), str(tmp / "set.pb")], input=lines.encode(), capture_output=True, check=True, timeout=RUN_TIMEOUT
    )
    verdicts: list[str | None] = []
    for line in done.stdout.decode().splitlines():
        kind, _, payload = line.partition(" ")
        verdicts.append(None if kind == "OK" else payload)
    if len(verdicts) != len(bodies):
        raise AssertionError(f"the Go encoder answered {len(verdicts)} lines for {len(bodies)} bodies")
    return verdicts
