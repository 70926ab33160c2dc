"""The reference Grid Node on its own: bad input is a JSON 4xx that changes nothing, models survive a
restart, inference on ONNX is right, other formats are stored but not run, holdings come from
YAML, flags and Python."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aicontract.contracts.pygrid.model import KNOWN_INPUT, KNOWN_OUTPUT, linear_onnx, npy
from aicontract.stubs.pygrid import Dataset, EncryptedModel, Limits, create_app
from tests.pygrid.asgi import Client as AsgiClient

LATIN = "ISO-8859-1"


def client(profile: str = "documented", **kwargs: Any) -> AsgiClient:
    return AsgiClient(create_app(profile, **kwargs), base_url="http://127.0.0.1:5000")


def upload(
    c: AsgiClient,
    model_id: str,
    model: bytes | None = None,
    *,
    download: Any = True,
    remote: Any = True,
    encoding: str = LATIN,
) -> Any:
    data = linear_onnx() if model is None else model
    body = {
        "encoding": encoding,
        "model_id": model_id,
        "allow_download": download,
        "allow_remote_inference": remote,
        "model": data.decode("latin-1"),
    }
    return c.post("/serve-model", json=body)


def state(c: AsgiClient) -> Any:
    models = c.get("/models").json()["models"]
    return models, [c.get(f"/get_model/{m}").json() for m in models], c.get("/dataset-tags").json()


def _upload_body(**changes: Any) -> dict[str, Any]:
    """A valid JSON upload body but for `changes`."""
    body = {"encoding": LATIN, "model_id": "x", "allow_download": True, "allow_remote_inference": True, "model": "m"}
    return {**body, **changes}


BAD_DOCUMENTED = [
    ("POST", "/serve-model", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("POST", "/serve-model", {"json": []}),
    ("POST", "/serve-model", {"json": {"model_id": "x"}}),
    ("POST", "/serve-model", {"json": _upload_body(allow_download="maybe")}),
    ("POST", "/serve-model", {"json": _upload_body(model=5)}),
    ("POST", "/serve-model", {"json": _upload_body(encoding="utf-8")}),
    ("POST", "/serve-model", {"json": _upload_body(encoding="no-such-codec")}),
    ("POST", "/serve-model", {"json": _upload_body(encoding="rot13")}),
    ("POST", "/serve-model", {"json": _upload_body(model="\u20ac")}),
    ("POST", "/serve-model", {"json": _upload_body(model_id="")}),
    (
        "POST",
        "/serve-model",
        {"content": b"--b\r\nbroken", "headers": {"content-type": "multipart/form-data; boundary=b"}},
    ),
    ("POST", "/serve-model", {"json": _upload_body(model_id="kept", model="other")}),
    ("POST", "/delete-model", {"json": {}}),
    ("POST", "/delete-model", {"json": {"model_id": 3}}),
    ("POST", "/delete-model", {"json": {"model_id": "nope"}}),
    ("GET", "/get_model/nope", {}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN}}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN, "data": [[1, "a"]]}}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN, "data": [[1, 2], [3]]}}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN, "data": [[1, 2, 3]]}}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN, "data": "not npy"}}),
    ("POST", "/model/kept", {"json": {"encoding": LATIN, "data": True}}),
    ("POST", "/model/nope", {"json": {"encoding": LATIN, "data": [[1, 2]]}}),
    ("POST", "/search-encrypted-models", {"content": b"{not json"}),
    ("POST", "/search-encrypted-models", {"json": ["x"]}),
    ("POST", "/search-encrypted-models", {"json": {"model_id": ""}}),
    ("POST", "/search", {"content": b""}),
    ("POST", "/search", {"json": {"query": "#a"}}),
    ("POST", "/search", {"json": {"query": [1]}}),
    ("POST", "/search", {"json": {}}),
    ("GET", "/no-such-route", {}),
    ("PUT", "/models", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), BAD_DOCUMENTED, ids=lambda v: str(v)[:60])
def test_bad_input_gets_a_json_4xx_and_changes_nothing(method: str, path: str, kwargs: dict[str, Any]) -> None:
    c = client(datasets=[Dataset(("#a",))])
    assert upload(c, "kept").status_code == 200
    before = state(c)
    got = c.request(method, path, **kwargs)
    assert 400 <= got.status_code < 500, got.text
    assert got.headers["content-type"] == "application/json"
    assert isinstance(got.json()["error"], str) and got.json()["error"]
    assert state(c) == before


def test_a_pickled_npy_is_refused_never_unpickled() -> None:
    c = client()
    upload(c, "m")
    buf = io.BytesIO()
    np.save(buf, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    got = c.post("/model/m", json={"encoding": LATIN, "data": buf.getvalue().decode("latin-1")})
    assert got.status_code == 400 and "pickle" in got.json()["error"]


def test_inference_on_the_onnx_model_gives_the_known_answer_as_json_or_npy() -> None:
    c = client()
    upload(c, "m")
    got = c.post("/model/m", json={"encoding": LATIN, "data": KNOWN_INPUT})
    assert got.status_code == 200 and got.json() == {"status": True, "prediction": KNOWN_OUTPUT}
    got = c.post("/model/m", json={"encoding": LATIN, "data": npy(KNOWN_INPUT).decode("latin-1")})
    assert got.status_code == 200
    out = np.load(io.BytesIO(got.json()["prediction"].encode("latin-1")), allow_pickle=False)
    assert out.tolist() == KNOWN_OUTPUT


def test_a_model_in_another_format_is_stored_and_served_byte_for_byte_but_not_run() -> None:
    c = client()
    blob = bytes(range(256)) * 3
    assert upload(c, "blob", blob).status_code == 200
    assert c.get("/get_model/blob").json()["serialized_model"].encode("latin-1") == blob
    got = c.post("/model/blob", json={"encoding": LATIN, "data": [[1.0, 2.0]]})
    assert got.status_code == 422 and "ONNX" in got.json()["error"]


def test_multipart_uploads_take_flags_as_text_and_a_file_part_as_utf8_text() -> None:
    c = client()
    fields = {"encoding": LATIN, "model_id": "mp", "allow_download": "False", "allow_remote_inference": "True"}
    got = c.post("/serve-model", data=fields, files={"model": ("m", linear_onnx().decode("latin-1").encode())})
    assert got.status_code == 200
    assert c.get("/is_model_copy_allowed/mp").json() == {
        "success": False,
        "error": "You're not allowed to download this model.",
    }
    assert c.get("/get_model/mp").status_code == 403
    assert c.post("/model/mp", json={"encoding": LATIN, "data": [[1, 2]]}).json()["prediction"] == [[8.5]]


def test_models_survive_a_restart_and_a_duplicate_is_still_a_409(tmp_path: Path) -> None:
    db = tmp_path / "node.sqlite"
    first = client(db=str(db))
    assert upload(first, "m", remote=False).status_code == 200
    second = client(db=str(db))
    assert second.get("/models").json() == {"success": True, "models": ["m"]}
    assert second.post("/model/m", json={"encoding": LATIN, "data": [[1, 2]]}).status_code == 403
    again = upload(second, "m")
    assert again.status_code == 409 and again.json() == {"error": "Model with id: m already eixsts."}


def test_after_a_restart_upstream_answers_the_first_duplicate_with_sqlites_text(tmp_path: Path) -> None:
    db = tmp_path / "node.sqlite"
    model = (Path(__file__).parents[2] / "contracts/pygrid/data/linear-2x1.syft").read_bytes()
    form = {
        "encoding": LATIN,
        "model_id": "m",
        "allow_download": "True",
        "allow_remote_inference": "True",
        "model": model.decode("latin-1"),
    }
    assert client("upstream", db=str(db)).post("/serve-model/", data=form).status_code == 200
    second = client("upstream", db=str(db))
    first_dup = second.post("/serve-model/", data=form)
    assert first_dup.status_code == 409 and "UNIQUE constraint failed" in first_dup.json()["error"]
    assert second.post("/serve-model/", data=form).json()["error"] == "Model with id: m already eixsts."


def test_caps_refuse_large_models_and_bodies_with_413() -> None:
    c = client(limits=Limits(body=4096, model=1024, data=64))
    assert upload(c, "big", b"x" * 2000).status_code == 413
    assert c.post("/serve-model", content=b"x" * 5000, headers={"content-type": "application/json"}).status_code == 413
    upload(c, "m")
    got = c.post("/model/m", json={"encoding": LATIN, "data": npy([[1.0, 2.0]] * 10).decode("latin-1")})
    assert got.status_code == 413
    assert c.get("/models").json()["models"] == ["m"]


def test_latin1_aliases_are_accepted_and_bytes_come_back_exact() -> None:
    c = client()
    blob = bytes(range(256))
    for i, name in enumerate(("latin-1", "iso8859-1", "L1", "latin1")):
        assert upload(c, f"m{i}", blob, encoding=name).status_code == 200
        text = c.get(f"/get_model/m{i}").json()["serialized_model"]
        assert text.encode(name) == blob


def test_documented_search_needs_every_tag_held_upstream_one_object_holding_all() -> None:
    held = [Dataset(("#boston", "#housing")), Dataset(("#mnist",))]
    documented, upstream = client(datasets=held), client("upstream", datasets=held)
    for c in (documented, upstream):
        assert sorted(c.get("/dataset-tags").json()) == ["#boston", "#housing", "#mnist"]
        assert c.post("/search", json={"query": ["#boston", "#housing"]}).json() == {"content": True}
        assert c.post("/search", json={"query": ["#boston", "#cifar"]}).json() == {"content": False}
    assert documented.post("/search", json={"query": ["#boston", "#mnist"]}).json() == {"content": True}
    assert upstream.post("/search", json={"query": ["#boston", "#mnist"]}).json() == {"content": False}


def test_encrypted_models_come_from_yaml_flags_and_python(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "datasets:\n  - tags: ['#x']\nencrypted_models:\n  - model_id: s1\n"
        "    workers: [[alice, 'http://w1'], 'bob=http://w2']\n    crypto_provider: [james, 'http://cp']\n"
    )
    smpc = EncryptedModel("s2", (("w", "http://w3"),), ("c", "http://cp2"))
    c = client(seed=seed, encrypted_models=[smpc])
    assert c.post("/search-encrypted-models", json={"model_id": "s1"}).json() == {
        "workers": ["http://w1", "http://w2"],
        "crypto_provider": ["http://cp"],
    }
    up = client("upstream", seed=seed)
    assert up.post("/search-encrypted-models", json={"model_id": "s1"}).json() == {
        "workers": [["alice", "http://w1"], ["bob", "http://w2"]],
        "crypto_provider": ["james", "http://cp"],
    }
    assert c.post("/search-encrypted-models", json={"model_id": "s2"}).status_code == 200
    assert c.post("/search-encrypted-models", json={"model_id": "s3"}).status_code == 404
    assert c.get("/dataset-tags").json() == ["#x"]


def test_serve_takes_holdings_and_caps_from_the_command_line() -> None:
    import argparse

    from aicontract.stubs import pygrid

    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="documented")
    parser.add_argument("--faults", default=[])
    pygrid.add_arguments(parser)
    args = parser.parse_args(
        ["--dataset", "#a,#b", "--encrypted-model", "s", "http://w1,bob=http://w2", "http://c", "--max-model", "100"]
    )
    c = AsgiClient(pygrid.app_from_arguments(args))
    assert c.get("/dataset-tags").json() == ["#a", "#b"]
    assert c.post("/search-encrypted-models", json={"model_id": "s"}).json()["workers"] == ["http://w1", "http://w2"]
    assert upload(c, "big", b"x" * 200).status_code == 413


def test_the_recorded_syft_pair_is_answered_in_both_profiles_and_other_syft_data_refused() -> None:
    data = Path(__file__).parents[2] / "contracts/pygrid/data"
    model, given = (data / "linear-2x1.syft").read_bytes(), (data / "input-1x2.syft").read_bytes()
    c = client()
    upload(c, "s", model)
    got = c.post("/model/s", json={"encoding": LATIN, "data": given.decode("latin-1")})
    assert got.json() == {"status": True, "prediction": [[0.17137116193771362]]}
    other = c.post("/model/s", json={"encoding": LATIN, "data": (given[:-1] + b"\x01").decode("latin-1")})
    assert other.status_code == 422


def test_an_onnx_model_with_external_data_is_refused() -> None:
    from onnx import TensorProto, helper

    tensor = helper.make_tensor("W", TensorProto.FLOAT, [1], [1.0])
    tensor.data_location = TensorProto.EXTERNAL
    tensor.ClearField("float_data")
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", "/etc/passwd"
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "W"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
        [tensor],
    )
    c = client()
    upload(c, "ext", helper.make_model(graph).SerializeToString())
    got = c.post("/model/ext", json={"encoding": LATIN, "data": [1.0]})
    assert got.status_code == 422 and "external" in got.json()["error"]
