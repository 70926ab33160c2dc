"""`aicontract serve` refuses a configuration it cannot serve with one line and exit 2, before it listens."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicontract.contracts.cli import main


def serve_fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["serve", *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("aicontract: ") and "\n" not in err and "Traceback" not in err
    return err


def test_a_db_path_that_cannot_hold_the_store_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = serve_fails(capsys, "agentuniverse", "--db", str(tmp_path / "no" / "such" / "dir" / "tasks.db"))
    assert "--db" in err


def test_a_db_file_that_is_not_sqlite_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "tasks.db").write_bytes(b"not a database at all" * 100)
    assert "--db" in serve_fails(capsys, "agentuniverse", "--db", str(tmp_path / "tasks.db"))


@pytest.mark.parametrize(
    "text",
    [
        "metadata: {type: AGENT\n",  # not yaml
        "- a list\n",  # not a mapping
        "info: {name: a}\nprofile: {template: 'x {other}'}\nmetadata: {type: AGENT, class: EchoAgent}\n",
        "info: {name: a}\nprofile: {delay: soon}\nmetadata: {type: AGENT, class: EchoAgent}\n",
        "info: {name: a}\nmetadata: {type: AGENT, class: NoSuchAgent}\n",
        "name: s\nagent: nobody\nmetadata: {type: SERVICE}\n",
    ],
)
def test_a_bad_services_yaml_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> None:
    (tmp_path / "bad.yaml").write_text(text)
    serve_fails(capsys, "agentuniverse", "--services", str(tmp_path / "bad.yaml"))


def test_a_missing_services_path_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "nothing.yaml" in serve_fails(capsys, "agentuniverse", "--services", str(tmp_path / "nothing.yaml"))


@pytest.mark.parametrize("module", ["no_such_module_anywhere", "broken_agent_module"])
def test_an_agent_module_that_does_not_import_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    (tmp_path / "broken_agent_module.py").write_text("raise RuntimeError('cannot start')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "agent.yaml").write_text(f"info: {{name: a}}\nmetadata: {{type: AGENT, module: {module}, class: A}}\n")
    assert "does not load" in serve_fails(capsys, "agentuniverse", "--services", str(tmp_path / "agent.yaml"))


def test_a_covalent_service_module_that_does_not_import_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_service_module.py").write_text("1/0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "ZeroDivisionError" in serve_fails(capsys, "covalent", "--service", "broken_service_module:svc")


@pytest.mark.parametrize("api", ["agentuniverse", "covalent"])
@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_a_port_out_of_range_is_one_line(capsys: pytest.CaptureFixture[str], api: str, port: str) -> None:
    assert f"--port {port}" in serve_fails(capsys, api, "--port", port)


@pytest.mark.parametrize(
    ("api", "args"),
    [
        ("agentuniverse", ["--sync-timeout", "0"]),
        ("agentuniverse", ["--max-tasks", "0"]),
        ("agentuniverse", ["--agent-threads", "0"]),
        ("agentuniverse", ["--fault", "no-such-fault"]),
        ("agentuniverse", ["--profile", "nosuch"]),
        ("covalent", ["--create-delay", "-1"]),
        ("covalent", ["--api-key", ""]),
        ("covalent", ["--root-function", "nosuch"]),
        ("covalent", ["--fault", "no-such-fault"]),
    ],
)
def test_a_bad_stub_option_is_one_line(capsys: pytest.CaptureFixture[str], api: str, args: list[str]) -> None:
    serve_fails(capsys, api, *args)
