"""What goes on the wire: JSON answers as the Flask node wrote them, Werkzeug's HTML pages, refusals,
and a form body's fields (the body itself is capped and read by the shared `stubs/body.py`)."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from ..refusal import Refusal

JSON = "application/json"
# A malformed form is answered with a 400; the parser's own warnings about it are noise on stderr.
logging.getLogger("python_multipart").setLevel(logging.ERROR)
CORS = {"access-control-allow-origin": "*"}  # Flask-Cors puts it on every view's answer

_PAGE = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>{code} {title}</title>\n<h1>{title}</h1>\n'
_TEXTS = {
    400: "<p>The browser (or proxy) sent a request that this server could not understand.</p>",
    404: "<p>The requested URL was not found on the server. If you entered the URL manually please check your "
    "spelling and try again.</p>",
    405: "<p>The method is not allowed for the requested URL.</p>",
    500: "<p>The server encountered an internal error and was unable to complete your request. Either the server "
    "is overloaded or there is an error in the application.</p>",
}
_TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}


def dumps(value: Any) -> bytes:
    # As the node's `json.dumps(response)`: ", " and ": " separators, ASCII with \u escapes.
    return json.dumps(value, allow_nan=False).encode()


def answer(value: Any, status: int = 200) -> Response:
    return Response(dumps(value), status, headers=dict(CORS), media_type=JSON)


def page(status: int, detail: str = "", headers: dict[str, str] | None = None) -> Response:
    """Werkzeug 0.15's error page, byte for byte (`text/html` without a charset, no CORS header)."""
    body = _PAGE.format(code=status, title=_TITLES[status]) + _TEXTS[status]
    if detail:
        body += f"<p><pre><code>{detail}</code></pre></p>"
    return Response((body + "\n").encode(), status, headers={"content-type": "text/html", **(headers or {})})


def redirect(location: str) -> Response:
    body = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>Redirecting...</title>\n'
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to target URL: "
        f'<a href="{location}">{location}</a>.  If not click the link.'
    )
    headers = {"content-type": "text/html; charset=utf-8", "location": location}
    return Response(body.encode(), 308, headers=headers)


class NodeRefusal(Refusal):
    """A refusal worded as the node words it: a JSON error body (or a Werkzeug page), answered by `app.py`'s one
    error handler (`stubs/app.py` catches every `Refusal`)."""

    def __init__(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        html: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, str((body or {}).get("error") or html or ""), headers)
        self.body, self.html = body, html

    @classmethod
    def of(cls, status: int, error: str, **extra: Any) -> NodeRefusal:
        return cls(status, {**extra, "error": error})

    @classmethod
    def key_error(cls, name: str) -> NodeRefusal:
        """Werkzeug's 400 for a form field the Flask view reads and does not find."""
        return cls(400, html=f"KeyError: '{name}'")

    def response(self) -> Response:
        if self.html is not None:
            return page(self.status, self.html, self.headers)
        if self.body is None:  # the real node's empty-bodied JSON 400 (a view returning "")
            return Response(b"", self.status, headers={**CORS, "content-type": JSON, **self.headers})
        return Response(dumps(self.body), self.status, headers={**CORS, **self.headers}, media_type=JSON)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def form_fields(request: Request, limit: int) -> dict[str, str]:
    """A form body's fields as text (a file part as its UTF-8 text), or {} for any other body."""
    if media_type(request) not in FORMS:
        return {}
    try:
        form = await request.form(max_files=8, max_fields=64, max_part_size=limit)
    except Exception as exc:  # python-multipart and Starlette raise several kinds for a malformed form
        raise NodeRefusal.of(400, f"malformed form body: {exc}"[:300]) from None
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            raw = await value.read()
            try:
                fields[name] = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise NodeRefusal.of(400, f"file part {name!r} is not the UTF-8 of the decoded string") from None
        else:
            fields[name] = value
    return fields
