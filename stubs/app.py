"""A stub's web app: its routes, its error style, the body cap, and the one place refusals are answered.

    app = stub_app(routes, Errors(error=my_json_error), max_body=MAX_BODY)

A handler raises `Refusal` wherever it finds a problem; `stub_app` answers it with the stub's
`error`, as it does the router's 404 and 405 (unless the stub words those itself), and answers
anything that still escapes a handler with a 500 in the same style, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from .body import MAX_BODY, BodyCap
from .refusal import Refusal


@dataclass(frozen=True)
class Errors:
    """How a stub words its errors: every refusal, and optionally the router's 404 and 405 pages."""

    error: Callable[[Refusal], Response]
    not_found: Callable[[Request], Response] | None = None
    method_not_allowed: Callable[[Request, str], Response] | None = None  # gets the router's Allow


def stub_app(
    routes: Sequence[BaseRoute],
    errors: Errors,
    *,
    max_body: int = MAX_BODY,
    redirect_slashes: bool = True,
    text_errors: bool = False,
) -> FastAPI:
    """`text_errors` is a fault switch: error answers labelled text/plain, not their documented type."""

    def answer(response: Response) -> Response:
        if text_errors:
            response.headers["content-type"] = "text/plain; charset=utf-8"
        return response

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return answer(errors.error(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        code = getattr(exc, "status_code", 500)
        headers = dict(getattr(exc, "headers", None) or {})
        if code == 404 and errors.not_found is not None:
            return answer(errors.not_found(request))
        if code == 404:
            return answer(errors.error(Refusal(404, f"no such path: {request.url.path}")))
        if code == 405 and errors.method_not_allowed is not None:
            return answer(errors.method_not_allowed(request, headers.get("Allow", "")))
        return answer(errors.error(Refusal(code, str(getattr(exc, "detail", "error")), headers)))

    async def crash(request: Request, exc: Exception) -> Response:
        # Never a traceback on the wire, whatever went wrong inside.
        return answer(errors.error(Refusal(500, "internal error")))

    return FastAPI(
        routes=list(routes),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=redirect_slashes,
        middleware=[Middleware(BodyCap, limit=max_body)],
        exception_handlers={Refusal: refused, HTTPException: http_error, Exception: crash},
    )
