"""Saved networks over HTTP: create, list, read, versions, replace with If-Match, delete,
and a 404 for an unknown id on every route."""

from __future__ import annotations

import numpy as np
import pytest
from networks_helpers import AWKWARD, XY, assert_same_parameters, create, fields, seeded

# --- create, list, read ----------------------------------------------------------------------


def test_create_answers_201_with_location_etag_and_the_saved_network(client, small_net):
    r = client.post("/api/networks", json={"name": "Nielsen 2-2-2", "network": small_net})
    assert r.status_code == 201
    body = r.json()
    assert r.headers["Location"] == f"/api/networks/{body['id']}"
    assert r.headers["ETag"] == '"1"'
    assert set(body) >= {"id", "name", "version", "network", "created_at", "updated_at"}
    assert body["name"] == "Nielsen 2-2-2"
    assert body["version"] == 1
    assert body["dataset"] is None
    assert body["created_at"] == body["updated_at"]
    assert body["created_at"].endswith("Z")
    assert_same_parameters(body["network"], small_net)
    # The Location really leads to it.
    got = client.get(r.headers["Location"])
    assert got.status_code == 200
    assert got.json() == body


def test_create_from_init_saves_concrete_weights(client):
    body = create(client, seeded(5), dataset="xor")
    net = body["network"]
    assert "init" not in net
    assert [np.shape(w) for w in net["weights"]] == [(3, 2), (2, 3)]
    assert net["biases"] == [[0.0, 0.0, 0.0], [0.0, 0.0]]
    assert body["dataset"] == "xor"
    # The same seed gives the same weights.
    assert create(client, seeded(5))["network"] == net
    assert create(client, seeded(6))["network"] != net


def test_list_gives_summaries_without_weights(client, small_net):
    before = client.get("/api/networks").json()
    made = create(client, small_net, name="listed", dataset="xor")
    listed = client.get("/api/networks").json()
    assert len(listed) == len(before) + 1
    mine = listed[-1]
    assert mine == {
        "id": made["id"],
        "name": "listed",
        "dataset": "xor",
        "version": 1,
        "sizes": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "created_at": made["created_at"],
        "updated_at": made["updated_at"],
        "read_only": False,
    }
    assert [n["id"] for n in listed] == sorted(n["id"] for n in listed)


def test_read_has_the_version_as_etag_and_older_versions_by_query(client, small_net):
    made = create(client, small_net)
    nid = made["id"]
    r = client.get(f"/api/networks/{nid}")
    assert r.status_code == 200
    assert r.headers["ETag"] == '"1"'
    new = seeded(1)
    r = client.put(f"/api/networks/{nid}", json={"name": "second", "network": new})
    assert r.status_code == 200
    assert r.headers["ETag"] == '"2"'
    second = r.json()
    r = client.get(f"/api/networks/{nid}")
    assert r.headers["ETag"] == '"2"'
    assert r.json()["name"] == "second"
    assert r.json()["network"] == second["network"]
    old = client.get(f"/api/networks/{nid}", params={"version": 1})
    assert old.status_code == 200
    assert old.json()["version"] == 1
    assert old.json()["name"] == "net"
    assert_same_parameters(old.json()["network"], small_net)
    assert client.get(f"/api/networks/{nid}", params={"version": 3}).status_code == 404
    r = client.get(f"/api/networks/{nid}", params={"version": 0})
    assert r.status_code == 422
    assert "version" in r.json()["detail"]


def test_versions_lists_the_history(client, small_net):
    nid = create(client, small_net, name="h0")["id"]
    for i in (1, 2):
        r = client.put(f"/api/networks/{nid}", json={"name": f"h{i}", "network": seeded(i)})
        assert r.json()["version"] == i + 1
    r = client.post(
        f"/api/networks/{nid}/train",
        json={"samples": {"x": [[0, 1]], "y": [[1, 0]]}, "learning_rate": 0.1, "steps": 1},
    )
    assert r.status_code == 200
    history = client.get(f"/api/networks/{nid}/versions").json()
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert [h["name"] for h in history] == ["h0", "h1", "h2", "h2"]
    assert [h["source"] for h in history] == ["create", "update", "update", "train"]
    times = [h["created_at"] for h in history]
    assert times == sorted(times)


# --- PUT with If-Match ----------------------------------------------------------------------


def test_stale_if_match_gets_412_and_changes_nothing(client, small_net):
    nid = create(client, small_net)["id"]
    r = client.put(
        f"/api/networks/{nid}",
        json={"name": "v2", "network": seeded(2)},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200
    v2 = r.json()
    assert v2["version"] == 2
    r = client.put(
        f"/api/networks/{nid}",
        json={"name": "lost", "network": seeded(3), "dataset": "xor"},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 412
    assert fields(r) == ["If-Match"]
    assert "version 2" in r.json()["detail"]
    now = client.get(f"/api/networks/{nid}")
    assert now.headers["ETag"] == '"2"'
    assert now.json()["name"] == "v2"
    assert now.json()["dataset"] is None
    assert_same_parameters(now.json()["network"], v2["network"])
    assert [h["version"] for h in client.get(f"/api/networks/{nid}/versions").json()] == [1, 2]


@pytest.mark.parametrize("header", ['"1"', 'W/"1"', "1", "*"])
def test_if_match_forms_that_match(shared_client, small_net, header):
    nid = create(shared_client, small_net)["id"]
    r = shared_client.put(
        f"/api/networks/{nid}",
        json={"name": "ok", "network": small_net},
        headers={"If-Match": header},
    )
    assert r.status_code == 200
    assert r.json()["version"] == 2


def test_if_match_that_is_no_version_is_422(client, small_net):
    nid = create(client, small_net)["id"]
    r = client.put(
        f"/api/networks/{nid}",
        json={"name": "x", "network": small_net},
        headers={"If-Match": '"abc"'},
    )
    assert r.status_code == 422
    assert fields(r) == ["If-Match"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 1


def test_put_without_if_match_replaces_unconditionally(client, small_net):
    nid = create(client, small_net, dataset="xor")["id"]
    r = client.put(f"/api/networks/{nid}", json={"name": "free", "network": AWKWARD})
    assert r.status_code == 200
    body = r.json()
    assert (body["version"], body["name"], body["dataset"]) == (2, "free", None)
    assert_same_parameters(client.get(f"/api/networks/{nid}").json()["network"], AWKWARD)


# --- delete -----------------------------------------------------------------------------------


def test_delete_then_404(client, small_net):
    nid = create(client, small_net)["id"]
    r = client.delete(f"/api/networks/{nid}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(f"/api/networks/{nid}").status_code == 404
    assert client.get(f"/api/networks/{nid}/versions").status_code == 404
    assert client.delete(f"/api/networks/{nid}").status_code == 404
    assert nid not in [n["id"] for n in client.get("/api/networks").json()]


# --- unknown ids ------------------------------------------------------------------------------

UNKNOWN_ROUTES = [
    ("GET", "", None),
    ("PUT", "", "put"),
    ("DELETE", "", None),
    ("GET", "/export", None),
    ("GET", "/versions", None),
    ("POST", "/forward", {"x": [0.5, 0.25]}),
    ("POST", "/backprop", XY),
    ("POST", "/paths", {**XY, "target": {"kind": "weight", "layer": 1, "j": 0, "k": 1}}),
    ("POST", "/nudge", {**XY, "target": {"kind": "bias", "layer": 2, "j": 0}, "delta": 0.1}),
    ("POST", "/gradcheck", XY),
    ("POST", "/train", {"dataset": "xor", "learning_rate": 0.5, "steps": 1}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), UNKNOWN_ROUTES)
def test_unknown_id_is_404_on_every_route(shared_client, small_net, method, suffix, body):
    # An id that existed and was deleted, and one never given out.
    gone = create(shared_client, small_net)["id"]
    shared_client.delete(f"/api/networks/{gone}")
    if body == "put":
        body = {"name": "x", "network": small_net}
    for nid in (gone, 987654):
        r = shared_client.request(method, f"/api/networks/{nid}{suffix}", json=body)
        assert r.status_code == 404, (nid, r.text)
        assert str(nid) in r.json()["detail"]


@pytest.mark.parametrize(("method", "suffix", "body"), UNKNOWN_ROUTES)
def test_id_beyond_int64_is_404_not_500(shared_client, small_net, method, suffix, body):
    """2**63 is a well-formed path id that no network has; SQLite integers stop at 2**63 - 1,
    so the store must not hand it to sqlite3 as is (OverflowError -> 500)."""
    if body == "put":
        body = {"name": "x", "network": small_net}
    for nid in (2**63, -(2**63) - 1):
        r = shared_client.request(method, f"/api/networks/{nid}{suffix}", json=body)
        assert r.status_code == 404, (nid, r.status_code, r.text[:200])


def test_version_beyond_int64_is_refused_not_500(shared_client, small_net):
    nid = create(shared_client, small_net)["id"]
    r = shared_client.get(f"/api/networks/{nid}", params={"version": 2**63})
    assert r.status_code in (404, 422), (r.status_code, r.text[:200])
