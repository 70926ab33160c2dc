"""Agents: what a service runs. A stand-in for agentUniverse's `Agent.run` without an LLM."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Emit = Callable[[Any], Awaitable[None]]


class AgentError(Exception):
    """A failure of the agent itself; its text is the task's `error_msg`."""


class InputError(AgentError):
    """The agent's input check refused the params: the caller's mistake, not the agent's."""


class Agent(Protocol):
    name: str

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        """Run with the request's `params`, emitting intermediate items; return the output dict."""
        ...


def _input(params: Mapping[str, Any]) -> Any:
    # agentUniverse's `Agent.input_check`: the message the real server sends.
    if "input" not in params:
        raise InputError("Input must have key: input.")
    return params["input"]


@dataclass
class EchoAgent:
    """The seed's demo_agent: answers `template` filled with the input."""

    name: str = "demo_agent"
    template: str = "Your input is {input}."
    delay: float = 0.0

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        text = self.template.format(input=_render(_input(params)))
        if self.delay:
            await asyncio.sleep(self.delay)
        return {"output": text}


@dataclass
class StreamingEchoAgent:
    """Streams its answer word by word, the way agentUniverse's LLM agents stream tokens."""

    name: str = "demo_stream_agent"
    description: str = "demo stream agent"
    template: str = "Your input is {input}."
    delay: float = 0.05

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        text = self.template.format(input=_render(_input(params)))
        words = text.split(" ")
        for i, word in enumerate(words):
            chunk = word if i == len(words) - 1 else word + " "
            agent_info = {"name": self.name, "description": self.description}
            await emit({"type": "token", "data": {"chunk": chunk, "agent_info": agent_info}})
            if self.delay:
                await asyncio.sleep(self.delay)
        return {"output": text}


@dataclass
class FailingAgent:
    """Always fails with `message`: a way to exercise the `fail` state."""

    name: str = "failing_agent"
    message: str = "the agent failed"

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        raise AgentError(self.message)


BUILTIN: dict[str, type[Any]] = {
    "EchoAgent": EchoAgent,
    "StreamingEchoAgent": StreamingEchoAgent,
    "FailingAgent": FailingAgent,
}


def _render(value: Any) -> str:
    # Python's str() of the input, as the real agent's f-string does (None -> "None").
    return str(value)


@dataclass
class PythonAgent:
    """A user's own class with `execute(params: dict) -> dict`, named in the agent's yaml."""

    name: str
    target: Any = field(repr=False)

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        out = self.target.execute(dict(params))
        if asyncio.iscoroutine(out):
            out = await out
        if not isinstance(out, dict):
            raise AgentError("Output type must be dict.")
        return out


def from_config(config: Mapping[str, Any]) -> Agent:
    """Build an agent from a yaml shaped like agentUniverse's agent config.

    `metadata.class` names a built-in agent (EchoAgent, StreamingEchoAgent, FailingAgent) whose
    settings come from `profile`; with `metadata.module` it names a user class to import.
    """
    info = config.get("info") or {}
    metadata = config.get("metadata") or {}
    profile = dict(config.get("profile") or {})
    name = str(info.get("name") or "")
    if not name:
        raise ValueError("agent config has no info.name")
    cls_name = str(metadata.get("class") or "EchoAgent")
    module = metadata.get("module")
    if module and cls_name not in BUILTIN:
        target = getattr(importlib.import_module(str(module)), cls_name)()
        return PythonAgent(name=name, target=target)
    if cls_name not in BUILTIN:
        raise ValueError(f"agent {name}: unknown class {cls_name!r}")
    allowed = {"template", "delay", "message", "description"}
    return BUILTIN[cls_name](name=name, **{k: v for k, v in profile.items() if k in allowed})  # type: ignore[no-any-return]
