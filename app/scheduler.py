"""Fair, bounded execution of the engine's work: one heavy client cannot starve a class.

- **Cheapest first**: work waiting for an engine thread is ordered by its cost (parameters ×
  samples, or a body's size while it is still to be parsed), so a lecture-sized request never
  waits behind a queue of heavy ones, only behind the one that is running.
- **A queue limit**: past it a request is answered 503 with Retry-After at once, instead of
  waiting without end.
- **A compute budget** per request, checked between a step's phases (a torch call in a thread
  cannot be interrupted, so the check runs where the work can stop cleanly): past it the work
  stops and the request gets 503 with Retry-After. Work within its budget is not changed.
- **No work for a client that left**: a watcher reads the connection for its disconnect; work
  not yet started is dropped, work in progress stops at its next check.

The engine knows nothing of this: it is handed a `check(phase)` callable.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import threading
import time
from concurrent.futures import Executor


class Busy(Exception):
    """No room: the queue is full, or the work went past its budget. Answered 503 + Retry-After."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class ClientGone(Exception):
    """The client closed its connection: nobody to answer, the work is dropped."""


class Budget:
    """The check a unit of work calls between its phases: raises when the client is gone or the
    seconds are spent (counted from the start of the work, not from its wait in the queue)."""

    def __init__(self, seconds: float, gone: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.gone = gone or threading.Event()
        self.deadline = math.inf

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def __call__(self, phase: str) -> None:
        if self.gone.is_set():
            raise ClientGone(phase)
        if time.monotonic() > self.deadline:
            raise Busy(f"the request needed more than its compute budget of {self.seconds:g} s "
                       f"(compute_budget; stopped before {phase}): send a smaller network or batch",
                       retry_after=max(1, math.ceil(self.seconds)))


class Scheduler:
    """Runs work on the engine executor's threads, cheapest first, at most `slots` at once."""

    def __init__(self, executor: Executor, slots: int, queue_limit: int, budget: float) -> None:
        self.executor = executor
        self.free = slots
        self.queue_limit = queue_limit
        self.budget = budget
        self._waiting: list = []  # heap of (cost, seq, future, gone)
        self._seq = itertools.count()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def run(self, cost: int, fn, *args, gone: threading.Event | None = None):
        """fn(*args, check) on an engine thread when its turn comes; its result, or Busy / ClientGone."""
        budget = Budget(self.budget, gone)
        await self._turn(cost, budget.gone)
        try:
            budget("starting")  # the client may have left while it waited
            budget.start()
            return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args, budget)
        finally:
            self._release()

    async def _turn(self, cost: int, gone: threading.Event) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        if len(self._waiting) >= self.queue_limit:
            raise Busy(f"the server is busy: {len(self._waiting)} requests are waiting (queue_limit); "
                       "try again in a moment", retry_after=max(1, math.ceil(self.budget)))
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (cost, next(self._seq), turn, gone))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release()  # the slot was handed over just as the request was cancelled
            else:
                turn.cancel()  # _release skips it
            raise

    def _release(self) -> None:
        """Hand the freed slot to the cheapest waiting work whose client is still there."""
        while self._waiting:
            _, _, turn, gone = heapq.heappop(self._waiting)
            if turn.done():
                continue
            if gone.is_set():
                turn.set_exception(ClientGone("waiting"))
                continue
            turn.set_result(None)
            return
        self.free += 1


async def watch_disconnect(receive, gone: threading.Event) -> None:
    """Set `gone` when the client's connection closes (read once the body is in)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            gone.set()
            return
