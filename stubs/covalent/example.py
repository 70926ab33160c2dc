"""The seed's example service: `/hello` and `/stream` with their exact texts, plus a dashed route."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from .service import Service, service

FUNCTION_ID = "663accb6f7d37dbf2a4687b7"  # the id the seed passes to cc.get_deployment
# The seed's curl lines address the same service as /0663accb6f7d37dbf2a4687b7/...; the stub
# answers there too, so that they work verbatim with only the host changed.
SEED_INVOKE_ALIAS = "0" + FUNCTION_ID

DEFAULTS: dict[str, Any] = {"message": "Hello, world!", "number": 42, "items": [1, 5, "foo"]}
CHUNK_PAUSE = 0.02  # seconds between stream chunks, so that they visibly arrive one by one

Item = str | int | float


def example_service() -> Service:
    """A fresh instance (endpoint registration mutates a Service, so none is shared)."""

    @service(
        title="Example service",
        description="The example function service of the Covalent Cloud documentation.",
        tags=["example", "seed-002"],
        function_id=FUNCTION_ID,
    )
    def example(
        message: str = DEFAULTS["message"], number: int = DEFAULTS["number"], items: list[Item] | None = None
    ) -> dict[str, Any]:
        return {"message": message, "number": number, "items": list(DEFAULTS["items"]) if items is None else items}

    @example.endpoint("/hello", description="Say hello with a favorite number.")
    def hello(message: str, number: int) -> str:
        return f"{message} My favorite number is {number}"

    @example.endpoint("/stream", streaming=True, description="Stream the message and the items, line by line.")
    def stream(message: str, items: list[Item]) -> Iterator[str]:
        yield f"{message}\n"
        time.sleep(CHUNK_PAUSE)
        yield "Items: " + " ".join(str(i) for i in items) + "\n"
        time.sleep(CHUNK_PAUSE)
        yield "Done streaming\n"

    @example.endpoint("/custom-endpoint", description="A dashed route: the SDK calls it client.custom_endpoint().")
    def custom_endpoint(message: str, number: int) -> dict[str, Any]:
        return {"route": "/custom-endpoint", "message": message, "number": number}

    return example


def hello_text(message: str = DEFAULTS["message"], number: Any = DEFAULTS["number"]) -> str:
    """What `/hello` answers for these arguments (for tests and checks)."""
    return f"{message} My favorite number is {number}"


def stream_text(message: str = DEFAULTS["message"], items: list[Any] | None = None) -> str:
    """The bytes `/stream` sends, decoded, for these arguments."""
    shown = DEFAULTS["items"] if items is None else items
    return f"{message}\nItems: {' '.join(str(i) for i in shown)}\nDone streaming\n"
