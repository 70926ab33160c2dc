"""How many stateful scenarios a second the harness runs against a live stub (`nox -s bench`).

    python bench/scenario.py --api pygrid --probe model_lifecycle --url http://127.0.0.1:PORT --seconds 5

Runs the named probe again and again for `--seconds` (at most `--rounds` times) and prints one JSON
line: rounds, requests, seconds, rounds/s and requests/s, and the checks that failed (none expected).
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--api", required=True)
    p.add_argument("--probe", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--profile", default="documented")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--rounds", type=int, default=10_000)
    opts = p.parse_args()
    from aicontract.contracts import contract as contracts
    from aicontract.contracts.client import Client
    from aicontract.contracts.runner import run_probe, selected
    from aicontract.contracts.settings import Settings
    from aicontract.contracts.suite import RunState
    from aicontract.contracts.suites import REGISTRY

    settings = Settings(api=opts.api, profile=opts.profile)
    found = next(x for x in selected(settings) if x.name == opts.probe)
    contract = contracts.load(opts.api, opts.profile)
    state = RunState(REGISTRY.get(opts.api))  # the target survey, once, as in a run
    rounds = requests = 0
    failed: set[str] = set()
    with Client(opts.url, settings.bounds) as client:
        run_probe(found, client, contract, settings, state=state)  # warm: the target survey, imports
        started = time.perf_counter()
        while rounds < opts.rounds and time.perf_counter() - started < opts.seconds:
            results = run_probe(found, client, contract, settings, state=state)
            rounds += 1
            requests += next(iter(results.values())).requests
            failed |= {name for name, r in results.items() if r.status != "passed"}
        elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rounds": rounds,
                "requests": requests,
                "seconds": round(elapsed, 3),
                "rounds_per_s": round(rounds / elapsed, 1),
                "requests_per_s": round(requests / elapsed, 1),
                "failed": sorted(failed),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
