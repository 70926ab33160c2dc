"""The `upstream` stub against agentUniverse 0.0.19.1 itself: every measured single-request transcript
(shared/spec, extracted into data/upstream_transcripts.json) is replayed and must come back the same,
byte for byte but for request ids, except where the stub departs from the real server on purpose."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from aicontract.stubs.agentuniverse import create_app

CASES: list[dict[str, Any]] = json.loads((Path(__file__).with_name("data") / "upstream_transcripts.json").read_text())
ID = re.compile(r"[0-9a-f]{32}")

# Departures on purpose, each with its reason. Everything else must match.
NOT_REPLAYED = {
    "HEAD /service_run_result unknown": "agentUniverse crashes on HEAD (500); the stub answers HEAD like GET",
    "POST /service_run with sync_service_timeout=1 and a ~4 s agent (demo_stream_service delay=1)": (
        "needs a 4 s agent; the 504 is covered by test_stub"
    ),
    "POST /chat/completions model=demo_service (agent needs 'input' -> fails)": "undocumented OpenAI-style route",
    "POST /chat/completions stream=true": "undocumented OpenAI-style route",
    "POST /chat/completions unknown model": "undocumented OpenAI-style route",
}


def _stateless(case: dict[str, Any]) -> bool:
    # Transcripts that read an earlier call's request_id depend on that call, not on this request.
    return not ID.search(case["target"]) and not case["title"].startswith(("Keep-alive", "Concurrency"))


REPLAYED = [c for c in CASES if _stateless(c) and c["title"] not in NOT_REPLAYED]


def replay(case: dict[str, Any]) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app("upstream"))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:18888") as client:
            headers = {"content-type": case["content_type"]} if case["content_type"] else {}
            body = case["body"].encode("utf-8", "surrogateescape") if case["body"] else None
            return await client.request(case["method"], case["target"], content=body, headers=headers)

    return asyncio.run(go())


def test_most_transcripts_are_replayed() -> None:
    assert len(REPLAYED) >= 70


@pytest.mark.parametrize("case", REPLAYED, ids=[c["title"] for c in REPLAYED])
def test_the_stub_answers_as_agentuniverse_did(case: dict[str, Any]) -> None:
    got = replay(case)
    if case["status"] == 500:
        # Where agentUniverse crashes on bad input, the stub says what is wrong, in the same envelope.
        assert 400 <= got.status_code < 500, got.text
        assert got.headers["content-type"] == "application/json"
        envelope = json.loads(got.content)
        assert list(envelope) == ["message", "request_id", "result", "success"] and got.content.endswith(b"}\n")
        assert envelope["success"] is False and envelope["request_id"] is None and envelope["message"]
        return
    assert got.status_code == case["status"]
    assert got.headers.get("content-type") == case["response_content_type"]
    assert ID.sub("<id>", got.text) == ID.sub("<id>", case["response_body"])
    if case["allow"]:
        assert got.headers.get("allow") == case["allow"]
