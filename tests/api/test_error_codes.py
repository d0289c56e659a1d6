"""The refusals the page branches on carry the team's agreed `code` in their body, so the page
tells them apart without reading the message."""

from __future__ import annotations

from training_helpers import create, train


def _code(r, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"detail", "errors", "code"}
    return body["code"]


def test_codes_of_the_refusals_the_page_reacts_to(client, small_net):
    nid = client.post("/api/networks", json={"name": "c", "network": small_net}).json()["id"]
    put = {"name": "c", "network": small_net}
    assert (
        client.put(f"/api/networks/{nid}", json=put, headers={"If-Match": '"1"'}).status_code == 200
    )
    stale = client.put(f"/api/networks/{nid}", json=put, headers={"If-Match": '"1"'})
    assert _code(stale, 412) == "version_conflict"
    stale_train = train(
        client, nid, samples={"x": [[0, 1]], "y": [[1, 0]]}, learning_rate=1, steps=1, if_version=1
    )
    assert _code(stale_train, 412) == "version_conflict"

    made = create(client, [2, 2], ["linear"], seed=2)["id"]
    samples = {"x": [[1, 2], [3, -4]], "y": [[0, 1], [1, 0]]}
    diverged = train(client, made, samples=samples, learning_rate=1000, batch_size=10, steps=300)
    assert _code(diverged, 422) == "diverged"

    big = {"sizes": [2, 2000, 2], "activations": ["sigmoid"] * 2, "cost": "quadratic", "init": {}}
    assert _code(client.post("/api/initialise", json={"network": big}), 422) == "too_much_work"
    bad = {**small_net, "weights": [[[0.1, 0.2]], small_net["weights"][1]]}
    assert _code(client.post("/api/forward", json={"network": bad, "x": [0, 0]}), 422) == (
        "validation_error"
    )
    assert _code(client.post("/api/forward", json={"x": [0, 0]}), 422) == "validation_error"
    assert _code(client.get("/api/networks/999999"), 404) == "not_found"
