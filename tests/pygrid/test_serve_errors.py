"""The reference Grid Node refuses what it cannot take with one clear line or a JSON 4xx: a bad
`aicontract serve pygrid` setting is one line and exit 2; nasty JSON bodies are 4xx and store nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicontract.contracts.cli import main
from aicontract.stubs import pygrid
from tests.stubs.nasty import NASTY, send

DOCUMENTED_POSTS = ("/serve-model", "/delete-model", "/model/m1", "/search-encrypted-models", "/search")


def serve_fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["serve", "pygrid", *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("aicontract: ") and "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    "args",
    [
        ["--port", "99999"],
        ["--max-body", "0"],
        ["--max-model", "-1"],
        ["--fault", "no-such-fault"],
        ["--profile", "nosuch"],
        ["--dataset", ","],
        ["--encrypted-model", "smpc", "", "http://cp"],
    ],
)
def test_a_bad_node_option_is_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    serve_fails(capsys, *args)


def test_a_db_path_that_cannot_hold_the_store_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    serve_fails(capsys, "--db", str(tmp_path / "no" / "such" / "dir" / "models.db"))


@pytest.mark.parametrize("text", ["datasets: [\n", "- a list\n", "datasets: [{tags: 3}]\n"])
def test_a_bad_seed_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> None:
    (tmp_path / "seed.yaml").write_text(text)
    assert "seed" in serve_fails(capsys, "--seed", str(tmp_path / "seed.yaml"))


@pytest.mark.parametrize("nasty", sorted(NASTY))
def test_a_nasty_json_body_is_a_json_4xx_and_stores_nothing(nasty: str) -> None:
    app = pygrid.create_app()
    for path in DOCUMENTED_POSTS:
        r = send(app, "POST", path, NASTY[nasty], {"content-type": "application/json"})
        assert 400 <= r.status_code < 500, (path, r.status_code, r.content[:200])
        assert isinstance(json.loads(r.content), dict)
    listed = send(app, "GET", "/models", b"")
    assert json.loads(listed.content)["models"] == []


@pytest.mark.parametrize("on", [False, True])
def test_the_text_errors_switch_relabels_error_answers_only_when_on(on: bool) -> None:
    app = pygrid.create_app(faults={"text-errors"} if on else set())
    missing = send(app, "GET", "/get_model/no-such-model", b"")
    assert missing.status_code == 404 and "error" in json.loads(missing.content)
    wanted = "text/plain" if on else "application/json"
    assert missing.headers["content-type"].startswith(wanted)
    assert send(app, "GET", "/models", b"").headers["content-type"].startswith("application/json")
