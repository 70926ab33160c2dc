"""OpenAPI Overlay 1.0: how a profile variant of a contract is written as changes to the base.

Targets are JSONPath expressions limited to member access (`$.a.b`, `$['/x'].post`), which is
all this project's overlays use. `update` merges objects recursively and replaces other values;
`remove: true` deletes the target.
"""

from __future__ import annotations

import copy
import re
from typing import Any

_SEGMENT = re.compile(r"""\.([A-Za-z_][\w-]*)|\[(?:'([^']*)'|"([^"]*)")\]""")


def parse_target(target: str) -> list[str]:
    if not target.startswith("$"):
        raise ValueError(f"overlay target must start with $: {target!r}")
    keys: list[str] = []
    pos = 1
    while pos < len(target):
        match = _SEGMENT.match(target, pos)
        if match is None:
            raise ValueError(f"unsupported overlay target {target!r} at {target[pos:]!r}")
        keys.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
    return keys


def _resolve(doc: Any, keys: list[str], target: str) -> Any:
    node = doc
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise KeyError(f"overlay target {target!r} does not exist (missing {key!r})")
        node = node[key]
    return node


def merge(base: Any, update: Any) -> Any:
    if isinstance(base, dict) and isinstance(update, dict):
        merged = dict(base)
        for key, value in update.items():
            merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(update)


def apply(doc: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `doc` with the overlay's actions applied in order."""
    if not str(overlay.get("overlay", "")).startswith("1."):
        raise ValueError("not an OpenAPI Overlay 1.x document")
    result = copy.deepcopy(doc)
    for action in overlay.get("actions", []):
        target = action["target"]
        keys = parse_target(target)
        if action.get("remove"):
            parent = _resolve(result, keys[:-1], target)
            if keys[-1] not in parent:
                raise KeyError(f"overlay target {target!r} does not exist")
            del parent[keys[-1]]
        elif "update" in action:
            if not keys:
                result = merge(result, action["update"])
                continue
            parent = _resolve(result, keys[:-1], target)
            parent[keys[-1]] = merge(_resolve(result, keys, target), action["update"])
    return result
