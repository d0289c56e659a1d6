"""Training work of one worker process: a bounded pool, fair turns per owner, and
interactive requests first.

A playing page keeps a core busy, so on a shared server training must not crowd out
the clicks of everyone else. Every piece of training (a REST train request, or a slice
of the live stream) asks the pool for a turn with `await pool.run(owner, steps, fn, ...)`:

- at most `threads` pieces run at once in this process (the rest of the cores stay free
  for forward, backprop, paths and nudge, which run on the ordinary thread pool);
- waiting pieces take turns round-robin over owners, so a learner with many requests
  queued waits as long as one with a single request;
- a new turn is not given while interactive requests are being served (up to
  `yield_ms`, so training cannot be starved either): `interactive()` counts them;
- the pool's threads run at a lower OS priority (nice 10 by default, per thread on
  Linux), so when the cores are busy the kernel runs request threads, of this worker and
  of the others, before training (on a host shared with other busy programs this also
  slows training a lot: EXPLORER_TRAINING_NICE=0 turns it off);
- with `steps_per_second`, each owner's training is held to that many SGD steps a second
  (a token bucket holding one second of steps): the per-learner budget of a class.

Everything here runs on the event loop; only `fn` runs in one of the pool's threads.

For a stream that trains in short slices of unknown length (the live stream):

    done = await pool.run(owner, 0, run.train_for, SLICE_S, max_work)
    pool.charge(owner, done)  # the budget learns the steps; the next turn waits if over
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")

TRAINING_NICE = 10


def _lower_priority(nice: int) -> None:
    """Run this thread (not the process) at a lower priority, where the OS allows it."""
    # Not Linux, or not permitted: the fair turns still hold.
    with suppress(AttributeError, OSError):
        if nice:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


class TrainingPool:
    def __init__(
        self,
        threads: int = 1,
        steps_per_second: int = 0,
        yield_ms: float = 50,
        nice: int = TRAINING_NICE,
    ):
        self.threads = max(1, threads)
        self.steps_per_second = steps_per_second
        self.yield_s = yield_ms / 1000
        self._running = 0
        self._waiting: OrderedDict[str, deque[asyncio.Future]] = OrderedDict()
        self._interactive = 0
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._buckets: dict[str, tuple[float, float]] = {}  # owner -> (tokens, at)
        self._executor = ThreadPoolExecutor(
            self.threads,
            thread_name_prefix="training",
            initializer=_lower_priority,
            initargs=(nice,),
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- interactive requests -------------------------------------------------------------

    @contextmanager
    def interactive(self):
        """Around an interactive request: training turns wait while any is in flight."""
        self._interactive += 1
        self._quiet.clear()
        try:
            yield
        finally:
            self._interactive -= 1
            if self._interactive == 0:
                self._quiet.set()

    # --- training -----------------------------------------------------------------------------

    async def run(self, owner: str | None, steps: int, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(*args) in a thread when it is this owner's turn (steps: its SGD steps,
        for the budget)."""
        key = owner or "local"
        await self._budget(key, steps)
        turn = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, deque()).append(turn)
        self._dispatch()
        try:
            await turn
        except asyncio.CancelledError:
            if not turn.done() or turn.cancelled():
                self._forget(key, turn)
            else:  # the turn was given just as the caller went away: hand it on
                self._release()
            raise
        try:
            if not self._quiet.is_set():
                # Interactive requests go first; training waits a little, never for ever.
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._quiet.wait(), self.yield_s)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, functools.partial(fn, *args))
        finally:
            self._release()

    def _dispatch(self) -> None:
        while self._running < self.threads and self._waiting:
            owner, queue = next(iter(self._waiting.items()))
            turn = queue.popleft()
            # Round robin: this owner goes to the back of the line (or leaves it).
            del self._waiting[owner]
            if queue:
                self._waiting[owner] = queue
            if turn.done():  # cancelled while waiting
                continue
            self._running += 1
            turn.set_result(None)

    def _release(self) -> None:
        self._running -= 1
        self._dispatch()

    def _forget(self, owner: str, turn: asyncio.Future) -> None:
        queue = self._waiting.get(owner)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._waiting[owner]

    def charge(self, owner: str | None, steps: int) -> None:
        """Count steps already taken against the owner's budget (the next turn waits)."""
        rate = self.steps_per_second
        if rate <= 0 or steps <= 0:
            return
        key = owner or "local"
        now = time.monotonic()
        tokens, at = self._buckets.get(key, (float(rate), now))
        tokens = min(float(rate), tokens + (now - at) * rate)
        self._buckets[key] = (tokens - steps, now)

    async def _budget(self, owner: str, steps: int) -> None:
        """Hold the owner to steps_per_second: wait until the bucket has `steps` tokens
        (a request larger than one second of steps waits for what it lacks)."""
        rate = self.steps_per_second
        if rate <= 0:
            return
        now = time.monotonic()
        tokens, at = self._buckets.get(owner, (float(rate), now))
        tokens = min(float(rate), tokens + (now - at) * rate)
        tokens -= steps
        self._buckets[owner] = (tokens, now)
        if tokens < 0:
            await asyncio.sleep(-tokens / rate)

    @property
    def queued(self) -> int:
        return sum(len(q) for q in self._waiting.values())
