"""Every accepted train request is about a second of work with a small answer: the step
cap, and a per-layer cost that tiny networks cannot hide behind (issue 12: steps 1,000,000
on a 1-1 network passed the old cap and ran 87 s with a 45 MB answer)."""

from __future__ import annotations

from training_helpers import create, fields, train

from app.config import Settings

ONE_ONE = {"samples": {"x": [[0.5]], "y": [[1.0]]}}


def test_a_million_steps_on_a_1_1_network_are_refused(client):
    nid = create(client, [1, 1], ["sigmoid"])["id"]
    r = train(client, nid, learning_rate=0.1, steps=1_000_000, **ONE_ONE)
    assert r.status_code == 422
    assert r.json()["code"] == "too_much_work"
    assert fields(r) == ["steps"]
    assert "10000" in r.json()["detail"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 1


def test_the_per_layer_cost_counts_on_a_tiny_network(client):
    """A 1-1-...-1 network of 16 layers has 32 parameters: its cost is all call overhead."""
    nid = create(client, [1] * 17, ["sigmoid"] * 16)["id"]
    s = Settings()
    # steps x (4 x 32 + 16 x overhead) must stay under max_train_work.
    fits = s.max_train_work // (4 * 32 + 16 * s.train_layer_overhead)
    assert fits < s.max_train_steps  # so it is this cap, not the step cap, that binds
    r = train(client, nid, learning_rate=0.1, steps=fits + 1, batch_size=1, **ONE_ONE)
    assert r.status_code == 422, r.text[:200]
    assert "work cap" in r.json()["detail"]
    ok = train(client, nid, learning_rate=0.1, steps=fits, batch_size=1, **ONE_ONE)
    assert ok.status_code == 200, ok.text[:200]
    assert ok.json()["steps"] == fits


def test_the_largest_accepted_request_answers_in_well_under_a_megabyte(client):
    nid = create(client, [1, 1], ["sigmoid"])["id"]
    r = train(client, nid, learning_rate=0.1, steps=Settings().max_train_steps, **ONE_ONE)
    assert r.status_code == 200, r.text[:200]
    assert r.json()["steps"] == Settings().max_train_steps
    assert len(r.content) < 1_000_000
