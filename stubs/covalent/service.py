"""Function services as Covalent defines them: an initializer plus endpoints, declared with decorators.

from aicontract.stubs.covalent import create_app, service

@service(title="Scaler", tags=["demo"])
def scaler(factor: float = 2.0) -> dict[str, float]:
    return {"factor": factor}          # the endpoints' default arguments

@scaler.endpoint("/scale", description="multiply x by the factor")
def scale(x: float, factor: float) -> float:
    return x * factor

@scaler.endpoint("/count", streaming=True)
def count(upto: int = 3):              # a (sync or async) generator of str or bytes chunks
    for i in range(upto):
        yield f"{i}\\n"

app = create_app(services=[scaler])    # POST /<function id>/scale {"x": 3} -> 6.0
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from .arguments import Signature

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_ROUTE = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Endpoint:
    route: str  # e.g. "/hello"
    func: Callable[..., Any]
    streaming: bool
    description: str
    method: str
    name: str
    signature: Signature

    @property
    def client_method(self) -> str:
        """The SDK's method name for this route: `/custom-endpoint` -> `custom_endpoint`."""
        return self.route.lstrip("/").replace("-", "_")


@dataclass
class Service:
    """A function service: `initializer(**init_kwargs)` returns the endpoints' default arguments."""

    initializer: Callable[..., Mapping[str, Any]]
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    auth: bool = True
    function_id: str | None = None  # None: derived from the title, so it is stable across restarts
    endpoints: list[Endpoint] = field(default_factory=list)

    @property
    def id(self) -> str:
        if self.function_id is not None:
            return self.function_id
        # 24 hex digits, like Covalent's ids.
        return hashlib.sha256(self.title.encode()).hexdigest()[:24]

    def endpoint(
        self,
        route: str,
        *,
        streaming: bool = False,
        description: str | None = None,
        name: str | None = None,
        method: str = "POST",
    ) -> Callable[[F], F]:
        """Declare an endpoint. Its keyword arguments default to the initializer's values of the same name."""
        route = route if route.startswith("/") else "/" + route
        if not _ROUTE.match(route):
            raise ValueError(f"route {route!r} must be /-separated segments of letters, digits and . _ ~ -")
        if method.upper() not in METHODS:
            raise ValueError(f"method {method!r} must be one of {', '.join(METHODS)}")
        if any(e.route == route for e in self.endpoints):
            raise ValueError(f"{self.title} already has an endpoint {route}")
        if any(e.client_method == route.lstrip("/").replace("-", "_") for e in self.endpoints):
            raise ValueError(f"{route} would get the same client method name as another endpoint")

        def register(func: F) -> F:
            doc = (inspect.getdoc(func) or "").strip().splitlines()
            self.endpoints.append(
                Endpoint(
                    route=route,
                    func=func,
                    streaming=streaming,
                    description=description if description is not None else (doc[0] if doc else ""),
                    method=method.upper(),
                    name=name or func.__name__,
                    signature=Signature.of(func),
                )
            )
            return func

        return register

    def find(self, route: str) -> Endpoint | None:
        return next((e for e in self.endpoints if e.route == route), None)

    def initialize(self, **init_kwargs: Any) -> dict[str, Any]:
        """Run the initializer; its return value must be a mapping of argument names to defaults."""
        values = self.initializer(**init_kwargs)
        if not isinstance(values, Mapping) or not all(isinstance(k, str) for k in values):
            raise TypeError(f"the initializer of {self.title} must return a dict of argument names to values")
        return dict(values)


Initializer = Callable[..., Mapping[str, Any]]


@overload
def service(initializer: Initializer, /) -> Service: ...


@overload
def service(
    *,
    title: str | None = None,
    description: str | None = None,
    tags: Sequence[str] = (),
    auth: bool = True,
    function_id: str | None = None,
) -> Callable[[Initializer], Service]: ...


def service(
    initializer: Initializer | None = None,
    /,
    *,
    title: str | None = None,
    description: str | None = None,
    tags: Sequence[str] = (),
    auth: bool = True,
    function_id: str | None = None,
) -> Service | Callable[[Initializer], Service]:
    """Declare a function service from its initializer, as `@cc.service` does.

    Usable bare (`@service`) or with options (`@service(title=..., auth=False)`).
    """
    if function_id is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", function_id):
        raise ValueError("function_id must be 1-64 letters, digits, _ or -")

    def wrap(func: Initializer) -> Service:
        doc = (inspect.getdoc(func) or "").strip()
        return Service(
            initializer=func,
            title=title or func.__name__,
            description=description if description is not None else doc,
            tags=tuple(tags),
            auth=auth,
            function_id=function_id,
        )

    return wrap(initializer) if initializer is not None else wrap
