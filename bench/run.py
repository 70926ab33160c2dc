"""Benchmark the reference stubs and the harness, side by side in one run (`nox -s bench`).

    python bench/run.py [--quick] [--only load,startup,harness,scenario] [--seconds S] [--max-examples N]

1. load: requests/s and latency of each stub's data-plane requests under uvicorn (one worker),
   server pinned to CPU 0 and the load generator (bench/loadgen.py) to CPU 1, at concurrency 1
   and 16, next to a plain FastAPI app and a trivial asyncio server (the generator's ceiling).
2. startup: spawn a stub and time its first 200, five times, per way of starting it; plus
   `python -X importtime` of the serving path, to show where start-up goes.
3. harness: `aicontract check` against a live stub next to `schemathesis run` on the same
   document, the same --max-examples and the same stub; and a default `aicontract check` (embedded
   stub) end to end.
4. scenario: rounds per second of a stateful scenario (pygrid's model lifecycle: 19 requests a
   round) run by the harness against a live stub (bench/scenario.py).

Prints tables and writes everything to bench/results.json. Nothing here asserts on time: figures
move from run to run, compare the ratios of one run. Every measurement has a hard time limit and
every process it starts is killed (by process group) when it ends. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from targets import HELLO, TARGETS, Load, Target, Unavailable  # noqa: E402

HOST = "127.0.0.1"
SERVER_CPU, LOAD_CPU = 0, 1
BIN = Path(sys.executable).parent
SCRATCH = Path(tempfile.gettempdir()) / "aicontract-bench"  # stable: caches survive between runs
PYCACHE = SCRATCH / "pycache"


# --- processes: every child in its own process group, all killed at the end ----------------------

_LIVE: list[subprocess.Popen[Any]] = []


def spawn(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, **kw: Any) -> Any:
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, start_new_session=True, **kw)
    _LIVE.append(proc)
    return proc


def stop(proc: subprocess.Popen[Any], grace: float = 3.0) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    # The group too: a child that outlived its leader must not survive the bench.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(2.0)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    if proc in _LIVE:
        _LIVE.remove(proc)


def stop_all() -> None:
    for proc in list(_LIVE):
        stop(proc, grace=1.0)


@dataclass
class Done:
    rc: int | None  # None: killed at its time limit
    out: str
    err: str
    wall: float


def run_bounded(cmd: Sequence[str], limit: float, *, env: dict[str, str], cwd: Path | None = None) -> Done:
    started = time.perf_counter()
    proc = spawn(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=limit)
        rc: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        stop(proc)
        out, err, rc = "", f"killed after {limit:.0f} s", None
    finally:
        wall = time.perf_counter() - started
        stop(proc)
    return Done(rc, out, err, wall)


def pinned(cpu: int, cmd: list[str]) -> tuple[list[str], Any]:
    """`cmd` pinned to `cpu`: through taskset when installed, else sched_setaffinity before exec."""
    if cpu not in os.sched_getaffinity(0):
        return cmd, None
    if shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *cmd], None
    return cmd, lambda: os.sched_setaffinity(0, {cpu})


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


# --- HTTP: one raw request, for readiness and start-up ------------------------------------------


def raw_request(load: Load, port: int, timeout: float = 2.0) -> int | None:
    """Send `load` once; the status code, or None when nothing answers."""
    from loadgen import encode_request

    headers = dict(load.headers)
    if load.body and "content-type" not in {k.lower() for k in headers}:
        headers["Content-Type"] = "application/json"
    request = encode_request(load.method, load.path, load.body.encode(), headers, port)
    request = request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(request)
            got = b""
            while b"\r\n" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    return None
                got += chunk
            return int(got[9:12])
    except (OSError, ValueError):
        return None


def wait_ready(load: Load, port: int, proc: subprocess.Popen[Any], limit: float) -> float | None:
    """Seconds until `load` first gets a 200 (polling every 5 ms), or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if proc.poll() is not None:
            return None
        if raw_request(load, port, timeout=1.0) == 200:
            return time.perf_counter() - started
        time.sleep(0.005)
    return None


# --- environments ---------------------------------------------------------------------------------


def environments(mode: str) -> dict[str, dict[str, str]]:
    """`as-is`: the caller's environment (PYTHONDONTWRITEBYTECODE included, if set). `pycache`: byte
    code allowed and kept in a stable PYTHONPYCACHEPREFIX, primed before anything is timed."""
    base = dict(os.environ)
    hyp = base.get("HYPOTHESIS_STORAGE_DIRECTORY")
    base["HYPOTHESIS_STORAGE_DIRECTORY"] = str(Path(hyp).resolve()) if hyp else str(SCRATCH / "hypothesis")
    envs = {"as-is": base}
    if mode == "always" or (mode == "auto" and base.get("PYTHONDONTWRITEBYTECODE")):
        cached = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        envs["pycache"] = cached
    return envs


def aicontract_cmd() -> list[str]:
    script = BIN / "aicontract"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from aicontract.contracts.cli import main; sys.exit(main())"]


def schemathesis_cmd() -> list[str] | None:
    script = BIN / "schemathesis"
    if script.exists():
        return [str(script)]
    found = shutil.which("schemathesis")
    return [found] if found else None


def spec_path(api: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("aicontract.openapi") / f"{api}.yaml"))


@contextlib.contextmanager
def serving(cmd: list[str], ready: Load, port: int, env: dict[str, str], limit: float = 30.0) -> Iterator[Any]:
    """A server pinned to SERVER_CPU, up (first 200 to `ready`) for the duration of the block."""
    full, preexec = pinned(SERVER_CPU, cmd)
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(tempfile.TemporaryFile())
        proc = spawn(full, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec)
        stack.callback(stop, proc)
        if wait_ready(ready, port, proc, limit) is None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-600:]
            raise RuntimeError(f"not ready within {limit:.0f} s: {' '.join(cmd)}\n{tail}")
        yield proc


# --- 1. load ---------------------------------------------------------------------------------------


def drive(load: Load, port: int, concurrency: int, opts: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "loadgen.py"), "load", "--port", str(port), "--method", load.method]
    cmd += ["--path", load.path, "-c", str(concurrency), "--cpu", str(LOAD_CPU)]
    cmd += ["--requests", str(opts.requests), "--seconds", str(opts.seconds)]
    cmd += ["--warmup-seconds", str(opts.warmup), "--warmup-requests", str(opts.requests)]
    if load.body:
        cmd += ["--body", load.body]
    for k, v in load.headers.items():
        cmd += ["--header", f"{k}: {v}"]
    done = run_bounded(cmd, opts.warmup + opts.seconds + 30, env=env)
    if done.rc != 0:
        raise RuntimeError(f"loadgen failed ({done.rc}): {done.err.strip()[-400:]}")
    return dict(json.loads(done.out.strip().splitlines()[-1]))


def load_section(opts: argparse.Namespace, env: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    hello = Load("POST /service_run", "POST", "/service_run", HELLO)
    servers: list[tuple[str, str, Any, Load, tuple[Load, ...]]] = []
    servers.append(
        (
            "trivial asyncio server (generator ceiling)",
            "",
            lambda port: [sys.executable, str(HERE / "loadgen.py"), "static-server", "--port", str(port)],
            hello,
            (hello,),
        )
    )
    servers.append(
        (
            "plain FastAPI app (baseline)",
            "",
            lambda port: [
                *(sys.executable, "-m", "uvicorn", "baseline_app:app", "--app-dir", str(HERE), "--host", HOST),
                *("--port", str(port), "--log-level", "warning", "--no-access-log"),
            ],
            hello,
            (hello,),
        )
    )
    for target in TARGETS:
        try:
            extra, values = target.fill(aicontract_cmd())
        except Unavailable as exc:
            rows.append({"server": f"{target.api} stub", "skipped": str(exc)})
            continue
        except Exception as exc:
            rows.append({"server": f"{target.api} stub", "skipped": f"{type(exc).__name__}: {exc}"})
            continue
        for profile in target.profiles if opts.upstream else target.profiles[:1]:
            servers.append(
                (
                    f"{target.api} stub",
                    profile,
                    lambda port, t=target, p=profile, x=extra: [
                        *(*aicontract_cmd(), "serve", t.api, "--port", str(port), "--profile", p, *x)
                    ],
                    target.ready.filled(values),
                    tuple(ld.filled(values) for ld in target.loads),
                )
            )
    for name, profile, make, ready, loads in servers:
        port = free_port()
        try:
            with serving(make(port), ready, port, env) as proc:
                rss_before = rss_mib(proc.pid)
                for load in loads:
                    for c in load.concurrency:
                        row = {"server": name, "profile": profile, "request": load.label}
                        try:
                            row |= drive(load, port, c, opts, env)
                        except Exception as exc:
                            row |= {"concurrency": c, "error": str(exc)}
                        rows.append(row)
                        print(f"  load: {name} {profile} {load.label} c{c}: {row.get('rps', row.get('error'))}")
                rss_after = rss_mib(proc.pid)
                for row in rows:
                    if row.get("server") == name and row.get("profile") == profile:
                        row["rss_mib_before"], row["rss_mib_after"] = rss_before, rss_after
        except Exception as exc:
            rows.append({"server": name, "profile": profile, "skipped": str(exc).splitlines()[0]})
    return rows


# --- 2. startup -----------------------------------------------------------------------------------


def startup_variants(port: int) -> list[tuple[str, list[str]]]:
    tail = ["--port", str(port)]
    uvicorn_tail = ["--host", HOST, *tail, "--log-level", "warning", "--lifespan", "off"]
    return [
        ("aicontract serve agentuniverse", [*aicontract_cmd(), "serve", "agentuniverse", *tail]),
        (
            "python -m aicontract.contracts.cli serve agentuniverse",
            [sys.executable, "-m", "aicontract.contracts.cli", "serve", "agentuniverse", *tail],
        ),
        (
            "python -m uvicorn --factory aicontract.stubs.agentuniverse:create_app",
            [sys.executable, "-m", "uvicorn", "--factory", "aicontract.stubs.agentuniverse:create_app", *uvicorn_tail],
        ),
    ]


def startup_once(cmd: list[str], port: int, env: dict[str, str], limit: float) -> float | None:
    ready = Load("POST /service_run", "POST", "/service_run", HELLO)
    proc = spawn(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return wait_ready(ready, port, proc, limit)
    finally:
        stop(proc)


def startup_section(opts: argparse.Namespace, envs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = []
    for env_name, env in envs.items():
        for index in range(len(startup_variants(0))):
            label = startup_variants(0)[index][0]
            if env_name != "as-is":  # prime the byte-code cache, untimed
                port = free_port()
                startup_once(startup_variants(port)[index][1], port, env, 30.0)
            times = []
            for _ in range(opts.startup_reps):
                port = free_port()
                t = startup_once(startup_variants(port)[index][1], port, env, 20.0)
                if t is not None:
                    times.append(t)
            row: dict[str, Any] = {"command": label, "env": env_name, "runs": len(times), "of": opts.startup_reps}
            if times:
                row |= {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3)}
                row["all_s"] = [round(t, 3) for t in times]
            rows.append(row)
            print(f"  startup: {label} [{env_name}]: {row.get('median_s')}")
    return rows


def importtime_section(env: dict[str, str]) -> dict[str, Any]:
    """Where the serving path's start-up goes: `python -X importtime`, parsed into a tree."""
    port = free_port()
    cmd = [sys.executable, "-X", "importtime", "-m", "aicontract.contracts.cli", "serve", "agentuniverse"]
    cmd += ["--port", str(port)]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errfile:
        proc = spawn(cmd, env=env, stdout=subprocess.DEVNULL, stderr=errfile)
        try:
            ready = wait_ready(Load("", "POST", "/service_run", HELLO), port, proc, 30.0)
        finally:
            stop(proc)
        errfile.seek(0)
        text = errfile.read().decode(errors="replace")
    entries = []  # (depth, name, self_ms, cumulative_ms)
    for line in text.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            entries.append((depth, m.group(4), int(m.group(1)) / 1e3, int(m.group(2)) / 1e3))
    # Children precede their parent in -X importtime output; attach each run of deeper entries.
    tree: list[dict[str, Any]] = []
    pending: dict[int, list[dict[str, Any]]] = {}
    for depth, name, self_ms, cum_ms in entries:
        node = {"name": name, "self_ms": round(self_ms, 1), "cum_ms": round(cum_ms, 1)}
        node["children"] = sorted(pending.pop(depth + 1, []), key=lambda n: -n["cum_ms"])
        pending.setdefault(depth, []).append(node)
        if depth == 0:
            tree.append(node)
    total = sum(n["cum_ms"] for n in tree)
    top_self = sorted(entries, key=lambda e: -e[2])[:8]
    return {
        "ready_s_under_importtime": None if ready is None else round(ready, 3),
        "total_import_ms": round(total, 1),
        "top_level": sorted(tree, key=lambda n: -n["cum_ms"]),
        "top_self": [{"name": e[1], "self_ms": round(e[2], 1)} for e in top_self],
        "wall_s": round(time.perf_counter() - started, 3),
    }


# --- 3. harness -------------------------------------------------------------------------------------


AIC_LIVE = "aicontract check --base-url"
AIC_LIVE_1 = "aicontract check --base-url --workers 1"
ST_ALL = "schemathesis run (all phases)"
ST_ALL_2 = "schemathesis run (all phases) --workers 2"


def parse_aicontract(out: str) -> dict[str, Any]:
    m = re.search(r"^(contract \w+.*?(\d+) requests in ([\d.]+) s)\s*$", out, re.M)
    if not m:
        return {}
    return {"summary": m.group(1), "cases": int(m.group(2)), "tool_s": float(m.group(3))}


def parse_schemathesis(out: str) -> dict[str, Any]:
    got: dict[str, Any] = {}
    m = re.search(r"Test cases:\s*\n\s*(\d+) generated(.*)", out)
    if m:
        got["cases"] = int(m.group(1))
        got["summary"] = f"{m.group(1)} generated{m.group(2)}".strip()
    m = re.search(r"=+ (.*) in ([\d.]+)s =+\s*$", out, re.M)
    if m:
        got["tool_s"] = float(m.group(2))
        got["outcome"] = m.group(1)
    phases = re.findall(r"^\s*(?:✅|❌|⏭)\s+(Examples|Coverage|Fuzzing|Stateful)\b(.*)$", out, re.M)
    if phases:
        got["phases"] = {name: rest.strip() for name, rest in phases}
    got["failures"] = sorted(set(re.findall(r"- (ST\d+ [^\n]+)", out)))
    return got


def harness_section(opts: argparse.Namespace, envs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for target in TARGETS:
        try:
            serve_args, values = target.fill(aicontract_cmd())
        except Unavailable as exc:
            rows.append({"api": target.api, "command": f"{target.api}: harness", "skipped": str(exc)})
            continue
        rows += harness_rows(opts, envs, target, serve_args, values)
    return rows


def harness_rows(
    opts: argparse.Namespace,
    envs: dict[str, dict[str, str]],
    target: Target,
    serve_args: list[str],
    values: dict[str, str],
) -> list[dict[str, Any]]:
    """aicontract and schemathesis on the same spec against one served stub of `target.api`."""
    api = target.api
    rows: list[dict[str, Any]] = []
    n = str(opts.max_examples)
    seed = ["--seed", "1"]
    st = schemathesis_cmd()
    spec = spec_path(api)
    port = free_port()
    # A function service is checked at its invoke URL, with its key (covalent).
    url = f"http://{HOST}:{port}" + (f"/{values['function_id']}" if "function_id" in values else "")
    key = values.get("api_key")
    work = Path(tempfile.mkdtemp(prefix="run-", dir=SCRATCH))  # cwd: .hypothesis etc. land here
    stub = [*aicontract_cmd(), "serve", api, "--port", str(port), *serve_args]
    key_args = ["--api-key", key] if key else []
    check = [*aicontract_cmd(), "check", api, "--base-url", url, *key_args, "--max-examples", n, "-q", *seed]
    commands: list[tuple[str, str, list[str]]] = [(AIC_LIVE, "aicontract", check)]
    # Like for like: schemathesis runs one worker unless told; aicontract may default to more.
    helptext = run_bounded([*aicontract_cmd(), "check", api, "--help"], 60, env=envs["as-is"]).out
    if "--workers" in helptext:
        commands.append((AIC_LIVE_1, "aicontract", [*check, "--workers", "1"]))
    if st:
        st_base = [*st, "run", str(spec), "--url", url, "--max-examples", n, *seed]
        st_base += ["-H", f"x-api-key: {key}"] if key else []
        commands.append((ST_ALL, "schemathesis", st_base))
        commands.append((ST_ALL_2, "schemathesis", [*st_base, "--workers", "2"]))
        commands.append(("schemathesis run --phases fuzzing", "schemathesis", [*st_base, "--phases", "fuzzing"]))
    else:
        rows.append({"api": api, "command": f"{api}: schemathesis run", "skipped": "schemathesis is not installed"})
    embedded = [*aicontract_cmd(), "check", api]
    commands.append(("aicontract check (embedded stub, defaults)", "aicontract", embedded))
    try:
        with serving(stub, target.ready.filled(values), port, envs["as-is"]):
            for env_name, env in envs.items():
                env = dict(env, NO_COLOR="1", COLUMNS="100")
                for label, tool, cmd in commands:
                    # One untimed run first: byte-code (pycache env) and Hypothesis caches, warm.
                    prime = [a if a != n else "5" for a in cmd] if "--max-examples" in cmd else cmd
                    run_bounded(prime, opts.harness_timeout, env=env, cwd=work)
                    walls, last = [], None
                    for _ in range(opts.harness_reps):
                        last = run_bounded(cmd, opts.harness_timeout, env=env, cwd=work)
                        walls.append(last.wall)
                    assert last is not None
                    parsed = parse_aicontract(last.out) if tool == "aicontract" else parse_schemathesis(last.out)
                    wall = statistics.median(walls)
                    row: dict[str, Any] = {"api": api, "label": label, "command": f"{api}: {label}", "env": env_name}
                    row |= {"exit": last.rc, "wall_s": round(wall, 3), "walls_s": [round(w, 3) for w in walls]}
                    row |= parsed
                    if parsed.get("cases"):
                        row["cases_per_s_wall"] = round(parsed["cases"] / wall, 1)
                        if parsed.get("tool_s"):
                            row["cases_per_s_tool"] = round(parsed["cases"] / parsed["tool_s"], 1)
                    if last.rc is None or not parsed:
                        row["stderr_tail"] = (last.err or last.out)[-400:]
                    row["argv"] = " ".join(cmd[1:]) if cmd[0].endswith(tool) else " ".join(cmd)
                    rows.append(row)
                    print(f"  harness: {row['command']} [{env_name}]: {row['wall_s']} s, {row.get('cases')} cases")
    except Exception as exc:
        rows.append({"api": api, "command": f"{api}: harness", "skipped": str(exc).splitlines()[0]})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


# --- 4. stateful scenarios ------------------------------------------------------------------------

SCENARIOS = (("pygrid", "model_lifecycle"),)  # (API, probe): a probe that follows a resource's life


def scenario_section(opts: argparse.Namespace, env: dict[str, str]) -> list[dict[str, Any]]:
    """Rounds per second of each stateful scenario against a served stub (bench/scenario.py)."""
    rows: list[dict[str, Any]] = []
    for api, probe in SCENARIOS:
        target = next((t for t in TARGETS if t.api == api), None)
        if target is None:
            continue
        try:
            serve_args, values = target.fill(aicontract_cmd())
        except Unavailable as exc:
            rows.append({"api": api, "scenario": probe, "skipped": str(exc)})
            continue
        port = free_port()
        stub = [*aicontract_cmd(), "serve", api, "--port", str(port), *serve_args]
        cmd = [sys.executable, str(HERE / "scenario.py"), "--api", api, "--probe", probe]
        cmd += ["--url", f"http://{HOST}:{port}", "--seconds", str(opts.seconds)]
        try:
            with serving(stub, target.ready.filled(values), port, env):
                done = run_bounded(cmd, opts.seconds + 120, env=env)
            row = {"api": api, "scenario": probe} | json.loads(done.out.strip().splitlines()[-1])
        except Exception as exc:
            row = {"api": api, "scenario": probe, "skipped": str(exc).splitlines()[0]}
        rows.append(row)
        print(f"  scenario: {api} {probe}: {row.get('rounds_per_s', row.get('skipped'))} rounds/s")
    return rows


# --- report -----------------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[Any]]) -> str:
    n = len(headers)
    padded = [[*r, *[""] * (n - len(r))] for r in rows]
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in padded]
    notes = [(i + 1, r[-1]) for i, r in enumerate(cells[1:]) if len(r) > n]  # over-long: a note
    cells = [r[:n] for r in cells]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    lines = [fmt(cells[0]), fmt(["-" * w for w in widths])]
    for i, r in enumerate(cells[1:], 1):
        lines.append(fmt(r).rstrip())
        lines += [f"    {note}" for j, note in notes if j == i]
    return "\n".join(lines)


def render(results: dict[str, Any]) -> str:
    out: list[str] = []
    meta = results["meta"]
    out.append(
        f"aicontract bench · Python {meta['python']} · {meta['cpus']} CPUs · uvloop {meta['uvloop']} · "
        f"httptools {meta['httptools']} · {meta['when']}"
    )
    if "load" in results:
        out.append("\n1. Throughput and latency (server pinned to CPU 0, one uvicorn worker; load from CPU 1)")
        rows = []
        for r in results["load"]:
            if "skipped" in r:
                rows.append([r["server"], r.get("profile", ""), *[""] * 9, f"skipped: {r['skipped']}"])
                continue
            if "error" in r:
                rows.append([r["server"], r["profile"], r["request"], f"c{r['concurrency']}", *[""] * 7, r["error"]])
                continue
            bad = r["requests"] - r["ok_200"] + sum(r["errors"].values())
            rows.append(
                [
                    r["server"], r["profile"], r["request"], f"c{r['concurrency']}", f"{r['rps']:.0f}",
                    f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}", r["requests"], bad, r["connections"],
                    f"{r['rss_mib_before']}→{r['rss_mib_after']}",
                ]
            )  # fmt: skip
        heads = ["server", "profile", "request", "conc", "req/s", "p50 ms", "p99 ms", "requests", "non-200", "conns"]
        out.append(table([*heads, "RSS MiB"], rows))
        grown: dict[tuple[str, str], list[Any]] = {}
        for r in results["load"]:
            if r.get("rss_mib_after") and r.get("rss_mib_before") and "requests" in r:
                key = (r["server"], r["profile"])
                grown.setdefault(key, [r["rss_mib_after"] - r["rss_mib_before"], 0])[1] += r["requests"]
        for (server, profile), (mib, count) in grown.items():
            if mib >= 2:
                per = mib * 2**20 / count
                what = f"RSS grew {mib:.1f} MiB over {count} measured requests (+ warm-up), ≈{per:.0f} B per request"
                out.append(f"   {server} {profile}: {what}")
    if "startup" in results:
        out.append("\n2. Start-up: spawn to first 200 from POST /service_run (goal < 0.5 s)")
        rows = [
            [r["command"], r["env"], r.get("median_s", "failed"), r.get("min_s", ""), f"{r['runs']}/{r['of']}"]
            for r in results["startup"]
        ]
        out.append(table(["command", "env", "median s", "min s", "runs"], rows))
        imp = results.get("importtime")
        if imp:
            out.append(
                f"\n   -X importtime of `python -m aicontract.contracts.cli serve agentuniverse` (as-is env): "
                f"{imp['total_import_ms']:.0f} ms of imports; top-level imports ≥ 5 ms, with children ≥ 10 ms:"
            )
            for node in imp["top_level"]:
                if node["cum_ms"] < 5:
                    continue
                out.append(f"   {node['cum_ms']:7.1f} ms  {node['name']}")
                for child in node["children"]:
                    if child["cum_ms"] >= 10:
                        out.append(f"   {child['cum_ms']:7.1f} ms    └ {child['name']}")
                        for grand in child["children"]:
                            if grand["cum_ms"] >= 10:
                                out.append(f"   {grand['cum_ms']:7.1f} ms        └ {grand['name']}")
            hot = ", ".join(f"{e['name']} {e['self_ms']:.0f}" for e in imp["top_self"][:5])
            out.append(f"   largest self times (ms): {hot}")
    if "harness" in results:
        out.append("\n3. Harness vs schemathesis against one live stub per API (same spec, --max-examples, seed 1)")
        rows = []
        for r in results["harness"]:
            if "skipped" in r:
                rows.append([r["command"], *[""] * 7, f"skipped: {r['skipped']}"])
                continue
            rows.append(
                [
                    r["command"], r["env"], r["exit"], f"{r['wall_s']:.2f}", r.get("cases", "?"),
                    r.get("cases_per_s_wall", ""), r.get("tool_s", ""), r.get("cases_per_s_tool", ""),
                ]
            )  # fmt: skip
        heads = ["command", "env", "exit", "wall s", "cases", "cases/s wall", "own s", "cases/s own"]
        out.append(table(heads, rows))
        for r in results["harness"]:
            if r.get("failures"):
                out.append(f"   {r['command']} [{r['env']}] reported: {'; '.join(r['failures'])}")
        for env_name, ratio in results.get("ratios", {}).items():
            out.append(f"   aicontract / schemathesis (all phases) [{env_name}]: {ratio}")
    if "scenario" in results:
        out.append("\n4. Stateful scenarios against a live stub, one after another")
        rows = [
            [r["api"], r["scenario"], f"skipped: {r['skipped']}", "", "", ""]
            if "skipped" in r
            else [r["api"], r["scenario"], r["rounds"], r["rounds_per_s"], r["requests_per_s"], ",".join(r["failed"])]
            for r in results["scenario"]
        ]
        out.append(table(["api", "scenario", "rounds", "rounds/s", "requests/s", "failed checks"], rows))
    return "\n".join(out)


def ratios(rows: list[dict[str, Any]]) -> dict[str, str]:
    """aicontract / schemathesis per API, each at its defaults, and each with one worker."""
    got = {}
    for api, env_name in dict.fromkeys((r.get("api"), r["env"]) for r in rows if r.get("env")):
        by = {r["label"]: r for r in rows if r.get("env") == env_name and r.get("api") == api}
        for what, mine, theirs in (("defaults", AIC_LIVE, ST_ALL), ("1 worker each", AIC_LIVE_1, ST_ALL)):
            a, s = by.get(mine), by.get(theirs)
            if a and s and a.get("cases") and s.get("cases"):
                got[f"{api}, {env_name}, {what}"] = (
                    f"wall {a['wall_s'] / s['wall_s']:.2f}×, cases {a['cases'] / s['cases']:.2f}×, "
                    f"cases/s {a['cases_per_s_wall'] / s['cases_per_s_wall']:.2f}×"
                )
    return got


def meta() -> dict[str, Any]:
    def version(mod: str) -> str:
        if importlib.util.find_spec(mod) is None:
            return "absent"
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(mod)
        except PackageNotFoundError:
            return "present"

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "executable": sys.executable,
        "cpus": len(os.sched_getaffinity(0)),
        "taskset": bool(shutil.which("taskset")),
        "uvloop": version("uvloop"),
        "httptools": version("httptools"),
        "uvicorn": version("uvicorn"),
        "fastapi": version("fastapi"),
        "schemathesis": version("schemathesis"),
        "commit": commit.stdout.strip() or None,
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default="load,startup,harness,scenario", help="comma-separated sections")
    p.add_argument("--seconds", type=float, default=5.0, help="measured seconds per load point")
    p.add_argument("--requests", type=int, default=100_000, help="request cap per load point (and warm-up)")
    p.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per load point")
    p.add_argument("--no-upstream", dest="upstream", action="store_false", help="skip upstream-profile load")
    p.add_argument("--startup-reps", type=int, default=5)
    p.add_argument("--max-examples", type=int, default=50)
    p.add_argument("--harness-reps", type=int, default=3, help="timed runs per harness command (median)")
    p.add_argument("--harness-timeout", type=float, default=300.0)
    p.add_argument(
        "--pycache",
        choices=("auto", "always", "never"),
        default="auto",
        help="also measure with a stable PYTHONPYCACHEPREFIX (auto: when PYTHONDONTWRITEBYTECODE is set)",
    )
    p.add_argument("--quick", action="store_true", help="shorter: 2 s per load point, 3 start-ups, 1 harness run")
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    p.add_argument("--render", type=Path, metavar="JSON", help="only print the tables of an earlier run")
    opts = p.parse_args(argv)
    if opts.render:
        print(render(json.loads(opts.render.read_text())))
        return 0
    if opts.quick:
        opts.seconds, opts.warmup, opts.startup_reps, opts.harness_reps = 2.0, 0.5, 3, 1
    sections = {s.strip() for s in opts.only.split(",") if s.strip()}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    envs = environments("never" if opts.pycache == "never" else opts.pycache)

    def on_signal(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    keys = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    results: dict[str, Any] = {"meta": meta(), "envs": {k: {n: v.get(n) for n in keys} for k, v in envs.items()}}
    started = time.perf_counter()
    try:
        if "load" in sections:
            results["load"] = load_section(opts, envs["as-is"])
        if "startup" in sections:
            results["startup"] = startup_section(opts, envs)
            try:
                results["importtime"] = importtime_section(envs["as-is"])
            except Exception as exc:
                results["importtime"] = {"error": str(exc)}
        if "harness" in sections:
            results["harness"] = harness_section(opts, envs)
            results["ratios"] = ratios(results["harness"])
        if "scenario" in sections:
            results["scenario"] = scenario_section(opts, envs["as-is"])
    finally:
        stop_all()
        results["meta"]["bench_s"] = round(time.perf_counter() - started, 1)
        opts.json.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(render(results))
    print(f"\n(bench took {results['meta']['bench_s']} s; JSON in {opts.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
