"""Training on the real app under uvicorn: it runs off the event loop, and concurrent
trains and updates of one network lose nothing and get versions of their own."""

from __future__ import annotations

import threading
import time

import httpx
import numpy as np
from training_helpers import create, same_parameters

from app.config import Settings
from app.testing import serve


def run_together(worker, n: int) -> None:
    """worker(0) ... worker(n - 1), each in its own thread, all finished on return."""
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# --- live server: off the event loop, and concurrent writers -----------------------------------


def test_training_runs_off_the_event_loop(tmp_path):
    s = Settings(db_path=tmp_path / "live.sqlite3", max_train_work=10**13)
    with serve(s) as base, httpx.Client(base_url=base, timeout=60) as http:
        nid = create(http, [2, 8, 2], ["tanh", "sigmoid"], "cross_entropy", seed=0)["id"]
        result = {}

        def long_train():
            # About 1.5 s of Python-heavy SGD (3000 small steps) on one server thread.
            with httpx.Client(base_url=base, timeout=120) as h:
                start = time.monotonic()
                result["r"] = h.post(
                    f"/api/networks/{nid}/train",
                    json={"dataset": "xor", "learning_rate": 0.5, "steps": 3000, "seed": 1},
                )
                result["seconds"] = time.monotonic() - start

        worker = threading.Thread(target=long_train)
        worker.start()
        time.sleep(0.2)  # let the train request get going
        paths = ["/api/networks", "/api/datasets", f"/api/networks/{nid}"]
        timings = []  # only GETs that finished while the train was still running
        while worker.is_alive() and len(timings) < 12:
            start = time.monotonic()
            r = http.get(paths[len(timings) % 3])
            seconds = time.monotonic() - start
            assert r.status_code == 200
            if worker.is_alive():
                timings.append(seconds)
            time.sleep(0.05)
        worker.join()
        assert result["r"].status_code == 200
        assert result["r"].json()["version"] == 2
        assert len(timings) >= 3, (
            f"only {len(timings)} GETs overlapped the {result['seconds']:.2f} s train; "
            "the test proves nothing unless they overlap"
        )
        assert max(timings) < 0.5, timings


def test_concurrent_trains_and_if_match_updates_lose_nothing(tmp_path):
    s = Settings(db_path=tmp_path / "busy.sqlite3")
    accepted: list[tuple[int, str, dict]] = []  # (version, source, network)
    refused: list[int] = []
    bad: list[str] = []
    lock = threading.Lock()
    with serve(s) as base:
        with httpx.Client(base_url=base) as http:
            made = create(http, [2, 4, 2], ["tanh", "sigmoid"], "cross_entropy", seed=1)
        nid = made["id"]
        barrier = threading.Barrier(6)

        def worker(k: int) -> None:
            rng = np.random.default_rng(k)
            with httpx.Client(base_url=base, timeout=60) as h:
                barrier.wait()
                for i in range(6):
                    current = h.get(f"/api/networks/{nid}")
                    version = current.json()["version"]
                    if (k + i) % 2:
                        net = current.json()["network"]
                        net["weights"][0] = rng.standard_normal((4, 2)).tolist()
                        r = h.put(
                            f"/api/networks/{nid}",
                            json={"name": f"w{k}.{i}", "network": net},
                            headers={"If-Match": current.headers["ETag"]},
                        )
                        source = "update"
                    else:
                        net = None
                        r = h.post(
                            f"/api/networks/{nid}/train",
                            json={
                                "dataset": "xor",
                                "learning_rate": 0.3,
                                "steps": 5,
                                "seed": k * 100 + i,
                                "if_version": version,
                            },
                        )
                        source = "train"
                    with lock:
                        if "locked" in r.text.lower():
                            bad.append(f"{r.status_code} {r.text[:200]}")
                        if r.is_success:
                            body = r.json()
                            accepted.append((body["version"], source, body["network"]))
                            if net is not None and not same_parameters(body["network"], net):
                                bad.append(f"PUT {k}.{i} answered other weights")
                        elif r.status_code in (409, 412):
                            refused.append(r.status_code)
                        else:
                            bad.append(f"{r.status_code} {r.text[:200]}")

        run_together(worker, 6)
        with httpx.Client(base_url=base) as http:
            history = http.get(f"/api/networks/{nid}/versions").json()
            stored = {
                v: http.get(f"/api/networks/{nid}", params={"version": v}).json()
                for v in range(1, len(history) + 1)
            }
            head = http.get(f"/api/networks/{nid}").json()
    assert bad == []
    assert len(accepted) + len(refused) == 36
    assert accepted, "nothing was accepted"
    versions = [h["version"] for h in history]
    # Consecutive, no gaps, no duplicates; every accepted change is there, none lost.
    assert versions == list(range(1, len(versions) + 1))
    assert sorted(v for v, _, _ in accepted) == list(range(2, len(versions) + 1))
    assert head["version"] == versions[-1]
    by_version = {h["version"]: h for h in history}
    for version, source, network in accepted:
        assert by_version[version]["source"] == source
        assert same_parameters(stored[version]["network"], network), version


def test_concurrent_unconditional_updates_each_get_their_own_version(tmp_path):
    s = Settings(db_path=tmp_path / "flood.sqlite3")
    results: list[tuple[int, str]] = []
    bad: list[str] = []
    lock = threading.Lock()
    net = {"sizes": [1, 1], "activations": ["linear"], "cost": "quadratic"}
    with serve(s) as base:
        with httpx.Client(base_url=base) as http:
            first = {**net, "weights": [[[0.0]]], "biases": [[0.0]]}
            nid = http.post("/api/networks", json={"name": "0", "network": first}).json()["id"]
        barrier = threading.Barrier(6)

        def worker(k: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as h:
                barrier.wait()
                for i in range(5):
                    name = f"{k}.{i}"
                    body = {"name": name, "network": {**net, "weights": [[[k + i / 10]]]}}
                    body["network"]["biases"] = [[float(k * 10 + i)]]
                    r = h.put(f"/api/networks/{nid}", json=body)
                    with lock:
                        if r.status_code == 200:
                            results.append((r.json()["version"], name))
                        else:
                            bad.append(f"{r.status_code} {r.text[:200]}")

        run_together(worker, 6)
        with httpx.Client(base_url=base) as http:
            history = http.get(f"/api/networks/{nid}/versions").json()
            stored = [
                http.get(f"/api/networks/{nid}", params={"version": v}).json() for v, _ in results
            ]
    assert bad == []
    assert sorted(v for v, _ in results) == list(range(2, 32))
    assert [h["version"] for h in history] == list(range(1, 32))
    for (version, name), got in zip(results, stored, strict=True):
        assert got["name"] == name
        k, i = map(int, name.split("."))
        assert got["network"]["biases"] == [[float(k * 10 + i)]], version
