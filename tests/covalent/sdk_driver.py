"""Runs the real `covalent-cloud` SDK against a stub; started by test_sdk.py in the SDK's own Python.

Standalone on purpose (no aicontract, no pytest): the SDK may live in a separate environment.
The environment (COVALENT_CLOUD_DISPATCHER_URI, COVALENT_CLOUD_AUTH__API_KEY, HOME) is set by the
caller before this process starts, because the SDK reads its settings at import.

usage: python sdk_driver.py SCENARIO FUNCTION_ID
"""

from __future__ import annotations

import asyncio
import json
import sys
import warnings
from typing import Any

warnings.simplefilter("ignore")  # the SDK warns that function serving is deprecated

import covalent_cloud as cc  # noqa: E402


def seed(fid: str) -> None:
    """The seed's Python examples, in order, printing exactly what the seed shows."""
    example_client = cc.get_deployment(fid)
    example_client = cc.get_deployment(example_client, wait=True)
    print(example_client.hello())
    print(example_client.hello(number=1867))
    print(example_client.hello(message="Hello, Covalent!"))
    for b in example_client.stream():
        print(b.decode(), end="")
    for b in example_client.stream(
        message="The quick brown fox jumps over the lazy dog",
        items=list(range(20)),
    ):
        print(b.decode(), end="")
    print(json.dumps(example_client.custom_endpoint()))
    print(json.dumps(example_client.custom_endpoint(number=1, message="dash")))


def control(fid: str) -> None:
    """The control-plane calls and the async client methods, reported as JSON lines."""
    client = cc.get_deployment(fid, wait=True)
    out: dict[str, Any] = {"status": client.status.value, "routes": [r.route for r in client.routes]}
    out["methods"] = sorted(m for m in ("hello", "stream", "custom_endpoint") if callable(getattr(client, m, None)))
    listing = cc.list_function_deployments(status="ACTIVE")
    out["listed"] = [r.id for r in listing.records]
    key = cc.create_inference_api_key(fid)
    out["key_listed"] = key.key_id in [k.key_id for k in cc.list_inference_api_keys(fid)]
    original, client.token = client.token, key.key  # the data plane takes the new key
    out["with_new_key"] = client.hello(number=5)
    out["deleted"] = cc.delete_inference_api_key(fid, key.key_id)
    try:
        client.hello()
        out["revoked_key"] = "accepted"
    except Exception as exc:
        out["revoked_key"] = getattr(getattr(exc, "response", None), "status_code", repr(exc))
    client.token = original

    async def use_async() -> None:
        out["async_hello"] = await client.async_hello(message="Async!")
        chunks = [c async for c in client.async_stream(items=["a", "b"])]
        out["async_stream"] = b"".join(chunks).decode()
        out["async_chunks"] = len(chunks)

    asyncio.run(use_async())
    out["teardown_status"] = client.teardown()["status"]
    out["after_teardown"] = cc.get_deployment(fid).status.value
    try:
        client.hello()
        out["call_after_teardown"] = "answered"
    except Exception as exc:  # requests.HTTPError
        out["call_after_teardown"] = getattr(getattr(exc, "response", None), "status_code", repr(exc))
    print(json.dumps(out))


def refused(fid: str) -> None:
    """What the SDK gets when the stub refuses it: the status code, or the value it got."""
    out: dict[str, Any] = {}
    try:
        client = cc.get_deployment(fid)
        out["status"] = client.status.value
        out["hello"] = client.hello()
    except Exception as exc:  # requests.HTTPError, with the answer's status
        out["error"] = getattr(getattr(exc, "response", None), "status_code", repr(exc))
    print(json.dumps(out))


def call(fid: str) -> None:
    """`call FID METHOD JSON_KWARGS`: one endpoint method, its result as JSON (streams decoded)."""
    method, kwargs = sys.argv[3], json.loads(sys.argv[4])
    client = cc.get_deployment(fid, wait=True)
    result = getattr(client, method)(**kwargs)
    if not isinstance(result, str | int | float | list | dict | None):
        result = b"".join(result).decode()
    print(json.dumps(result))


if __name__ == "__main__":
    {"seed": seed, "control": control, "refused": refused, "call": call}[sys.argv[1]](sys.argv[2])
