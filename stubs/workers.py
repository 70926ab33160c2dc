"""Threads for user code that blocks (a custom agent's `execute()`), so that it never stalls the event loop.

At most `size` calls run at once; more wait for a free thread. A caller that stops waiting (its
timeout fired) gets control back at once, while the call keeps its thread until it returns, so
stuck calls can never pile up more than `size` threads. The threads are daemons: a call that never
returns does not keep the stub from exiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

THREADS = 8


class Workers:
    def __init__(self, size: int = THREADS) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one thread")
        self.size = size
        self._free = asyncio.Semaphore(size)

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` on a worker thread; its result or exception, as if called here."""
        loop = asyncio.get_running_loop()
        await self._free.acquire()
        done: asyncio.Future[T] = loop.create_future()

        def settle(result: Any, error: BaseException | None) -> None:
            self._free.release()
            if done.done():  # the caller stopped waiting
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(result)

        def work() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = func(*args)
            except BaseException as exc:  # handed to the caller, whatever it is
                error = exc
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
                loop.call_soon_threadsafe(settle, result, error)

        try:
            threading.Thread(target=work, name="stub-worker", daemon=True).start()
        except BaseException:
            self._free.release()
            raise
        return await done
