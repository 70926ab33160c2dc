"""Server-Sent Events, parsed as the WHATWG spec says a browser would."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Event:
    event: str
    data: str
    id: str | None


def parse(body: bytes) -> list[Event]:
    """Complete events only: text after the last blank line is an unfinished event and is dropped."""
    text = body.decode("utf-8", "replace")
    events: list[Event] = []
    data: list[str] = []
    name, last_id = "", None
    lines = _LINES.split(text)
    for line in lines[:-1]:  # the last piece has no line ending yet
        if line == "":
            if data:
                events.append(Event(name or "message", "\n".join(data), last_id))
            data, name = [], ""
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            data.append(value)
        elif field == "event":
            name = value
        elif field == "id":
            last_id = value
    return events
