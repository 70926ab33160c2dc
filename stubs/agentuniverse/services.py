"""The service registry: service id -> agent, as agentUniverse's service yaml files declare it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import StubConfigError
from ..workers import Workers
from .agents import Agent, EchoAgent, StreamingEchoAgent, from_config


@dataclass(frozen=True)
class Service:
    name: str
    description: str
    agent: Agent


def default_services() -> dict[str, Service]:
    """The seed's demo_service, plus a streaming twin that emits intermediate items."""
    return {
        "demo_service": Service("demo_service", "A demo service used for explaining.", EchoAgent()),
        "demo_stream_service": Service(
            "demo_stream_service", "A demo service that streams tokens.", StreamingEchoAgent()
        ),
    }


def load_services(paths: Iterable[Path], workers: Workers | None = None) -> dict[str, Service]:
    """Read agent and service yaml files (files or folders of them) into services.

    Files are told apart by `metadata.type` (`AGENT` or `SERVICE`), as agentUniverse does; a
    file that cannot be read or is not such a yaml is a StubConfigError naming it. Custom agents
    run their `execute()` on `workers`.
    """
    import yaml  # only when asked: keeps the stub's start-up lean

    agents: dict[str, Agent] = {}
    services: list[Mapping[str, Any]] = []
    for path in paths:
        files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        for file in files:
            try:
                doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                reason = _reason(exc)
                raise StubConfigError(f"--services {file}: not a readable yaml file: {reason}") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("metadata") or {}, dict):
                raise StubConfigError(f"--services {file}: expected a mapping with metadata.type AGENT or SERVICE")
            kind = str((doc.get("metadata") or {}).get("type", "")).upper()
            if kind == "AGENT":
                agent = from_config(doc, workers)
                agents[agent.name] = agent
            elif kind == "SERVICE":
                services.append(doc)
    found = default_services()
    known = {s.agent.name: s.agent for s in found.values()} | agents
    for doc in services:
        name, agent_name = str(doc.get("name", "")), str(doc.get("agent", ""))
        if not name or agent_name not in known:
            raise StubConfigError(f"service {name!r}: unknown agent {agent_name!r}")
        found[name] = Service(name, str(doc.get("description", "")), known[agent_name])
    return found


def _reason(exc: Exception) -> str:
    """One line: yaml's own messages take several (context, problem, a quoted excerpt)."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return (str(exc).splitlines() or [type(exc).__name__])[0]
