"""The snet contract of a run, made from its protos at run time (there is no fixed document).

`spec(settings)` is the hook the engine needs in place of `spec.load(API)`: the document of
`--proto` (default: the seed's example, the same as openapi/snet.yaml), as a `Spec`.
"""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from ..snetd.document import document
from ..snetd.protos import compile_protos
from ..spec import Spec
from .daemon import API, protos_of

PERMISSIVE: dict[str, Any] = {"type": ["object", "null"]}  # where a recursive message refers to itself


def spec(settings: Settings) -> Spec:
    protos, includes = protos_of(settings.options)
    doc = document(compile_protos(protos, includes))
    return Spec(API, settings.profile, doc, inline(doc, doc, ()))


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
