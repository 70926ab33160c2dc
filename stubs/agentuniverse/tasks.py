"""Task records of runs, in SQLite: in memory by default, or a file that survives a restart."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from ..config import StubConfigError

INIT, RUNNING, FINISHED, FAIL, CANCELED = "init", "running", "finished", "fail", "canceled"
TERMINAL = frozenset({FINISHED, FAIL, CANCELED})
# What an in-memory store keeps at most (see the README): the newest records, by count and by size.
MAX_TASKS = 100_000
MAX_TASK_BYTES = 256 << 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS request_task (
    request_id   TEXT PRIMARY KEY,
    service_id   TEXT NOT NULL,
    query        TEXT NOT NULL,
    state        TEXT NOT NULL,
    result       TEXT,
    steps        TEXT NOT NULL DEFAULT '[]',
    gmt_create   REAL NOT NULL,
    gmt_modified REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Task:
    request_id: str
    service_id: str
    state: str
    result: Any  # None until the run ends; then {"output": ...} or {"error_msg": ...}
    steps: list[Any]


class TaskStore:
    """One connection, used only from the event loop's thread (the stub's handlers are async).

    `max_tasks` and `max_bytes` keep the newest records only (the documented profile stores every
    run, so an in-memory store under load would otherwise grow without end); None keeps all. The
    oldest records go by count every 1024 new ones, and by size once an eighth of `max_bytes` was
    written since the last look.
    A file that cannot be opened as the store is a StubConfigError.
    """

    _PRUNE_EVERY = 1024

    def __init__(self, path: str = ":memory:", max_tasks: int | None = None, max_bytes: int | None = None) -> None:
        self._max = max_tasks
        self._max_bytes = max_bytes
        self._inserts = 0
        self._written = 0  # bytes stored since the last prune
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            # A run that was under way when the previous process stopped can never end now.
            self._db.execute(
                "UPDATE request_task SET state=?, result=? WHERE state IN (?, ?)",
                (FAIL, json.dumps({"error_msg": "interrupted: the server stopped during the run"}), INIT, RUNNING),
            )
        except sqlite3.Error as exc:
            raise StubConfigError(f"--db {path}: cannot keep task records there: {exc}") from None

    def create(self, request_id: str, service_id: str, query: Any, state: str = INIT) -> None:
        now = time.time()
        text = json.dumps(query, ensure_ascii=False)
        self._db.execute(
            "INSERT OR REPLACE INTO request_task VALUES (?, ?, ?, ?, NULL, '[]', ?, ?)",
            (request_id, service_id, text, state, now, now),
        )
        self._inserts += 1
        self._wrote(len(text), due=self._inserts % self._PRUNE_EVERY == 0)

    def _wrote(self, size: int, *, due: bool = False) -> None:
        self._written += size
        if due and self._max is not None:
            self._db.execute(
                "DELETE FROM request_task WHERE rowid <= (SELECT MAX(rowid) FROM request_task) - ?", (self._max,)
            )
        # Summing every record's size scans the whole table: only once an eighth of the budget is new.
        if self._max_bytes is not None and self._written > self._max_bytes // 8:
            self._prune_bytes()

    def _prune_bytes(self) -> None:
        self._written = 0
        if self._max_bytes is not None:
            self._db.execute(
                "DELETE FROM request_task WHERE rowid IN (SELECT rowid FROM (SELECT rowid, SUM(length(query)"
                " + coalesce(length(result), 0) + length(steps)) OVER (ORDER BY rowid DESC) AS kept"
                " FROM request_task) WHERE kept > ?)",
                (self._max_bytes,),
            )

    def update(self, request_id: str, state: str, result: Any = None, steps: list[Any] | None = None) -> None:
        outcome = None if result is None else json.dumps(result, ensure_ascii=False)
        trail = json.dumps(steps or [], ensure_ascii=False)
        self._db.execute(
            "UPDATE request_task SET state=?, result=?, steps=?, gmt_modified=? WHERE request_id=?",
            (state, outcome, trail, time.time(), request_id),
        )
        self._wrote(len(outcome or "") + len(trail))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM request_task").fetchone()[0])

    def get(self, request_id: str) -> Task | None:
        row = self._db.execute(
            "SELECT request_id, service_id, state, result, steps FROM request_task WHERE request_id=?",
            (request_id,),
        ).fetchone()
        if row is None:
            return None
        result = None if row[3] is None else json.loads(row[3])
        return Task(row[0], row[1], row[2], result, json.loads(row[4]))

    def close(self) -> None:
        self._db.close()
