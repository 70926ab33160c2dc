"""The seed's own Flask service passes the default gate (tests/independent.py serves it on a real socket)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aicontract.contracts import run
from aicontract.contracts.runner import RunResult
from aicontract.contracts.settings import Settings
from aicontract.stubs.snet import SEED_CREDENTIALS
from tests.conftest import FAST
from tests.independent import check_server, findings, wsgi_served
from tests.snet.flask_example import app


def check(**options: Any) -> RunResult:
    return check_server("snet", app, "documented", options=dict(options))


def test_the_seed_flask_service_passes_the_default_gate() -> None:
    result = check()
    assert result.exit_code == 0, findings(result)


def test_with_a_secret_configured_its_bypass_is_reported(tmp_path: Path) -> None:
    creds = tmp_path / "credentials.json"
    creds.write_text(json.dumps(list(SEED_CREDENTIALS)))
    result = check(credentials=str(creds))
    failed = {r.check.name for r in result.results if r.status == "failed"}
    assert failed == {"missing-secret-refused", "wrong-secret-refused"}


def test_its_answers_are_not_the_example_semantics() -> None:
    failed = {r.check.name for r in check(semantics="example").results if r.status == "failed"}
    assert failed == {"example-arithmetic", "example-errors-reported"}


def test_its_missing_heartbeat_is_reported_as_not_serving() -> None:
    with wsgi_served(app) as url:  # a full URL, as heartbeat_endpoint is
        settings = Settings(api="snet", max_examples=2, seed=1, bounds=FAST, options={"heartbeat": f"{url}/heartbeat"})
        result = run(settings, base_url=url)
    beat = next(r for r in result.results if r.check.name == "heartbeat-serving")
    assert beat.status == "failed" and "NOT_SERVING" in beat.violations[0].actual
