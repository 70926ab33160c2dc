"""`aicontract replay REPORT.json [ID ...]`: send a reported request again and judge the answer again.

So a developer can check a fix without the whole suite. Each answer is judged twice:
- against the contract for its operation (status, media type, schema), whatever the check was;
- by the check's own expectation: re-judged exactly for the checks whose verdict rests on one
  answer (the generated-case checks); for a check that judged a sequence of requests, the answer
  is compared with the one that failed (the same status and shape: most likely not fixed yet).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import fuzz
from .conformance import problems
from .contract import Contract, Operation
from .exchange import Exchange, Received
from .violation import sent_of
from .visible import visible

STILL, FIXED, CHANGED = "still fails", "fixed", "answer changed"


@dataclass(frozen=True)
class Replayed:
    id: str
    check: str
    operation: str
    verdict: str  # STILL, FIXED or CHANGED
    exchange: Exchange
    conformance: list[tuple[str, str]]  # how the answer departs from the contract ([]: it conforms)
    how: str  # the check's expectation, judged again (or why it cannot be)

    def render(self) -> str:
        lines = [visible(f"{self.id} [{self.check}] {self.operation}: {self.verdict}")]
        lines.append(f"  {'got:':<13}{visible(self.exchange.outcome())}")
        lines.append(f"  {'check:':<13}{visible(self.how)}")
        if self.conformance:
            for expected, actual in self.conformance:
                lines.append(f"  {'contract:':<13}{visible(f'expected {expected}, got {actual}')}")
        else:
            lines.append(f"  {'contract:':<13}the answer conforms to the contract for {visible(self.operation)}")
        return "\n".join(lines)


def _rejected(op: Operation, received: Received) -> bool:
    return received.status >= 400 and op.response(received.status) is not None


# Checks whose verdict rests on one answer: judged again exactly (None: holds; text: how it fails).
def _no_5xx(op: Operation, exchange: Exchange) -> str | None:
    got = exchange.received
    return exchange.outcome() if got is None or got.status >= 500 else None


def _rejection(op: Operation, exchange: Exchange) -> str | None:
    got = exchange.received
    if got is None or op.raw.get("x-invalid-input-deferred") or _rejected(op, got):
        return None
    return f"status {got.status} for an invalid request (expected a documented error status)"


def _documented(op: Operation, exchange: Exchange) -> str | None:
    found = problems(op, exchange)
    return "; ".join(f"expected {e}, got {a}" for e, a in found) or None


JUDGES: dict[str, Callable[[Operation, Exchange], str | None]] = {
    fuzz.NO_5XX: _no_5xx,
    fuzz.REJECTION: _rejection,
    fuzz.CONFORMANCE: _documented,
    fuzz.ERROR_DOCUMENTED: _documented,
}


def _same_answer(before: dict[str, Any] | None, after: Exchange) -> bool:
    if before is None or after.received is None:
        return before is None and after.received is None
    return bool(before["status"] == after.received.status)


def rebased(url: str, report_target: str, base_url: str | None) -> str:
    """`url` sent to `base_url` instead (keeping the path below the report's target, or its path)."""
    if not base_url:
        return url
    new = base_url.rstrip("/")
    old = report_target.rstrip("/")
    if old.startswith(("http://", "https://")) and url.startswith(old):
        return new + url[len(old) :]
    parts, target = urlsplit(url), urlsplit(new)
    return urlunsplit((target.scheme, target.netloc, target.path.rstrip("/") + parts.path, parts.query, ""))


def findings(report: dict[str, Any], ids: list[str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The (check, violation) pairs of the report with these ids (every one when no id is given)."""
    found = [(c, v) for c in report["checks"] for v in c["violations"]]
    if not ids:
        return found
    chosen = [(c, v) for c, v in found if v["id"] in ids]
    missing = sorted(set(ids) - {v["id"] for _, v in chosen})
    if missing:
        raise ValueError(f"no violation {', '.join(missing)} in the report")
    return chosen


def replay_one(contract: Contract, check: dict[str, Any], violation: dict[str, Any], client: Any, url: str) -> Replayed:
    """Send the violation's request again (to `url`) and judge what comes back."""
    data = violation.get("request_data")
    if data is None:
        raise ValueError(f"{violation['id']}: the report holds no request data to replay")
    sent = sent_of({**data, "url": url})
    operation = violation["operation"]
    try:
        op: Operation | None = contract.operation(operation)
    except (KeyError, ValueError):
        op = None
    streamed = op is not None and fuzz.streams(op)
    exchange = client.send_stream(operation, sent) if streamed else client.send(operation, sent)
    conformance = problems(op, exchange) if op is not None else []
    judge = JUDGES.get(check["name"])
    if judge is not None and op is not None:
        failure = judge(op, exchange)
        verdict = STILL if failure else FIXED
        how = f"{check['name']}: {failure}" if failure else f"{check['name']}: holds for this request"
    elif _same_answer(violation.get("response_data"), exchange):
        verdict = STILL
        how = f"{check['name']} judged a sequence of requests; this one is answered as when it failed"
    else:
        verdict = CHANGED
        how = f"{check['name']} judged a sequence of requests; this answer differs: run the check to confirm the fix"
    if op is None:
        conformance = [(f"{operation} documented by the contract", "an operation it does not document")]
    return Replayed(violation["id"], check["name"], operation, verdict, exchange, conformance, how)


def replay(path: Path, ids: list[str], base_url: str | None, timeout: float) -> tuple[list[Replayed], int]:
    """Replay the report's violations: what came back of each, and the exit status (1: one still fails)."""
    from .client import Client
    from .settings import Bounds
    from .suites import REGISTRY

    try:
        report = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read report {path}: {exc}") from None
    if not isinstance(report, dict) or "checks" not in report:
        raise ValueError(f"{path} is not a run report of aicontract")
    contract = REGISTRY.get(report["api"]).load_contract(report["profile"])
    chosen = findings(report, ids)
    out = []
    for check, violation in chosen:
        url = rebased(violation["request_data"]["url"], report["target"], base_url)
        with Client(url, Bounds(timeout=timeout)) as client:
            out.append(replay_one(contract, check, violation, client, url))
    return out, 1 if any(r.verdict == STILL for r in out) else 0
