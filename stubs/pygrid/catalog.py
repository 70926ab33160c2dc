"""What a node holds besides models: tagged datasets and SMPC-encrypted model records.

The real node gets both over its socket.io channel (syft tensors, encrypted plans), which no REST
client can reach; the stub takes them from a YAML seed file, CLI flags or this Python API:

    datasets:
      - tags: ["#boston", "#housing"]
        description: Boston housing prices
      - {id: mnist, tags: ["#mnist"]}
    encrypted_models:
      - model_id: smpc-linear
        workers: [[alice, "http://127.0.0.1:3000"], [bob, "http://127.0.0.1:3001"]]
        crypto_provider: [james, "http://127.0.0.1:3002"]
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Address = tuple[str, str]  # a worker's (id, url)


@dataclass(frozen=True)
class Dataset:
    tags: tuple[str, ...]
    description: str = ""
    id: str = ""

    def matches(self, item: str) -> bool:
        """The real node's match of one query item against one object: its id, a tag or its description."""
        return item == self.id or item in self.tags or (bool(self.description) and item == self.description)


@dataclass(frozen=True)
class EncryptedModel:
    model_id: str
    workers: tuple[Address, ...]
    crypto_provider: Address


@dataclass
class Catalog:
    datasets: list[Dataset] = field(default_factory=list)
    encrypted: dict[str, EncryptedModel] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def add_dataset(self, tags: Sequence[str], description: str = "", id: str | None = None) -> Dataset:
        if not tags or not all(isinstance(t, str) and t for t in tags):
            raise ValueError("a dataset needs one or more non-empty string tags")
        with self._lock:
            found = Dataset(tuple(tags), description, id or f"dataset-{next(self._ids)}")
            self.datasets.append(found)
        return found

    def add_encrypted_model(
        self, model_id: str, workers: Sequence[Address | str], crypto_provider: Address | str
    ) -> EncryptedModel:
        if not model_id:
            raise ValueError("an encrypted model needs a model_id")
        if not workers:
            raise ValueError(f"encrypted model {model_id}: give one or more workers")
        found = EncryptedModel(
            model_id,
            tuple(_address(w, f"worker{i}") for i, w in enumerate(workers, 1)),
            _address(crypto_provider, "crypto_provider"),
        )
        with self._lock:
            self.encrypted[model_id] = found
        return found

    def tags(self) -> list[str]:
        with self._lock:
            return sorted({t for d in self.datasets for t in d.tags})

    def holds_all(self, query: Sequence[str]) -> bool:
        """Documented: the node holds every queried tag (on any of its datasets)."""
        held = set(self.tags())
        return all(q in held for q in query)

    def one_matches_all(self, query: Sequence[str]) -> bool:
        """Upstream: one object matches every query item (an empty query: anything is held)."""
        with self._lock:
            return any(all(d.matches(q) for q in query) for d in self.datasets)

    def load(self, path: Path) -> None:
        """Add what a YAML seed file declares; ValueError says what is wrong with it."""
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"seed file {path}: {' '.join(str(exc).split())}") from None  # one line
        if not isinstance(doc, dict) or set(doc) - {"datasets", "encrypted_models"}:
            raise ValueError(f"seed file {path}: expected a mapping of datasets and encrypted_models")
        for entry in _entries(doc, "datasets", path):
            tags = entry.get("tags")
            if not isinstance(tags, list):
                raise ValueError(f"seed file {path}: a dataset needs a list of tags")
            self.add_dataset([str(t) for t in tags], str(entry.get("description", "")), _opt(entry.get("id")))
        for entry in _entries(doc, "encrypted_models", path):
            workers = entry.get("workers")
            if not isinstance(workers, list):
                raise ValueError(f"seed file {path}: an encrypted model needs a list of workers")
            self.add_encrypted_model(str(entry.get("model_id", "")), workers, entry.get("crypto_provider", ""))


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _entries(doc: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    found = doc.get(key) or []
    if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
        raise ValueError(f"seed file {path}: {key} must be a list of mappings")
    return found


def _address(value: Any, default_id: str) -> Address:
    """`[id, url]`, `{id, url}`, `id=url` or a bare URL (its id then defaults)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return (str(value[0]), str(value[1]))
    if isinstance(value, dict) and "url" in value:
        return (str(value.get("id", default_id)), str(value["url"]))
    if isinstance(value, str) and value:
        head, sep, tail = value.partition("=")
        if sep and "://" not in head:
            return (head, tail)
        return (default_id, value)
    raise ValueError(f"not a worker address: {value!r} (give [id, url], id=url or a URL)")
