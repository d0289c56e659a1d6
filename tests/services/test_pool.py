"""The training pool on its own: bounded, fair turns per owner, interactive work first,
and a per-owner step budget. Real threads and a real event loop; timings are generous."""

from __future__ import annotations

import asyncio
import os
import threading
import time

from app.services.pool import TRAINING_NICE, TrainingPool


def test_turns_go_round_robin_over_owners():
    order: list[str] = []

    async def main():
        pool = TrainingPool(threads=1)
        gate = threading.Event()

        def first():
            gate.wait(10)
            order.append("A0")

        def job(name):
            order.append(name)

        tasks = [asyncio.create_task(pool.run("A", 1, first))]
        await asyncio.sleep(0.05)  # A0 holds the only thread
        tasks += [asyncio.create_task(pool.run("A", 1, job, f"A{i}")) for i in range(1, 6)]
        await asyncio.sleep(0.05)
        tasks.append(asyncio.create_task(pool.run("B", 1, job, "B1")))
        await asyncio.sleep(0.05)
        assert pool.queued == 6
        gate.set()
        await asyncio.gather(*tasks)
        pool.close()

    asyncio.run(main())
    # B queued after five of A's and waited for one of them, not five.
    assert order == ["A0", "A1", "B1", "A2", "A3", "A4", "A5"]


def test_at_most_threads_run_at_once():
    running, peak = [0], [0]
    lock = threading.Lock()

    def job():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    async def main():
        pool = TrainingPool(threads=2)
        await asyncio.gather(*(pool.run(f"o{i % 3}", 1, job) for i in range(9)))
        pool.close()

    asyncio.run(main())
    assert peak[0] == 2


def test_no_new_turn_while_interactive_requests_are_served():
    started: list[float] = []

    async def main():
        pool = TrainingPool(threads=1, yield_ms=2000)
        with pool.interactive():
            task = asyncio.create_task(pool.run("A", 1, lambda: started.append(time.monotonic())))
            await asyncio.sleep(0.2)
            assert started == []  # held back while the request is in flight
            released = time.monotonic()
        await task
        pool.close()
        return released

    released = asyncio.run(main())
    assert 0 <= started[0] - released < 1.0  # and given as soon as it finished


def test_training_waits_for_interactive_work_only_so_long():
    async def main():
        pool = TrainingPool(threads=1, yield_ms=100)
        with pool.interactive():
            t0 = time.monotonic()
            await pool.run("A", 1, lambda: None)
            waited = time.monotonic() - t0
        pool.close()
        return waited

    assert 0.09 <= asyncio.run(main()) < 2.0  # not starved by a stream of clicks


def test_the_step_budget_holds_each_owner_to_its_rate():
    async def main():
        pool = TrainingPool(threads=2, steps_per_second=1000)
        t0 = time.monotonic()
        for _ in range(4):  # 2,000 steps: one second's tokens, then a second's wait
            await pool.run("A", 500, lambda: None)
        a = time.monotonic() - t0
        t0 = time.monotonic()
        await pool.run("B", 500, lambda: None)  # another learner is not held by A's budget
        b = time.monotonic() - t0
        pool.close()
        return a, b

    a, b = asyncio.run(main())
    assert a >= 0.95
    assert b < a / 2


def test_steps_charged_after_a_slice_delay_the_next_turn():
    async def main():
        pool = TrainingPool(threads=1, steps_per_second=1000)
        t0 = time.monotonic()
        await pool.run("A", 0, lambda: None)  # a slice of unknown length...
        pool.charge("A", 1500)  # ...that took 1,500 steps: half a second over budget
        await pool.run("A", 0, lambda: None)
        a = time.monotonic() - t0
        pool.close()
        return a

    assert asyncio.run(main()) >= 0.45


def test_training_threads_run_at_a_lower_priority():
    async def main():
        pool = TrainingPool(threads=1)
        nice = await pool.run(
            "A", 1, lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        )
        pool.close()
        return nice

    assert asyncio.run(main()) == os.getpriority(os.PRIO_PROCESS, 0) + TRAINING_NICE
