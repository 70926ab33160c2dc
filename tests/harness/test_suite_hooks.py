"""A suite's run-time hooks: its contract from the run's settings, its options checked before any request,
repeatable options; and the engine forks no workers when no probe has parts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from aicontract.contracts import runner
from aicontract.contracts.client import Client
from aicontract.contracts.settings import Bounds, Settings
from aicontract.contracts.suite import Option

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--max-examples", "2", "--seed", "1", "--workers", "1", "--timeout", "3"]


def aicontract(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aicontract.contracts.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_suite_s_contract_is_made_from_the_run_s_settings() -> None:
    done = aicontract("check", "toyhooks", "--checks", "tests.toy.hooks", "--name", "Bo", "--tag", "a", *QUICK)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "contract made for name=Bo" in done.stdout
    assert "PASS  response-conformance" in done.stdout


def test_a_suite_s_bad_option_is_a_one_line_usage_error_before_any_request_even_with_a_base_url() -> None:
    # Port 9 refuses connections: had a request been sent, this would be "target unreachable".
    done = aicontract(
        "check", "toyhooks", "--checks", "tests.toy.hooks", "--base-url", "http://127.0.0.1:9", "--name", "bad"
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "aicontract: --name bad: not a name"


def test_a_repeatable_option_collects_every_value_and_is_none_when_never_given() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    option = Option("--tag", "tags", "a tag", repeatable=True)
    parser.add_argument(option.flag, **option.argument())
    assert parser.parse_args(["--tag", "a", "--tag", "b"]).tags == ["a", "b"]
    assert parser.parse_args([]).tags is None


def test_the_client_keeps_the_base_url_as_typed_beside_the_one_it_joins_paths_to() -> None:
    client = Client("http://127.0.0.1:1/api/", Bounds())
    assert (client.base_url, client.typed_url) == ("http://127.0.0.1:1/api", "http://127.0.0.1:1/api/")
    client.close()


# snet's probes have no parts (it takes no generated checks); agentuniverse's no-server-errors has one per operation.
@pytest.mark.parametrize(
    ("api", "check", "workers"), [("snet", "default-values-omitted", 1), ("agentuniverse", "no-server-errors", 2)]
)
def test_workers_are_forked_only_when_some_probe_has_generated_parts(
    api: str, check: str, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    real = runner._pool

    @contextmanager
    def pool(given: int, contract: Any) -> Iterator[Any]:
        asked.append(given)
        with real(1, contract) as found:  # run here all the same: this test is about what was asked
            yield found

    monkeypatch.setattr(runner, "_pool", pool)
    runner.run(Settings(api=api, workers=2, max_examples=1, seed=1, only=(check,)))
    assert asked == [workers]
