"""`aicontract serve pygrid` and `aicontract check pygrid` as users and CI call them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from aicontract.contracts import contract
from aicontract.contracts.cli import main
from aicontract.contracts.pygrid.model import KNOWN_INPUT, KNOWN_OUTPUT, linear_onnx
from aicontract.stubs.pygrid import create_app
from tests.conftest import serve_subprocess
from tests.pygrid.asgi import Client as AsgiClient

LATIN = "ISO-8859-1"


def _upload(url: str, model_id: str) -> httpx.Response:
    body = {
        "encoding": LATIN,
        "model_id": model_id,
        "allow_download": True,
        "allow_remote_inference": True,
        "model": linear_onnx().decode("latin-1"),
    }
    return httpx.post(f"{url}/serve-model", json=body, timeout=10, trust_env=False)


def test_a_served_node_keeps_its_models_in_its_db_file_across_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "node.sqlite")
    with serve_subprocess("pygrid", ["--db", db, "--dataset", "#a,#b"], "/models") as url:
        assert _upload(url, "m").status_code == 200
        assert httpx.get(f"{url}/dataset-tags", trust_env=False).json() == ["#a", "#b"]
    with serve_subprocess("pygrid", ["--db", db], "/models") as url:
        assert httpx.get(f"{url}/models", trust_env=False).json() == {"success": True, "models": ["m"]}
        assert _upload(url, "m").status_code == 409
        ran = httpx.post(f"{url}/model/m", json={"encoding": LATIN, "data": KNOWN_INPUT}, trust_env=False)
        assert ran.json() == {"status": True, "prediction": KNOWN_OUTPUT}


def test_a_served_node_passes_its_own_check_and_a_faulty_one_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with serve_subprocess("pygrid", [], "/models") as url:
        assert main(["check", "pygrid", "--base-url", url, "--max-examples", "3", "-q"]) == 0
    with serve_subprocess("pygrid", ["--fault", "delete-keeps-model"], "/models") as url:
        assert main(["check", "pygrid", "--base-url", url, "--max-examples", "3"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  delete-removes-model" in out and "POST /delete-model" in out


def test_user_given_model_data_and_prediction_are_judged(tmp_path: Path) -> None:
    from aicontract.contracts.pygrid.model import npy

    model, data = tmp_path / "m.onnx", tmp_path / "x.npy"
    model.write_bytes(linear_onnx())
    data.write_bytes(npy(KNOWN_INPUT))
    common = ["check", "pygrid", "--max-examples", "2", "--model", str(model), "--data", str(data), "-q"]
    assert main([*common, "--prediction", "[[8.5], [-2.5]]"]) == 0
    assert main([*common, "--prediction", "[[8.5], [-2.0]]"]) == 1


def test_faults_and_checks_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faults", "pygrid"]) == 0
    assert "duplicate-overwritten" in capsys.readouterr().out
    assert main(["checks", "pygrid"]) == 0
    assert "model-upload-accepted" in capsys.readouterr().out


@pytest.mark.parametrize("profile", ["documented", "upstream"])
def test_every_documented_operation_is_routed_by_the_stub(profile: str) -> None:
    client = AsgiClient(create_app(profile))
    for op in contract.load("pygrid", profile).operations():
        got = client.request(op.method, op.path.replace("{model_id}", "x"), content=b"{}")
        assert got.status_code not in (405, 308), op.name
        assert got.status_code != 404 or got.headers["content-type"] == "application/json", op.name
