"""Agents: what a service runs. A stand-in for agentUniverse's `Agent.run` without an LLM."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import string
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..config import StubConfigError
from ..workers import Workers

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
    """A user's own class with `execute(params: dict) -> dict`, named in the agent's yaml.

    A plain `execute` runs on one of the stub's worker threads (it may block as long as it likes
    without stalling other requests); an `async def execute` runs on the event loop. Whatever it
    raises is the agent's failure (the task's `error_msg`), never a crash of the stub.
    """

    name: str
    target: Any = field(repr=False)
    workers: Workers = field(repr=False, default_factory=Workers)

    async def run(self, params: Mapping[str, Any], emit: Emit) -> dict[str, Any]:
        execute = self.target.execute
        try:
            if inspect.iscoroutinefunction(execute):
                out = await execute(dict(params))
            else:
                out = await self.workers.run(execute, dict(params))
        except AgentError:
            raise
        except Exception as exc:
            raise AgentError(f"{type(exc).__name__}: {exc}") from None
        if not isinstance(out, dict):
            raise AgentError("Output type must be dict.")
        try:
            json.dumps(out, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise AgentError(f"the output is not JSON: {exc}") from None
        return out


def from_config(config: Mapping[str, Any], workers: Workers | None = None) -> Agent:
    """Build an agent from a yaml shaped like agentUniverse's agent config.

    `metadata.class` names a built-in agent (EchoAgent, StreamingEchoAgent, FailingAgent) whose
    settings come from `profile`; with `metadata.module` it names a user class to import.
    """
    info, metadata, profile = (config.get(part) or {} for part in ("info", "metadata", "profile"))
    if not all(isinstance(part, Mapping) for part in (info, metadata, profile)):
        raise StubConfigError("agent config: info, metadata and profile must be mappings")
    name = str(info.get("name") or "")
    if not name:
        raise StubConfigError("agent config has no info.name")
    cls_name = str(metadata.get("class") or "EchoAgent")
    module = metadata.get("module")
    if module and cls_name not in BUILTIN:
        try:
            target = getattr(importlib.import_module(str(module)), cls_name)()
        except Exception as exc:  # whatever the user's module raises on import: one line, not a traceback
            reason = f"{type(exc).__name__}: {exc}"
            raise StubConfigError(f"agent {name}: {module}.{cls_name} does not load: {reason}") from None
        if not callable(getattr(target, "execute", None)):
            raise StubConfigError(f"agent {name}: {module}.{cls_name} has no execute(params) method")
        return PythonAgent(name=name, target=target, workers=workers or Workers())
    if cls_name not in BUILTIN:
        raise StubConfigError(f"agent {name}: unknown class {cls_name!r}")
    allowed = {"template", "delay", "message", "description"}
    settings = {k: v for k, v in profile.items() if k in allowed}
    _check_template(name, settings.get("template", "{input}"))
    delay = settings.get("delay", 0)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 3600:
        raise StubConfigError(f"agent {name}: profile.delay must be a number of seconds from 0 to 3600")
    try:
        return BUILTIN[cls_name](name=name, **settings)  # type: ignore[no-any-return]
    except TypeError as exc:
        raise StubConfigError(f"agent {name}: {exc}") from None


def _check_template(agent: str, template: Any) -> None:
    """A template may name only {input}: anything else would fail on every run."""
    if not isinstance(template, str):
        raise StubConfigError(f"agent {agent}: profile.template must be a string")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise StubConfigError(f"agent {agent}: profile.template {template!r}: {exc}") from None
    if fields - {"input"}:
        others = ", ".join(sorted(fields - {"input"}))
        raise StubConfigError(f"agent {agent}: profile.template may use only {{input}}, not {{{others}}}")
