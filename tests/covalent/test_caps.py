"""What the public API can grow stays bounded: deployments and inference keys, the oldest made ones evicted."""

from __future__ import annotations

from starlette.testclient import TestClient

from aicontract.stubs.covalent import DEFAULT_API_KEY, EXAMPLE_FUNCTION_ID, create_app
from aicontract.stubs.covalent.app import MAX_DEPLOYMENTS, MAX_KEYS

KEY = {"x-api-key": DEFAULT_API_KEY}
KEYS = f"/fn/api/v0/functions/{EXAMPLE_FUNCTION_ID}/inference-keys"


def test_deployments_made_through_the_api_are_capped_and_the_oldest_forgotten() -> None:
    app = create_app()
    with TestClient(app) as client:
        made = [
            client.post("/_stub/deployments", json={}, headers=KEY).json()["id"] for _ in range(MAX_DEPLOYMENTS + 20)
        ]
        hosted = app.state.runtime.registry.deployments
        assert len(hosted) == MAX_DEPLOYMENTS
        assert EXAMPLE_FUNCTION_ID in hosted  # hosted at start-up: never evicted
        assert made[-1] in hosted and made[0] not in hosted
        assert client.get(f"/fn/api/v0/functions/{made[0]}", headers=KEY).status_code == 404
        assert client.post("/hello", json={}, headers=KEY).status_code == 200


def test_inference_keys_are_capped_and_the_configured_key_is_never_evicted() -> None:
    with TestClient(create_app()) as client:
        made = [client.post(KEYS, headers=KEY).json()["key"] for _ in range(MAX_KEYS + 20)]
        listed = client.get(KEYS, headers=KEY).json()
        assert len(listed) == MAX_KEYS
        assert any(k["id"] == "key-0" for k in listed)
        assert client.post("/hello", json={}, headers={"x-api-key": made[-1]}).status_code == 200
        assert client.post("/hello", json={}, headers={"x-api-key": made[0]}).status_code == 401
        assert client.post("/hello", json={}, headers=KEY).status_code == 200
