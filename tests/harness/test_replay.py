"""`aicontract replay REPORT.json [ID]` re-sends a reported request and judges the answer again."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicontract.contracts.cli import main
from aicontract.contracts.replay import rebased
from tests.harness.reports import FAULT, STEM, check, json_report, served


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("replay")
    with served({FAULT, "wrong-result"}) as url:
        assert check(url, directory) == 1
    return directory / f"{STEM}.json"


def _id(report: Path, name: str) -> str:
    found = next(c for c in json_report(report.parent)["checks"] if c["name"] == name)
    return str(found["violations"][0]["id"])


def test_a_violation_replayed_against_the_unfixed_server_still_fails(
    failing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vid = _id(failing, "error-answer-documented")
    with served({FAULT}) as url:
        assert main(["replay", str(failing), vid, "--base-url", url]) == 1
    out = capsys.readouterr().out
    assert f"{vid} [error-answer-documented]" in out and "still fails" in out
    assert "contract:    expected Content-Type application/json, got Content-Type text/plain" in out


def test_a_violation_replayed_against_the_fixed_server_is_fixed_and_the_answer_conforms(
    failing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vid = _id(failing, "error-answer-documented")
    with served() as url:
        assert main(["replay", str(failing), vid, "--base-url", url]) == 0
    out = capsys.readouterr().out
    assert ": fixed" in out and "holds for this request" in out and "the answer conforms to the contract" in out


def test_a_check_of_a_sequence_is_replayed_by_comparing_the_answer(
    failing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vid = _id(failing, "echo-result")
    with served({"wrong-result"}) as url:
        assert main(["replay", str(failing), vid, "--base-url", url]) == 1
    assert "answered as when it failed" in capsys.readouterr().out


def test_without_ids_every_violation_is_replayed(failing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = sum(len(c["violations"]) for c in json_report(failing.parent)["checks"])
    with served() as url:
        main(["replay", str(failing), "--base-url", url])
    assert f"replayed {count}:" in capsys.readouterr().out


def test_an_unknown_violation_id_is_a_usage_error(failing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(failing), "v-0000000000"]) == 2
    assert "no violation v-0000000000 in the report" in capsys.readouterr().err


def test_a_request_is_rebased_onto_another_server_keeping_its_path_and_query() -> None:
    old = "http://127.0.0.1:1234"
    assert rebased(f"{old}/run?x=1", old, "http://h:9/api/") == "http://h:9/api/run?x=1"
    assert rebased("http://a:1/p/run", "embedded reference stub", "https://b") == "https://b/p/run"
    assert rebased("http://a:1/run", old, None) == "http://a:1/run"
