"""aicontract's harness: run an API's contract suite against a live URL or an embedded stub.

from aicontract.contracts import Settings, run
result = run(Settings(api="agentuniverse"), base_url="http://127.0.0.1:8888")
result.exit_code  # 0 when the contract holds
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .runner import RunResult
    from .settings import Settings

__all__ = ["RunResult", "Settings", "run"]


def run(settings: Settings, base_url: str | None = None, app: Any = None) -> RunResult:
    from .runner import run as run_

    return run_(settings, base_url, app)


def __getattr__(name: str) -> Any:
    # Lazy, so that importing the plugin or the CLI does not pull in the whole harness.
    if name == "Settings":
        from .settings import Settings

        return Settings
    if name == "RunResult":
        from .runner import RunResult

        return RunResult
    raise AttributeError(name)
