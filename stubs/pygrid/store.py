"""The models a node holds, in SQLite: in memory by default, or a file that survives a restart.

One row per model: its bytes exactly as received, the codec they travelled in, and its two
permissions. `seq` keeps upload order for `/models`.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS ml_model (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    model BLOB NOT NULL,
    encoding TEXT NOT NULL,
    allow_download INTEGER NOT NULL,
    allow_remote_inference INTEGER NOT NULL
)
"""


@dataclass(frozen=True)
class Model:
    id: str
    data: bytes
    encoding: str
    allow_download: bool
    allow_remote_inference: bool


class Duplicate(Exception):
    """A model with this id is already stored."""


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        # One connection shared by the server's threads, serialised by a lock (SQLite's own
        # locking is per connection; one connection keeps an in-memory database alive).
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            self._db.execute(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, model: Model, *, replace: bool = False) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        row = (model.id, model.data, model.encoding, int(model.allow_download), int(model.allow_remote_inference))
        with self._lock:
            try:
                self._db.execute(
                    f"{verb} INTO ml_model (id, model, encoding, allow_download, allow_remote_inference) "
                    "VALUES (?, ?, ?, ?, ?)",
                    row,
                )
            except sqlite3.IntegrityError:
                raise Duplicate(model.id) from None

    def get(self, model_id: str) -> Model | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, model, encoding, allow_download, allow_remote_inference FROM ml_model WHERE id = ?",
                (model_id,),
            ).fetchone()
        if row is None:
            return None
        return Model(row[0], bytes(row[1]), row[2], bool(row[3]), bool(row[4]))

    def ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT id FROM ml_model ORDER BY seq")]

    def remove(self, model_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM ml_model WHERE id = ?", (model_id,)).rowcount > 0

    def sizes(self) -> list[tuple[str, int, bool, bool]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, length(model), allow_download, allow_remote_inference FROM ml_model ORDER BY seq"
            ).fetchall()
        return [(r[0], int(r[1]), bool(r[2]), bool(r[3])) for r in rows]
