"""A suite: the one description of an API the harness checks.

It names the API and its reference stub, derives its profiles from `openapi/`, declares its typed
options, the request hooks the generic checks use, which generic checks it takes, how its embedded
stub is built and the state one run's probes share; its own checks are declared on it:

    SUITE = Suite("toy", stub="toy_stub", options=(Option("--greeting", "greeting", "what to say"),))

    @SUITE.check("hello-answers", CORE, requires=(EXAMPLE,), ground="toy.yaml: GET /hello answers 200")
    def hello_answers(ctx: Context) -> None:
        \"\"\"GET /hello answers 200\"\"\"
        exchange = ctx.call("GET /hello")
        ctx.expect(exchange.status == 200, exchange, "status 200")

`ctx.state` is the run's state (made by `state=` on first use); a `Requirement` a run cannot meet
skips the checks that need it, with its reason.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .check import Check, Declared, Probe, ProbeFunc, Requirement, declare

if TYPE_CHECKING:
    from .context import Context
    from .contract import Contract, Operation
    from .settings import Settings


@dataclass(frozen=True)
class Option:
    """A suite's own setting: `--FLAG` on `aicontract check API`, `--contract-FLAG` under pytest.

    Its value lands in `Settings.options[dest]`; `type` converts the text given. A `repeatable`
    option collects every value given into a list (None when never given).
    """

    flag: str
    dest: str
    help: str
    default: Any = None
    type: Callable[[str], Any] = str
    repeatable: bool = False
    metavar: str | None = None

    def argument(self) -> dict[str, Any]:
        """Its argparse keywords besides the flag (the same under the CLI and pytest)."""
        given: dict[str, Any] = {"dest": self.dest, "help": self.help, "type": self.type, "metavar": self.metavar}
        if self.repeatable:
            given["action"] = "append"
        else:
            given["default"] = self.default
        return given


@dataclass(frozen=True)
class Hooks:
    """What a suite tells the generic checks about its target."""

    # Adjusts a generated valid request body so that a share of cases reach the happy path
    # (e.g. names a service that exists); returns None to leave the body as generated.
    steer: Callable[[Context, Any], Any] | None = None
    # Headers a generated request for an operation carries (e.g. an API key), unless the case sets them.
    headers: Callable[[Context, Operation], Mapping[str, str]] | None = None
    # Which operations this run can exercise (e.g. control-plane ones only with a function id).
    select: Callable[[Context, Operation], bool] | None = None
    # Where an operation is served, when not at the target's base URL (path-level `servers`).
    base_url: Callable[[Context, Operation], str | None] | None = None
    # Bytes of a body the target must refuse, when its documented cap is above the generic check's (2 MiB).
    oversized: int | None = None

    def selects(self, ctx: Context, op: Operation) -> bool:
        return self.select is None or self.select(ctx, op)


class Suite:
    """One API's checks, stub, profiles, options, hooks and per-run state."""

    def __init__(
        self,
        api: str,
        *,
        stub: str | None = None,
        options: tuple[Option, ...] = (),
        hooks: Hooks | None = None,
        generic: Collection[str] | None = None,
        app: Callable[[Settings, Collection[str]], Any] | None = None,
        state: Callable[[Context], Any] | None = None,
        contract: str | Callable[[Settings], Contract] | None = None,
        checks: tuple[str, ...] = (),
        validate: Callable[[Settings], None] | None = None,
    ) -> None:
        self.api = api
        self.check_modules = checks  # imported before its probes are first listed: they declare its checks
        self.stub = stub  # the stub's module: `create_app(profile, faults)`, `FAULTS`, serve's arguments
        self.options = options
        self.hooks = hooks or Hooks()
        # Generic checks it takes (None: every one); see `generic.GENERIC`.
        self.generic = frozenset(generic) if generic is not None else None
        self._app = app
        self.state = state  # makes the state one run's probes share, on first use (see Context.state)
        # openapi/<name>.yaml and its overlays, or a run's own contract made from its settings
        # (e.g. generated from the files an option names); see `contract_for`.
        self.contract_name = contract if isinstance(contract, str) else api
        self._contract = None if isinstance(contract, str) else contract
        self._validate = validate
        self._own: list[Probe] = []

    def __repr__(self) -> str:
        return f"Suite({self.api!r})"

    # -- declaring checks

    def probe(
        self,
        checks: Mapping[str, Declared],
        *,
        profiles: tuple[str, ...] = (),
        parts: Callable[[Contract], list[str]] | None = None,
        requires: tuple[Requirement, ...] = (),
    ) -> Callable[[ProbeFunc], ProbeFunc]:
        """Declare a probe judging several checks: `checks` maps name -> (level, description[, ground])."""

        def register(func: ProbeFunc) -> ProbeFunc:
            self.add(declare(func, checks, profiles=profiles, parts=parts, requires=requires))
            return func

        return register

    def check(
        self,
        name: str,
        level: str,
        *,
        ground: str | None = None,
        profiles: tuple[str, ...] = (),
        requires: tuple[Requirement, ...] = (),
    ) -> Callable[[ProbeFunc], ProbeFunc]:
        """Declare a probe that judges one check; its docstring's first line describes the check."""

        def register(func: ProbeFunc) -> ProbeFunc:
            text = (func.__doc__ or name).strip().splitlines()[0]
            declared: Declared = (level, text) if ground is None else (level, text, ground)
            return self.probe({name: declared}, profiles=profiles, requires=requires)(func)

        return register

    def add(self, found: Probe) -> None:
        if any(p.name == found.name for p in self._own):
            raise ValueError(f"{self.api} already has a probe named {found.name!r}")
        self._own.append(found)

    # -- what a run takes

    def probes(self) -> list[Probe]:
        """The generic probes it takes, then its own (and those added from outside)."""
        from .generic import GENERIC

        for module in self.check_modules:
            importlib.import_module(module)
        taken = []
        for p in GENERIC:
            wanted = tuple(c for c in p.checks if self.generic is None or c.name in self.generic)
            if wanted:
                declined = frozenset(c.name for c in p.checks) - {c.name for c in wanted}
                taken.append(dataclasses.replace(p, checks=wanted, declined=declined))
        return [*taken, *self._own]

    def checks(self) -> list[Check]:
        seen: dict[str, Check] = {}
        for p in self.probes():
            for c in p.checks:
                seen.setdefault(c.name, c)
        return list(seen.values())

    @functools.cached_property
    def profiles(self) -> list[str]:
        from .contract import profiles

        return profiles(self.contract_name)

    def load_contract(self, profile: str) -> Contract:
        from .contract import load

        return load(self.contract_name, profile)

    def contract_for(self, settings: Settings) -> Contract:
        """The contract a run judges by: the suite's own from its settings, else its profile's document."""
        if self._contract is not None:
            return self._contract(settings)
        return self.load_contract(settings.profile)

    def validate(self, settings: Settings) -> None:
        """Reject the suite's options before any request, with a one-line ValueError (a usage error)."""
        if self._validate is not None:
            self._validate(settings)

    def stub_module(self) -> ModuleType:
        if self.stub is None:
            raise ValueError(f"{self.api} has no reference stub: pass --base-url")
        return importlib.import_module(self.stub)

    def app(self, settings: Settings, faults: Collection[str] = ()) -> Any:
        """The embedded reference stub for this run's profile, with `faults` switched on."""
        if self._app is not None:
            return self._app(settings, faults)
        return self.stub_module().create_app(settings.profile, faults)


@dataclass
class RunState:
    """What one run's probes share: the suite's state, made on first use (in each worker process)."""

    suite: Suite
    value: Any = field(default=None, init=False)
    made: bool = field(default=False, init=False)

    def get(self, ctx: Context) -> Any:
        if not self.made:
            if self.suite.state is None:
                raise ValueError(f"{self.suite.api} declares no per-run state")
            self.value, self.made = self.suite.state(ctx), True
        return self.value
