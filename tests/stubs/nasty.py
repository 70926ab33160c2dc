"""Bodies that once made a stub answer 500, and a client that sends them to an app in-process."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

SURROGATE = b'{"service_id": "demo_service", "params": {"input": "\\ud800"}}'  # 61 bytes
NASTY = {
    "lone surrogate": SURROGATE,
    "lone surrogate as a key": b'{"\\udfff": 1}',
    "nested 50,000 deep": b"[" * 50_000 + b"]" * 50_000,
    "objects nested 70 deep": b'{"a":' * 70 + b"1" + b"}" * 70,
    "a float beyond double": b'{"number": 1e999999}',
    "an int of 10^5 digits": b'{"number": ' + b"9" * 100_000 + b"}",
    "NaN": b'{"number": NaN}',
    "invalid UTF-8": b'{"message": "\xff\xfe"}',
    "a UTF-8 surrogate": b'{"message": "\xed\xa0\x80"}',
    "a NUL byte": b'{"message": "\x00"}',
    "truncated": b'{"service_id": ',
}


def send(app: Any, method: str, path: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://stub") as client:
            return await client.request(method, path, content=body, headers=headers or {})

    return asyncio.run(go())
