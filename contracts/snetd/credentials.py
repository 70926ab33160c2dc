"""The daemon's `service_credentials`: extra query, header and body values sent with every request.

Read as the daemon reads its config (viper over JSON): numbers become float64, keys inside object
values are lower-cased; validated per entry with the daemon's own start-up error texts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .gojson import as_float64

LOCATIONS = ("body", "header", "query")
BAD_LOCATION = "invalid service_credentials: location should be body, header or query"
EMPTY_KEY = "invalid service_credentials: key can't be empty"


class CredentialsError(ValueError):
    """A service_credentials value the daemon would not start with (its own words where it has them)."""


@dataclass(frozen=True)
class Credential:
    key: str
    value: Any  # as viper hands it over: numbers float64, object keys lower-cased
    location: str

    @property
    def secret(self) -> bool:
        """A value the service can check on every request: a string header or query value."""
        return self.location in ("header", "query") and isinstance(self.value, str) and bool(self.value)


def _viper(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _viper(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_viper(v) for v in value]
    return as_float64(value)


def parse(entries: Any) -> tuple[Credential, ...]:
    """Validate a decoded service_credentials array, entry by entry, as the daemon does at start-up."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise CredentialsError("invalid service_credentials: expected a JSON array of {key, value, location}")
    found: list[Credential] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise CredentialsError("invalid service_credentials: each entry must be an object {key, value, location}")
        # viper lower-cases the entries' own keys too: "Key" and "key" are one field.
        entry = {str(k).lower(): v for k, v in entry.items()}
        location, key = entry.get("location"), entry.get("key")
        if location not in LOCATIONS:
            raise CredentialsError(BAD_LOCATION)
        if key is None or key == "":
            raise CredentialsError(EMPTY_KEY)
        if not isinstance(key, str):
            raise CredentialsError("invalid service_credentials: key must be a string")
        found.append(Credential(key, _viper(entry.get("value")), location))
    return tuple(found)


def load(path: str | Path) -> tuple[Credential, ...]:
    """A file holding the service_credentials array, or a daemon config object that has one."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CredentialsError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CredentialsError(f"{path}: not JSON: {exc}") from None
    if isinstance(doc, dict):
        lowered = {str(k).lower(): v for k, v in doc.items()}
        doc = lowered.get("service_credentials")
        if doc is None:
            raise CredentialsError(f"{path}: a JSON object without service_credentials")
    return parse(doc)


def of(credentials: Sequence[Credential], location: str) -> list[Credential]:
    return [c for c in credentials if c.location == location]
