"""The Grid Node's behaviour, whatever carries the request: store, permissions, inference, search.

Each operation takes the request's fields already read (a JSON object or form fields) and returns
the answer's body, or raises a NodeRefusal. The profile decides what the node accepts and how it
answers: `documented` (the seed) or `upstream` (the real node at 466f5b3, with the 4xx the document
intends where that node crashes).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import codec, inference
from .catalog import Catalog
from .store import Duplicate, Model, Store
from .wire import NodeRefusal

DOCUMENTED, UPSTREAM = "documented", "upstream"
PROFILES = (DOCUMENTED, UPSTREAM)

NOT_ALLOWED_DOWNLOAD = "You're not allowed to download this model."
NOT_ALLOWED_INFERENCE = "You're not allowed to run inference on this model."
INVALID_PAYLOAD = "Invalid payload format"
MAX_ID = 256  # characters in a model id (the real node's column is String(64); it does not enforce it)
_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


@dataclass(frozen=True)
class Limits:
    body: int = 32 << 20  # bytes of a request body (a model travels decoded, so up to 2x its size and more)
    model: int = 16 << 20  # bytes of a model, once re-encoded
    data: int = 4 << 20  # bytes of inference data, once re-encoded


class Node:
    def __init__(self, profile: str, faults: frozenset[str], store: Store, catalog: Catalog, limits: Limits) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; pygrid has {', '.join(PROFILES)}")
        self.profile, self.faults, self.store, self.catalog, self.limits = profile, faults, store, catalog, limits
        self.runner = inference.Runner()
        # The real node checks duplicates against an in-memory cache of the models it loaded since
        # it started; an id only in its database hits SQLite's UNIQUE constraint instead.
        self._cached: set[str] = set()
        self._lock = threading.Lock()

    @property
    def upstream(self) -> bool:
        return self.profile == UPSTREAM

    def _fail(self, status: int, error: str, **extra: Any) -> NodeRefusal:
        """A model route's refusal: upstream puts `success: false` before the error."""
        return NodeRefusal(
            status, {"success": False, **extra, "error": error} if self.upstream else {**extra, "error": error}
        )

    # -- fields -------------------------------------------------------------------------------

    def _text(self, fields: Mapping[str, Any], name: str, *, form: bool) -> str:
        if name not in fields:
            if self.upstream:
                raise NodeRefusal.key_error(name)
            raise NodeRefusal.of(400, f"missing field {name!r}")
        value = fields[name]
        if not isinstance(value, str):
            raise NodeRefusal.of(400, f"{name} must be a string")
        return value

    def _flag(self, fields: Mapping[str, Any], name: str, *, form: bool) -> bool:
        if name not in fields:
            if self.upstream:
                raise NodeRefusal.key_error(name)
            raise NodeRefusal.of(400, f"missing field {name!r}")
        value = fields[name]
        if self.upstream:
            # `request.form[name] == "True"`: anything else is false, silently.
            if "exact-true-ignored" in self.faults and isinstance(value, str):
                return str(value).lower() == "true"
            return bool(value == "True")
        if isinstance(value, bool) and not form:
            return value
        if isinstance(value, str):
            if "form-false-taken-true" in self.faults and form:
                return bool(value)
            if value.strip().lower() in _TRUE:
                return True
            if value.strip().lower() in _FALSE:
                return False
        raise NodeRefusal.of(400, f"{name} must be a boolean (true/false, or the strings True/False)")

    def _model_id(self, value: str) -> str:
        if not value and not self.upstream:
            raise NodeRefusal.of(400, "model_id must not be empty")
        if len(value) > MAX_ID:
            raise NodeRefusal.of(400, f"model_id longer than {MAX_ID} characters")
        return value

    # -- models ------------------------------------------------------------------------------

    def serve(self, fields: Mapping[str, Any], *, form: bool) -> dict[str, Any]:
        name = self._text(fields, "encoding", form=form)
        model_id = self._model_id(self._text(fields, "model_id", form=form))
        download = self._flag(fields, "allow_download", form=form)
        remote = self._flag(fields, "allow_remote_inference", form=form)
        text = self._text(fields, "model", form=form)
        name = codec.check(name, lossless=not self.upstream)
        data = codec.to_bytes(text, name, "the model")
        if len(data) > self.limits.model and "no-body-limit" not in self.faults:
            raise NodeRefusal.of(413, f"the model is larger than {self.limits.model} bytes")
        if "flags-swapped" in self.faults:
            download, remote = remote, download
        model = Model(model_id, data, name, download, remote)
        if self.upstream and not inference.looks_like_syft(data):
            if self.store.get(model_id) is not None:
                self._store(model)  # the real node's conflict comes before it deserializes: a 409
            raise inference.syft_refusal(data, "model")
        self._store(model)
        answer: dict[str, Any] = {"success": "upload-success-false" not in self.faults}
        answer["message"] = f"Model saved with id: {model_id}"
        if "missing-success" in self.faults:
            del answer["success"]
        return answer

    def _store(self, model: Model) -> None:
        with self._lock:
            if self.upstream and model.id in self._cached:
                raise self._fail(409, f"Model with id: {model.id} already eixsts.")
            try:
                self.store.add(model, replace="duplicate-overwritten" in self.faults)
            except Duplicate:
                if not self.upstream:
                    raise NodeRefusal.of(409, f"Model with id: {model.id} already eixsts.") from None
                self._cached.add(model.id)
                raise self._fail(409, _integrity_error(model)) from None
            self._cached.add(model.id)
            self.runner.forget(model.data)

    def delete(self, fields: Mapping[str, Any], *, form: bool) -> dict[str, Any]:
        model_id = self._text(fields, "model_id", form=form)
        found = self.store.get(model_id)
        if found is None and "delete-unknown-succeeds" not in self.faults:
            raise self._fail(404, "Model not found." if self.upstream else "Model not found!")
        if found is not None and "delete-keeps-model" not in self.faults:
            with self._lock:
                self.store.remove(model_id)
                self._cached.discard(model_id)
            self.runner.forget(found.data)
        return {"success": True, "message": "Model deleted with success!"}

    def models(self) -> Any:
        ids = [] if "upload-not-listed" in self.faults else self.store.ids()
        if "models-bare-list" in self.faults:
            return ids
        if "missing-success" in self.faults:
            return {"models": ids}
        return {"success": True, "models": ids}

    def detailed_models(self) -> dict[str, Any]:
        """The real node's web-UI listing (undocumented): flags and `sys.getsizeof` of each blob."""
        rows = [
            {"allow_download": d, "id": i, "allow_remote_inference": r, "model_size": f"{(n + 33) / 1000:.3f}KB"}
            for i, n, d, r in self.store.sizes()
        ]
        return {"success": True, "models": rows}

    def _model(self, model_id: str) -> Model | None:
        return self.store.get(model_id)

    def copy_allowed(self, model_id: str) -> tuple[int, dict[str, Any]]:
        found = self._model(model_id)
        if found is None:
            if self.upstream:
                return 200, {"success": False, "error": "Model not found."}
            raise NodeRefusal.of(404, "Model not found.")
        if found.allow_download or "copy-allowed-ignores-flag" in self.faults:
            return 200, {"success": True}
        return 200, {"success": False, "error": NOT_ALLOWED_DOWNLOAD}

    def download(self, model_id: str) -> dict[str, Any]:
        found = self._model(model_id)
        if found is None:
            if "unknown-model-500" in self.faults:
                raise NodeRefusal(500, html="")  # the real node's crash on its misspelt not-found constant
            raise NodeRefusal.of(404, "Model not found.")
        if not found.allow_download and "download-permission-ignored" not in self.faults:
            raise NodeRefusal.of(403, NOT_ALLOWED_DOWNLOAD)
        data = found.data
        if "model-bytes-altered" in self.faults and data:
            data = data[:-1] + bytes([data[-1] ^ 0x01])
        # The real node answers ISO-8859-1 whatever the upload named; the document: the upload's codec.
        key = "model" if "download-wrong-key" in self.faults else "serialized_model"
        return {key: codec.to_text(data, "ISO-8859-1" if self.upstream else found.encoding)}

    def infer(self, model_id: str, fields: Mapping[str, Any], *, form: bool) -> dict[str, Any]:
        key = "success" if self.upstream else "status"
        name = self._text(fields, "encoding", form=form)
        if "data" not in fields:
            if self.upstream:
                raise NodeRefusal.key_error("data")
            raise NodeRefusal.of(400, "missing field 'data'")
        raw = fields["data"]
        found = self._model(model_id)
        if found is None:
            raise NodeRefusal(404, {key: False, "error": "Model not found."})
        if not found.allow_remote_inference and "inference-permission-ignored" not in self.faults:
            extra = {"not_allowed": True} if self.upstream else {}
            raise NodeRefusal(403, {key: False, **extra, "error": NOT_ALLOWED_INFERENCE})
        encoded = None
        if isinstance(raw, str):
            name = codec.check(name, lossless=not self.upstream)
            encoded = codec.to_bytes(raw, name, "data")
            if len(encoded) > self.limits.data and "no-body-limit" not in self.faults:
                raise NodeRefusal.of(413, f"data larger than {self.limits.data} bytes")
        elif self.upstream or not isinstance(raw, list):
            raise NodeRefusal.of(
                400, "data must be a string (the serialized input decoded with encoding) or a JSON array"
            )
        prediction = self._predict(found, raw, encoded, name)
        return {key: True, "prediction": prediction}

    def _predict(self, model: Model, raw: Any, encoded: bytes | None, name: str) -> Any:
        if encoded is not None and (inference.looks_like_syft(model.data) or self.upstream):
            if self.upstream and not inference.looks_like_syft(encoded):
                raise inference.syft_refusal(encoded, "data")
            known = inference.recorded(model.data, encoded)
            if known is None:
                raise NodeRefusal.of(
                    422,
                    "this node never deserializes syft payloads: it answers only the recorded model and input "
                    "(shared/spec/pygrid-data); serve an ONNX model for real inference",
                )
            return _plus_one(known) if "wrong-prediction" in self.faults else known
        if self.upstream:
            raise NodeRefusal.of(400, "data must be a syft-serialized tensor decoded with encoding")
        given = inference.parse_data(raw, encoded)
        output = self.runner.run(model.data, given)
        if "wrong-prediction" in self.faults:
            output = output + 1
        if given.npy:
            return codec.to_text(inference.encode_npy(output), name)
        import numpy as np

        if not np.all(np.isfinite(output)):
            raise NodeRefusal.of(422, "the prediction holds NaN or infinity, which JSON cannot carry: send .npy data")
        return output.tolist()

    # -- search ------------------------------------------------------------------------------

    def search_encrypted(self, doc: Any) -> dict[str, Any]:
        if not isinstance(doc, dict) or not isinstance(doc.get("model_id"), str) or not doc["model_id"]:
            raise NodeRefusal.of(400, INVALID_PAYLOAD)
        found = self.catalog.encrypted.get(doc["model_id"])
        if found is None:
            if "unknown-smpc-200" in self.faults:
                return {"workers": [], "crypto_provider": []}
            raise NodeRefusal.of(404, "Model ID not found!")
        workers = list(found.workers)
        if "smpc-workers-wrong" in self.faults:
            workers = workers[:-1]
        if self.upstream:
            return {"workers": [list(w) for w in workers], "crypto_provider": list(found.crypto_provider)}
        return {"workers": [url for _, url in workers], "crypto_provider": [found.crypto_provider[1]]}

    def dataset_tags(self) -> Any:
        tags = self.catalog.tags()
        return {"tags": tags} if "dataset-tags-wrapped" in self.faults else tags

    def search(self, doc: Any) -> bool:
        """Raises NodeRefusal(400); upstream's missing `query` is the empty-bodied 400 (status 400, body None)."""
        if not isinstance(doc, dict):
            raise NodeRefusal.of(400, INVALID_PAYLOAD)
        if "query" not in doc:
            if self.upstream:
                raise NodeRefusal(400)  # an empty JSON body, as the real node's view answers
            raise NodeRefusal.of(400, INVALID_PAYLOAD)
        query = doc["query"]
        if self.upstream and isinstance(query, str):
            query = list(query)  # the real node iterates over a string's characters
        if not isinstance(query, list) or not all(isinstance(q, str) for q in query):
            raise NodeRefusal.of(400, INVALID_PAYLOAD)
        if "search-partial-match" in self.faults:
            held = set(self.catalog.tags())
            return any(q in held for q in query)
        return self.catalog.one_matches_all(query) if self.upstream else self.catalog.holds_all(query)


def _plus_one(value: Any) -> Any:
    if isinstance(value, list):
        return [_plus_one(v) for v in value]
    return value + 1 if isinstance(value, int | float) else value


def _integrity_error(model: Model) -> str:
    """SQLAlchemy's text for the UNIQUE violation the real node answers after a restart (#79)."""
    flags = f"{int(model.allow_download)}, {int(model.allow_remote_inference)}"
    return (
        "(sqlite3.IntegrityError) UNIQUE constraint failed: ml_model.id\n"
        "[SQL: INSERT INTO ml_model (id, model, allow_download, allow_remote_inference) VALUES (?, ?, ?, ?)]\n"
        f"[parameters: ('{model.id}', <memory at 0x{id(model) & 0xFFFFFFFFFFFF:012x}>, {flags})]\n"
        "(Background on this error at: http://sqlalche.me/e/gkpj)"
    )
