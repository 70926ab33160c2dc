"""A service behind the daemon: the rpcs of its protos, its credentials, and the answer to each call.

Inputs are read as the daemon writes them (protojson: proto or JSON names, 64-bit integers as
strings or numbers, unknown fields such as body credentials ignored). The seed's example rpcs get
the example's semantics (example.py); every other rpc answers a deterministic valid output (outputs.py).
"""

from __future__ import annotations

import hmac
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aicontract.contracts.snetd.answer import ParseError, integer, parse
from aicontract.contracts.snetd.credentials import Credential, of
from aicontract.contracts.snetd.protos import Catalog, Method
from aicontract.contracts.snetd.schema import UINT64, WELL_KNOWN, T, repeated

from ..refusal import Refusal
from . import example, outputs
from .wire import dumps, json_value

TRACEBACK = 'Traceback (most recent call last):\n  File "app.py", line 12, in calculate\nKeyError: {name!r}\n'


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str = "application/json"


def _same(given: str, wanted: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), wanted.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True)
class Service:
    catalog: Catalog
    credentials: tuple[Credential, ...]
    faults: frozenset[str]

    def route(self, name: str) -> Method | None:
        """The rpc served at /{name} (case kept; the route-capitalised fault flips the first letter)."""
        if "route-capitalised" in self.faults:
            name = name[:1].swapcase() + name[1:]
        return self.catalog.method(name)

    def authorize(
        self, headers: Mapping[str, str], header_names: Sequence[str], query: Mapping[str, list[str]]
    ) -> None:
        """Refusal(401) unless every header and query credential is there with its value."""
        if "credentials-ignored" in self.faults:
            return
        for cred in of(self.credentials, "header"):
            if not isinstance(cred.value, str):
                continue  # the daemon never sends a non-string header value
            if "header-exact-spelling" in self.faults and cred.key not in header_names:
                raise Refusal(401, f"missing {cred.key} header")
            given = headers.get(cred.key.lower())
            self._compare(given, cred, f"{cred.key} header")
        for cred in of(self.credentials, "query"):
            if isinstance(cred.value, str):
                values = query.get(cred.key) or [""]
                self._compare(values[-1], cred, f"query parameter {cred.key}")

    def _compare(self, given: str | None, cred: Credential, what: str) -> None:
        if given is None or given == "":
            raise Refusal(401, f"missing {what}")
        if "wrong-key-accepted" in self.faults:
            return
        if not _same(given, cred.value):
            raise Refusal(401, f"wrong {what}")

    def _body_credentials(self, body: Any) -> None:
        if "credentials-ignored" in self.faults:
            return
        for cred in of(self.credentials, "body"):
            if not isinstance(body, dict) or cred.key not in body:
                raise Refusal(401, f"missing body credential {cred.key}")
            if body[cred.key] != cred.value:
                raise Refusal(401, f"wrong body credential {cred.key}")

    def call(self, method: Method, raw: bytes) -> Answer:
        body = json_value(raw)
        plain = method.input.full_name not in WELL_KNOWN
        if plain and not isinstance(body, dict):
            raise Refusal(400, f"the body must be a JSON object: a {method.input.full_name} message")
        if plain:
            crashed = self._input_faults(method, body)
            if crashed is not None:
                return crashed
            self._body_credentials(body)
        self._read(method, raw)
        return self._encode(method, self._output(method, body))

    def _input_faults(self, method: Method, body: dict[str, Any]) -> Answer | None:
        """The ways of reading a body that the daemon's own bodies break."""
        names = {f.name for f in method.input.fields} | {f.json_name for f in method.input.fields}
        for field in method.input.fields:
            present = field.name in body or field.json_name in body
            value = body.get(field.name, body.get(field.json_name))
            if not present and "omitted-default-crash" in self.faults:
                return Answer(500, TRACEBACK.format(name=field.name).encode(), "text/plain")
            if not present and "omitted-field-required" in self.faults:
                raise Refusal(400, f"missing field {field.name}")
            if field.type in UINT64 | {T.TYPE_INT64, T.TYPE_SINT64, T.TYPE_SFIXED64} and present:
                if isinstance(value, str) and "int64-string-rejected" in self.faults:
                    raise Refusal(400, f"{field.name} must be a number, not a string")
                big = isinstance(value, str | int) and str(value).isdigit() and int(value) >= 2**63
                if big and field.type in UINT64 and "uint64-high-500" in self.faults:
                    return Answer(
                        500, b"<html><body><h1>500 Internal Server Error</h1>int64 overflow</body></html>", "text/html"
                    )
        if "credential-field-rejected" in self.faults:
            unknown = sorted(set(body) - names)
            if unknown:
                raise Refusal(400, f"unknown field(s) {', '.join(unknown)}")
        return None

    def _read(self, method: Method, raw: bytes) -> None:
        """Refusal(400) unless protojson (as the daemon's own reader) takes the body as the input message."""
        try:
            parse(raw, method.input)
        except ParseError as exc:
            raise Refusal(400, f"not a {method.input.full_name} message: {exc}") from None

    def _output(self, method: Method, body: Any) -> Any:
        fields = {f.name for f in method.input.fields}
        if example.is_example(method.name, fields) and isinstance(body, dict):
            values = {f.name: body.get(f.name, body.get(f.json_name)) for f in method.input.fields}
            if method.name == "calculate":
                values = {
                    **values,
                    "number": integer(values["number"]),
                    "second_number": integer(values["second_number"]),
                }
                return example.calculate(values, self.faults)
            return example.process(values)
        return outputs.message(method.output)

    def _encode(self, method: Method, value: Any) -> Answer:
        if "non-json-answer" in self.faults:
            return Answer(200, b"ok", "text/plain")
        if "mistyped-answer-field" in self.faults and isinstance(value, dict):
            value = _mistyped(method, value)
        if "array-answer" in self.faults:
            value = [value]
        return Answer(200, dumps(value))


def _mistyped(method: Method, value: dict[str, Any]) -> dict[str, Any]:
    """A bool where a string (or else a number) field is."""
    for kinds in ({T.TYPE_STRING}, {T.TYPE_INT32, T.TYPE_UINT32, T.TYPE_INT64, T.TYPE_UINT64, T.TYPE_DOUBLE}):
        field = next((f for f in method.output.fields if f.type in kinds and not repeated(f)), None)
        if field is not None:
            return {**value, field.name: True}
    return {**value, "status": True}


def build(catalog: Catalog, credentials: Collection[Credential], faults: Collection[str]) -> Service:
    return Service(catalog, tuple(credentials), frozenset(faults))
