"""The seed's own Flask service passes the default gate, served by Werkzeug on a real socket."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from aicontract.contracts import run
from aicontract.contracts.settings import Settings
from aicontract.stubs.snet import SEED_CREDENTIALS
from tests.conftest import FAST
from tests.snet.flask_example import app


@pytest.fixture(scope="module")
def flask_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def check(url: str, **options: object):  # type: ignore[no-untyped-def]
    settings = Settings(api="snet", max_examples=10, seed=1, bounds=FAST, options=dict(options))
    return run(settings, base_url=url)


def test_the_seed_flask_service_passes_the_default_gate(flask_url: str) -> None:
    result = check(flask_url)
    assert [(r.check.name, r.violations[:1]) for r in result.results if r.status == "failed"] == []
    assert result.exit_code == 0


def test_with_a_secret_configured_its_bypass_is_reported(flask_url: str, tmp_path: Path) -> None:
    creds = tmp_path / "credentials.json"
    creds.write_text(json.dumps(list(SEED_CREDENTIALS)))
    result = check(flask_url, credentials=str(creds))
    failed = {r.check.name for r in result.results if r.status == "failed"}
    assert failed == {"missing-secret-refused", "wrong-secret-refused"}


def test_its_answers_are_not_the_example_semantics(flask_url: str) -> None:
    failed = {r.check.name for r in check(flask_url, semantics="example").results if r.status == "failed"}
    assert failed == {"example-arithmetic", "example-errors-reported"}


def test_its_missing_heartbeat_is_reported_as_not_serving(flask_url: str) -> None:
    result = check(flask_url, heartbeat=f"{flask_url}/heartbeat")  # a full URL, as heartbeat_endpoint is
    beat = next(r for r in result.results if r.check.name == "heartbeat-serving")
    assert beat.status == "failed" and "NOT_SERVING" in beat.violations[0].actual
