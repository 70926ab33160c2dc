"""The snet contract of a run, made from its protos at run time (there is no fixed document).

`contract_of(settings)` is the suite's `contract=` hook: the document of `--proto` (default: the
seed's example, the same as openapi/snet.yaml), as a `Contract`; `validate(settings)` its early
check of the options (a bad --proto or --credentials is a usage error before any request).
"""

from __future__ import annotations

import functools
from typing import Any

from ..contract import Contract
from ..settings import Settings
from ..snetd.credentials import load
from ..snetd.document import document
from ..snetd.protos import compile_protos
from .daemon import API, protos_of

PERMISSIVE: dict[str, Any] = {"type": ["object", "null"]}  # where a recursive message refers to itself


def contract_of(settings: Settings) -> Contract:
    protos, includes = protos_of(settings.options)
    return _contract(tuple(protos), tuple(includes), settings.profile)


@functools.lru_cache(maxsize=16)
def _contract(protos: tuple[str, ...], includes: tuple[str, ...], profile: str) -> Contract:
    # One per run's protos: the engine asks for it several times (plan, progress, run, workers).
    doc = document(compile_protos(protos, includes))
    return Contract(API, profile, doc, inline(doc, doc, ()))


def validate(settings: Settings) -> None:
    """The protos compile and the credentials file reads as the daemon would, or one-line ValueError."""
    contract_of(settings)
    path = settings.option("credentials")
    if path:
        load(path)


def inline(node: Any, root: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """`$ref`s replaced by what they name; where a message recurs inside itself it becomes any object
    (a proto may be recursive, a resolved document cannot be)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                return dict(PERMISSIVE)
            target: Any = root
            for key in ref[2:].split("/"):
                target = target[key.replace("~1", "/").replace("~0", "~")]
            return inline(target, root, (*seen, ref))
        return {k: inline(v, root, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v, root, seen) for v in node]
    return node
