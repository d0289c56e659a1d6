"""Every accepted train request is about a second of work with a small answer: the step
cap, and a per-layer cost that tiny networks cannot hide behind (issue 12: steps 1,000,000
on a 1-1 network passed the old cap and ran 87 s with a 45 MB answer)."""

from __future__ import annotations

from itertools import pairwise

from training_helpers import create, fields, train

from app.config import Settings

ONE_ONE = {"samples": {"x": [[0.5]], "y": [[1.0]]}}


def test_a_million_steps_on_a_1_1_network_are_refused(client):
    nid = create(client, [1, 1], ["sigmoid"])["id"]
    r = train(client, nid, learning_rate=0.1, steps=1_000_000, **ONE_ONE)
    assert r.status_code == 422
    assert r.json()["code"] == "too_much_work"
    assert fields(r) == ["steps"]
    assert str(Settings().max_train_steps) in r.json()["detail"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 1


def _fits(sizes: list[int], batch: int = 1, evaluated: int = 1) -> int:
    """The most steps the work cap accepts on a network of `sizes` (see training.fit)."""
    s = Settings()
    P = sum(m * (n + 1) for n, m in pairwise(sizes))
    L = len(sizes) - 1
    return s.max_train_work // ((3 * batch + evaluated) * P + L * s.train_layer_overhead)


def test_the_per_layer_cost_counts_on_a_tiny_network(client):
    """A 1-1-...-1 network of 16 layers has 32 parameters: its cost is all call overhead."""
    nid = create(client, [1] * 17, ["sigmoid"] * 16)["id"]
    fits = _fits([1] * 17)
    assert fits < Settings().max_train_steps  # so it is the work cap, not the step cap, that binds
    r = train(client, nid, learning_rate=0.1, steps=fits + 1, batch_size=1, **ONE_ONE)
    assert r.status_code == 422, r.text[:200]
    assert "work cap" in r.json()["detail"]
    ok = train(client, nid, learning_rate=0.1, steps=fits, batch_size=1, **ONE_ONE)
    assert ok.status_code == 200, ok.text[:200]
    assert ok.json()["steps"] == fits


def test_the_largest_accepted_request_answers_small_and_keeps_every_step(client):
    """The longest run the caps accept (a 1-1 network) answers with thinned series whose
    points are the stored record's own, at the steps `at` names."""
    s = Settings()
    steps = _fits([1, 1])
    assert s.train_answer_points < steps < s.max_train_steps
    nid = create(client, [1, 1], ["sigmoid"])["id"]
    r = train(client, nid, learning_rate=0.1, steps=steps, **ONE_ONE)
    assert r.status_code == 200, r.text[:200]
    out = r.json()
    assert out["steps"] == steps and out["total_steps"] == steps
    assert len(r.content) < 100_000
    at = out["at"]
    assert len(at) == s.train_answer_points and at[0] == 1 and at[-1] == steps
    assert at == sorted(set(at))
    for k in ("loss", "grad_norms", "saturated"):
        assert len(out[k]) == len(at), k
    # The record keeps every step (thinned only past keep_training_points, which this passes:
    # there its points are still the steps' own values).
    record = client.get(f"/api/networks/{nid}/training").json()["points"]
    by_step = dict(zip(record["step"], record["loss"], strict=True))
    shared = [(a, v) for a, v in zip(at, out["loss"], strict=True) if a in by_step]
    assert len(shared) > 100
    assert all(by_step[a] == v for a, v in shared)


def test_a_short_run_answers_every_step_without_at(client):
    nid = create(client, [1, 1], ["sigmoid"])["id"]
    steps = Settings().train_answer_points
    out = train(client, nid, learning_rate=0.1, steps=steps, **ONE_ONE).json()
    assert "at" not in out and len(out["loss"]) == steps


def test_the_stateless_train_thins_as_well(client):
    net = {"sizes": [1, 1], "activations": ["sigmoid"], "cost": "quadratic", "init": {"seed": 2}}
    steps = 3 * Settings().train_answer_points + 7
    body = {"network": net, "learning_rate": 0.1, "steps": steps, **ONE_ONE}
    out = client.post("/api/train", json=body).json()
    assert out["at"][-1] == steps and len(out["loss"]) == len(out["at"]) == 1000
    # The first 1,000 steps of the same run, unthinned: the thinned points are its own.
    every = client.post("/api/train", json={**body, "steps": 1000}).json()["loss"]
    early = [(a, v) for a, v in zip(out["at"], out["loss"], strict=True) if a <= 1000]
    assert len(early) > 300
    assert all(every[a - 1] == v for a, v in early)
