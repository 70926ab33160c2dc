"""Benchmark the snet pieces (`python bench/snet.py [--quick]`, also run by `nox -s bench`).

1. compile: protoc + indexing + the OpenAPI document for a generated .proto with hundreds of
   messages and rpcs (nested messages, enums, maps, 64-bit fields).
2. stub: requests/s of the snet stub's POST /calculate (uvicorn, one worker, in a subprocess) from
   a few client threads with keep-alive connections.
3. harness: `aicontract check snet --base-url` against that stub beside `schemathesis run` on the
   generated document (openapi/snet.yaml), the same --max-examples, cases per second each.

Prints a table and writes bench/snet-results.json. Nothing asserts on time; every process started
is stopped, every wait is bounded, only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KEY = "546bd7d4-d3e1-46ba-b752-bc45e4dc5b39"
BODY = b'{"example_body_param":12345,"number":"18446744073709551614","operation":"add","second_number":"1"}'


def generated_proto(messages: int, rpcs: int) -> str:
    lines = ['syntax = "proto3";', "package bench.big;", "enum Kind { KIND_UNSPECIFIED = 0; A = 1; B = 2; }"]
    for i in range(messages):
        ref = f"  M{i - 1} previous = 9;" if i else ""
        lines.append(
            f"message M{i} {{ uint64 id = 1; string name = 2; repeated int64 values = 3;"
            f" map<string, M{i}.Inner> by = 4; Kind kind = 5; double ratio = 6; bytes blob = 7;"
            f" message Inner {{ sint32 x = 1; fixed64 y = 2; }}"
            f" oneof pick {{ string s = 8; }}\n{ref} }}"
        )
    lines.append("service Big {")
    lines += [f"  rpc call{i}(M{i % messages}) returns (M{(i * 7) % messages});" for i in range(rpcs)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def compile_section(quick: bool) -> dict[str, Any]:
    from aicontract.contracts.snetd.document import document, dump
    from aicontract.contracts.snetd.protos import _compile, compile_protos

    messages, rpcs = (200, 100) if quick else (600, 300)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.proto"
        path.write_text(generated_proto(messages, rpcs))
        _compile.cache_clear()
        started = time.perf_counter()
        catalog = compile_protos([path])
        compiled = time.perf_counter() - started
        started = time.perf_counter()
        text = dump(document(catalog))
        documented = time.perf_counter() - started
    return {
        "messages": messages,
        "rpcs": rpcs,
        "proto_bytes": path.stat().st_size if path.exists() else None,
        "compile_s": round(compiled, 3),
        "document_s": round(documented, 3),
        "document_bytes": len(text),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(credentials: Path | None = None) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "aicontract.contracts.cli", "serve", "snet", "--port", str(port)]
    if credentials is not None:
        cmd += ["--credentials", str(credentials)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/heartbeat", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def stub_section(seconds: float, threads: int) -> dict[str, Any]:
    counts = [0] * threads
    errors = [0] * threads
    with served() as url:
        stop = time.monotonic() + seconds

        def worker(i: int) -> None:
            headers = {"X-Api-Key": KEY, "Content-Type": "application/json", "User-Agent": "Go-http-client/1.1"}
            with httpx.Client(base_url=url, timeout=5, trust_env=False) as client:
                while time.monotonic() < stop:
                    r = client.post("/calculate", content=BODY, headers=headers)
                    counts[i] += 1
                    errors[i] += r.status_code != 200

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=seconds + 10)
        elapsed = time.perf_counter() - started
    total = sum(counts)
    return {"threads": threads, "requests": total, "errors": sum(errors), "rps": round(total / elapsed, 1)}


def harness_section(max_examples: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        none = Path(tmp) / "none.json"
        none.write_text("[]")  # schemathesis cannot add the daemon's body credentials: none for both
        with served(none) as url:
            aic = [sys.executable, "-m", "aicontract.contracts.cli", "check", "snet", "--base-url", url]
            aic += ["--credentials", str(none), "--max-examples", str(max_examples), "--seed", "1", "--workers", "1"]
            rows.append(_timed("aicontract check snet", aic, _aicontract, Path(tmp)))
            st = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
            if Path(st).exists():
                cmd = [st, "run", str(ROOT / "openapi" / "snet.yaml"), "--url", url]
                # Positive cases: the negative ones flag the leniency a service behind the daemon needs.
                cmd += ["--max-examples", str(max_examples), "--seed", "1", "--phases", "fuzzing", "--mode", "positive"]
                rows.append(_timed("schemathesis run (fuzzing, positive)", cmd, _schemathesis, Path(tmp)))
            else:
                rows.append({"command": "schemathesis run", "skipped": "schemathesis is not installed"})
    return rows


def _aicontract(out: str) -> tuple[int | None, float | None]:
    m = re.search(r"(\d+) requests in ([\d.]+) s", out)
    return (int(m.group(1)), float(m.group(2))) if m else (None, None)


def _schemathesis(out: str) -> tuple[int | None, float | None]:
    cases = re.search(r"Test cases:\s*\n\s*(\d+) generated", out)
    took = re.search(r"=+ .* in ([\d.]+)s =+\s*$", out, re.M)
    return (int(cases.group(1)) if cases else None, float(took.group(1)) if took else None)


def _timed(name: str, cmd: list[str], cases_of: Any, cwd: Path) -> dict[str, Any]:
    env = {**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(Path(tempfile.gettempdir()) / "aicontract-bench-hyp")}
    started = time.perf_counter()
    # In a scratch folder: schemathesis leaves a .schemathesis/ cache where it runs.
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, check=False, cwd=cwd)
    elapsed = time.perf_counter() - started
    cases, tool_s = cases_of(done.stdout)
    return {
        "command": name,
        "exit": done.returncode,
        "wall_s": round(elapsed, 2),
        "tool_s": tool_s,  # the run as the tool reports it, without interpreter start-up
        "cases": cases,
        "cases_per_s": round(cases / tool_s, 1) if cases and tool_s else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller proto, shorter load")
    opts = parser.parse_args()
    results = {
        "compile": compile_section(opts.quick),
        "stub": stub_section(2.0 if opts.quick else 5.0, 4),
        "harness": harness_section(10 if opts.quick else 50),
    }
    c = results["compile"]
    print(
        f"1. compile: {c['messages']} messages, {c['rpcs']} rpcs: protoc+index {c['compile_s']} s, "
        f"document {c['document_s']} s ({c['document_bytes']} bytes)"
    )
    s = results["stub"]
    print(f"2. stub: POST /calculate, {s['threads']} client threads: {s['rps']} req/s ({s['errors']} non-200)")
    print("3. harness against the served stub:")
    for row in results["harness"]:
        print(
            f"   {row['command']:<36} "
            + (
                row.get("skipped")
                or f"{row['cases']} cases in {row['wall_s']} s = {row['cases_per_s']} cases/s (exit {row['exit']})"
            )
        )
    (HERE / "snet-results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
