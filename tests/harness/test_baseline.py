"""A baseline of known violations: they stay visible in every report but only new ones gate; an
entry that no longer matches is stale, and fails the run under --strict-baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Skipped

from aicontract.contracts import baseline
from aicontract.contracts.cli import main
from tests.harness.reports import FAULT, STEM, check, json_report, served


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A baseline written from a failing run's report: `aicontract baseline write --from DIR FILE`."""
    folder = tmp_path_factory.mktemp("known")
    with served({FAULT}) as url:
        assert check(url, folder / "first") == 1
    assert main(["baseline", "write", "--from", str(folder / "first"), str(folder / "baseline.toml")]) == 0
    return folder / "baseline.toml"


def test_baseline_write_lists_each_violated_check_and_operation_with_a_reason(known: Path) -> None:
    entries = baseline.load(known).entries
    assert {e.check for e in entries} == {"error-answer-documented"}
    assert "POST /service_run" in {e.operation for e in entries}
    assert all(e.reason and e.api == "agentuniverse" and e.profile == "documented" for e in entries)


def test_known_violations_do_not_gate_but_stay_visible_in_every_report(
    known: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with served({FAULT}) as url:
        assert check(url, tmp_path, "--baseline", str(known)) == 0
    out = capsys.readouterr().out
    assert "KNOWN error-answer-documented" in out and "contract holds" in out and "known, baselined" in out
    data = json_report(tmp_path)
    found = next(c for c in data["checks"] if c["name"] == "error-answer-documented")
    assert found["status"] == "failed" and found["outcome"] == "baselined"
    assert found["violations"] and all(v["baselined"] for v in found["violations"])
    assert data["exit_code"] == 0 and data["baseline"]["stale"] == []
    suite = next(iter(JUnitXml.fromfile(str(tmp_path / f"{STEM}.junit.xml"))))
    assert suite.failures == 0
    known_cases = [c for c in suite if c.name.startswith("error-answer-documented [")]
    assert known_cases and all(isinstance(c.result[0], Skipped) for c in known_cases)
    assert all(c.result[0].message.startswith("baselined: ") for c in known_cases)
    html = (tmp_path / f"{STEM}.html").read_text()
    assert "KNOWN" in html and "known (baselined)" in html


def test_a_new_violation_still_gates_with_a_baseline(known: Path, tmp_path: Path) -> None:
    with served({FAULT, "wrong-result"}) as url:
        assert check(url, tmp_path, "--baseline", str(known)) == 1
    data = json_report(tmp_path)
    echo = next(c for c in data["checks"] if c["name"] == "echo-result")
    assert echo["outcome"] == "failed" and echo["violations"][0]["baselined"] is None
    suite = next(iter(JUnitXml.fromfile(str(tmp_path / f"{STEM}.junit.xml"))))
    failed = {c.name for c in suite if any(isinstance(r, Failure) for r in c.result)}
    assert "echo-result [POST /service_run]" in failed
    assert not any(name.startswith("error-answer-documented") for name in failed)


def test_an_entry_that_now_passes_is_reported_stale_and_fails_only_under_strict_baseline(
    known: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with served() as url:  # the bug is fixed
        assert check(url, tmp_path / "lenient", "--baseline", str(known)) == 0
        lenient = capsys.readouterr().out
        assert check(url, tmp_path / "strict", "--baseline", str(known), "--strict-baseline") == 1
        strict = capsys.readouterr().out
    assert "stale baseline entries, now passing:" in lenient and "error-answer-documented — POST" in lenient
    assert "fails the run: --strict-baseline" in strict
    stale = json_report(tmp_path / "strict")["baseline"]["stale"]
    assert {e["check"] for e in stale} == {"error-answer-documented"}
    assert "Stale baseline entries" in (tmp_path / "strict" / f"{STEM}.html").read_text()


def test_an_entry_without_an_operation_covers_every_operation_of_its_check(tmp_path: Path) -> None:
    file = tmp_path / "b.toml"
    file.write_text('version = 1\n[[known]]\ncheck = "error-answer-documented"\nreason = "errors are text for now"\n')
    with served({FAULT}) as url:
        assert check(url, tmp_path / "r", "--baseline", str(file)) == 0


@pytest.mark.parametrize(
    "text, says",
    [
        ("[[known]]\ncheck = 'x'\n", "`check` and `reason` are required"),
        ("[[known]]\ncheck = 'x'\nreason = 'r'\ncolour = 'red'\n", "unknown key(s) colour"),
        ("version = 2\n", "version 2"),
        ("[[known]\n", "is not TOML"),
    ],
)
def test_a_broken_baseline_is_a_usage_error_naming_the_problem(
    text: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "b.toml"
    file.write_text(text)
    assert main(["check", "agentuniverse", "--baseline", str(file)]) == 2
    assert says in capsys.readouterr().err


def test_strict_baseline_without_a_baseline_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "agentuniverse", "--strict-baseline"]) == 2
    assert "--strict-baseline needs --baseline FILE" in capsys.readouterr().err


def test_the_written_baseline_reads_back_whatever_its_text_holds(tmp_path: Path) -> None:
    odd = baseline.Entry('say "hi"\\ \t é', 'reason with "quotes"\nand a line', "POST /x", "a", "p")
    file = tmp_path / "b.toml"
    file.write_text(baseline.render([odd]))
    assert baseline.load(file).entries == (odd,)
    assert json.loads(json.dumps(odd.as_dict()))["check"] == odd.check
