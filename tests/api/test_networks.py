"""Saved networks over HTTP: create, list, read, versions, replace with If-Match, delete,
export and import, and the compute routes on a saved network."""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.main import create_app

AWKWARD_W1 = [[0.1 + 0.2, 5e-324], [1.7976931348623157e308, -0.0], [math.pi, -5e-324]]
AWKWARD = {
    "sizes": [2, 3, 2],
    "activations": ["linear", "linear"],
    "cost": "quadratic",
    "weights": [AWKWARD_W1, [[1 / 3, -0.0, 2.2250738585072014e-308], [1e-300, -1e300, 0.0]]],
    "biases": [[-0.0, 0.1, 1e308], [5e-324, -math.e]],
}


def bits(value) -> list[int]:
    """Every number in a nested list as its float64 bit pattern (so -0.0 != 0.0)."""
    flat = np.asarray(value, dtype=np.float64).ravel()
    return [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in flat]


def assert_same_parameters(a: dict, b: dict) -> None:
    assert a["sizes"] == b["sizes"]
    assert a["activations"] == b["activations"]
    assert a["cost"] == b["cost"]
    assert len(a["weights"]) == len(b["weights"]) == len(a["sizes"]) - 1
    for l, (wa, wb) in enumerate(zip(a["weights"], b["weights"], strict=True)):
        assert bits(wa) == bits(wb), f"weights[{l}]"
    for l, (ba, bb) in enumerate(zip(a["biases"], b["biases"], strict=True)):
        assert bits(ba) == bits(bb), f"biases[{l}]"


def create(client, network: dict, name: str = "net", dataset: str | None = None) -> dict:
    body = {"name": name, "network": network}
    if dataset is not None:
        body["dataset"] = dataset
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def fields(r) -> list[str]:
    return [e["field"] for e in r.json()["errors"]]


def seeded(seed: int) -> dict:
    return {
        "sizes": [2, 3, 2],
        "activations": ["sigmoid", "sigmoid"],
        "cost": "quadratic",
        "init": {"scheme": "normal", "seed": seed},
    }


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory):
    s = Settings(db_path=tmp_path_factory.mktemp("api") / "explorer.sqlite3")
    with TestClient(create_app(s)) as c:
        yield c


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


# --- awkward floats through JSON and SQLite ----------------------------------------------------


def test_awkward_weights_survive_the_api_bit_for_bit(client):
    made = create(client, AWKWARD)
    assert_same_parameters(made["network"], AWKWARD)
    got = client.get(f"/api/networks/{made['id']}").json()["network"]
    assert_same_parameters(got, AWKWARD)
    assert bits([got["weights"][0][1][1]]) == [0x8000000000000000]
    assert got["weights"][0][0][1] == 5e-324
    assert got["weights"][0][1][0] == 1.7976931348623157e308


finite64 = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w1=st.lists(finite64, min_size=6, max_size=6), rest=st.lists(finite64, min_size=7))
def test_random_float64_weights_survive_create_read_export_import(shared_client, w1, rest):
    rest = (rest * 2)[:11]
    net = {
        "sizes": [2, 3, 2],
        "activations": ["linear", "linear"],
        "cost": "quadratic",
        "weights": [[w1[0:2], w1[2:4], w1[4:6]], [rest[0:3], rest[3:6]]],
        "biases": [rest[6:9], rest[9:11]],
    }
    made = create(shared_client, net)
    got = shared_client.get(f"/api/networks/{made['id']}").json()["network"]
    assert_same_parameters(got, net)
    exported = shared_client.get(f"/api/networks/{made['id']}/export").content
    r = shared_client.post(
        "/api/networks/import", content=exported, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 201, r.text
    back = shared_client.get(f"/api/networks/{r.json()['id']}").json()["network"]
    assert_same_parameters(back, net)


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

XY = {"x": [0.5, 0.25], "y": [1.0, 0.0]}
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


# --- bad bodies -------------------------------------------------------------------------------


def bad_weights(net):
    net["weights"][0][1] = [0.1, 0.2, 0.3]
    return net


BAD_BODIES = [
    (lambda net: {"network": net}, "name"),
    (lambda net: {"name": "", "network": net}, "name"),
    (lambda net: {"name": "x"}, "network"),
    (lambda net: {"name": "x", "network": net, "colour": "red"}, "colour"),
    (lambda net: {"name": "x", "network": {**net, "sizes": [2]}}, "network.sizes"),
    (lambda net: {"name": "x", "network": {**net, "sizes": [2, 0, 2]}}, "network.sizes[1]"),
    (lambda net: {"name": "x", "network": {**net, "activations": ["nope", "sigmoid"]}}, None),
    (lambda net: {"name": "x", "network": {**net, "cost": "hinge"}}, "network.cost"),
    (lambda net: {"name": "x", "network": bad_weights(net)}, "network.weights[0][1]"),
    (lambda net: {"name": "x", "network": {**net, "biases": [[0.1], [0.2, 0.3]]}}, None),
    (lambda net: {"name": "x", "network": {**net, "init": {"seed": 1}}}, "network"),
    (lambda net: {"name": 5, "network": net}, "name"),
]


@pytest.mark.parametrize(("make", "field"), BAD_BODIES)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_bad_bodies_are_422_naming_the_field(shared_client, small_net, make, field, method):
    nid = create(shared_client, small_net)["id"]
    count = len(shared_client.get("/api/networks").json())
    body = make(json.loads(json.dumps(small_net)))
    url = "/api/networks" if method == "POST" else f"/api/networks/{nid}"
    r = shared_client.request(method, url, json=body)
    assert r.status_code == 422, r.text
    names = fields(r)
    if field is None:  # the exact index is the engine's choice; the part must be named
        assert any(n.startswith("network.") for n in names), names
    else:
        assert field in names, names
    assert field is None or field in r.json()["detail"]
    assert len(shared_client.get("/api/networks").json()) == count
    assert shared_client.get(f"/api/networks/{nid}").json()["version"] == 1


def test_unknown_activation_names_the_entry(shared_client, small_net):
    r = shared_client.post(
        "/api/networks",
        json={"name": "x", "network": {**small_net, "activations": ["sigmoid", "nope"]}},
    )
    assert r.status_code == 422
    assert fields(r) == ["network.activations[1]"]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_weights_are_refused_naming_the_entry(shared_client, small_net, token):
    text = json.dumps({"name": "x", "network": small_net}).replace("0.15,", f"{token},", 1)
    assert token in text
    r = shared_client.post(
        "/api/networks", content=text, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422, r.text
    assert fields(r) == ["network.weights[0][0][0]"]


def test_invalid_json_is_422(client):
    r = client.post(
        "/api/networks", content=b'{"name": "x",', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert fields(r) == ["body"]


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_dataset_mismatch_is_422_naming_dataset(client, small_net, method):
    nid = create(client, small_net)["id"]
    url = "/api/networks" if method == "POST" else f"/api/networks/{nid}"
    for dataset in ("iris", "digits", "no-such-set"):
        r = client.request(
            method, url, json={"name": "x", "network": small_net, "dataset": dataset}
        )
        assert r.status_code == 422, r.text
        assert fields(r) == ["dataset"]
        assert dataset in r.json()["detail"]
    # iris: 4 features and 3 classes; the message says both sides.
    r = client.request(method, url, json={"name": "x", "network": small_net, "dataset": "iris"})
    assert "4 features" in r.json()["detail"]
    assert "3 classes" in r.json()["detail"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 1
    # A fitting network is accepted for the same dataset.
    iris_net = {**seeded(0), "sizes": [4, 5, 3]}
    r = client.request(method, url, json={"name": "x", "network": iris_net, "dataset": "iris"})
    assert r.status_code in (200, 201)
    assert r.json()["dataset"] == "iris"


# --- export and import ------------------------------------------------------------------------


def test_export_is_a_json_attachment_that_imports_back_bit_for_bit(client):
    made = create(client, AWKWARD, name="Odd name / v?", dataset=None)
    nid = made["id"]
    r = client.get(f"/api/networks/{nid}/export")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="' in disposition
    assert disposition.endswith('-v1.json"')
    assert "/" not in disposition.split("filename=")[1]
    assert r.headers["ETag"] == '"1"'
    doc = json.loads(r.content)
    assert doc["format"] == "backprop-explorer/network"
    assert doc["name"] == "Odd name / v?"
    assert doc["exported_from"] == {"id": nid, "version": 1}
    r2 = client.post(
        "/api/networks/import", content=r.content, headers={"Content-Type": "application/json"}
    )
    assert r2.status_code == 201, r2.text
    imported = r2.json()
    assert imported["id"] != nid
    assert imported["version"] == 1
    assert imported["name"] == "Odd name / v?"
    assert r2.headers["Location"] == f"/api/networks/{imported['id']}"
    stored = client.get(f"/api/networks/{imported['id']}").json()["network"]
    assert_same_parameters(stored, doc["network"])
    assert_same_parameters(stored, AWKWARD)
    history = client.get(f"/api/networks/{imported['id']}/versions").json()
    assert [h["source"] for h in history] == ["import"]


def test_export_is_of_the_current_version_with_its_dataset(client):
    nid = create(client, seeded(1), dataset="xor")["id"]
    client.put(f"/api/networks/{nid}", json={"name": "n2", "network": seeded(2), "dataset": "xor"})
    r = client.get(f"/api/networks/{nid}/export")
    doc = r.json()
    assert doc["dataset"] == "xor"
    assert doc["exported_from"]["version"] == 2
    assert r.headers["Content-Disposition"] == 'attachment; filename="n2-v2.json"'
    assert doc["network"] == client.get(f"/api/networks/{nid}").json()["network"]
    back = client.post("/api/networks/import", json=doc).json()
    assert back["dataset"] == "xor"


def exported(client, small_net) -> dict:
    nid = create(client, small_net)["id"]
    return client.get(f"/api/networks/{nid}/export").json()


@pytest.mark.parametrize(
    ("tamper", "field"),
    [
        (lambda d: d["network"]["weights"][0].append([1.0, 2.0]), "network.weights[0]"),
        (lambda d: d["network"]["weights"][1][0].pop(), "network.weights[1][0]"),
        (lambda d: d["network"]["biases"][1].append(0.5), "network.biases[1]"),
        (lambda d: d["network"].update(sizes=[2, 3, 2]), "network.weights[0]"),
        (lambda d: d.update(format="something/else"), "format"),
        (lambda d: d.update(format_version=2), "format_version"),
        (lambda d: d.update(dataset="iris"), "dataset"),
        (lambda d: d.pop("network"), "network"),
        (lambda d: d.update(extra=1), "extra"),
    ],
)
def test_tampered_import_is_422_and_saves_nothing(shared_client, small_net, tamper, field):
    doc = exported(shared_client, small_net)
    count = len(shared_client.get("/api/networks").json())
    tamper(doc)
    r = shared_client.post("/api/networks/import", json=doc)
    assert r.status_code == 422, r.text
    assert field in fields(r)
    assert len(shared_client.get("/api/networks").json()) == count


# --- compute on a saved network = stateless compute -----------------------------------------

BATCH = {"x": [[0.5, -1.25], [3.0, 0.125], [-0.0, 1e-3]], "y": [[1, 0], [0, 1], [0.25, 0.75]]}
COMPUTE = [
    ("forward", {"x": BATCH["x"]}),
    ("forward", BATCH),
    ("forward", {"x": [0.3, 0.7], "y": [0.0, 1.0]}),
    ("backprop", BATCH),
    ("backprop", {"x": [0.3, 0.7], "y": [0.0, 1.0]}),
    ("paths", {**BATCH, "target": {"kind": "weight", "layer": 1, "j": 2, "k": 1}, "mode": "all"}),
    ("paths", {**BATCH, "target": {"kind": "activation", "layer": 0, "j": 0}, "limit": 3}),
    ("paths", {"x": [0.3, 0.7], "y": [0, 1], "target": {"kind": "bias", "layer": 2, "j": 1}}),
    ("nudge", {**BATCH, "target": {"kind": "weight", "layer": 2, "j": 1, "k": 0}, "delta": 0.5}),
    ("nudge", {**BATCH, "target": {"kind": "bias", "layer": 1, "j": 2}, "delta": -1e-3}),
    ("gradcheck", BATCH),
    ("gradcheck", {**BATCH, "epsilon": 1e-4}),
]


def without_timings(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "seconds"}


def test_compute_on_a_saved_network_equals_stateless_compute(client):
    net = {
        "sizes": [2, 3, 2],
        "activations": ["tanh", "sigmoid"],
        "cost": "cross_entropy",
        "init": {"scheme": "he", "seed": 11},
    }
    saved = create(client, net)
    nid, concrete = saved["id"], saved["network"]
    for route, body in COMPUTE:
        via_saved = client.post(f"/api/networks/{nid}/{route}", json=body)
        stateless = client.post(f"/api/{route}", json={**body, "network": concrete})
        assert via_saved.status_code == stateless.status_code == 200, (route, via_saved.text)
        a, b = without_timings(via_saved.json()), without_timings(stateless.json())
        assert a == b, route
        # == on floats treats -0.0 as 0.0; compare the bytes of the JSON too.
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), route
    # Real numbers came back, not empty shells.
    fwd = client.post(f"/api/networks/{nid}/forward", json=BATCH).json()
    assert len(fwd["output"]) == 3
    assert 0 < fwd["cost"] < 10
    grad = client.post(f"/api/networks/{nid}/gradcheck", json=BATCH).json()
    assert grad["parameters"] == 17
    assert grad["max_abs_error"] < 1e-7


def test_compute_on_a_saved_network_uses_its_current_version(client, small_net):
    nid = create(client, small_net)["id"]
    before = client.post(f"/api/networks/{nid}/forward", json={"x": [0.05, 0.10]}).json()
    # Nielsen's 2-2-2 example, by hand: o1 = 0.75136507, o2 = 0.77292847.
    assert before["output"] == pytest.approx([0.75136507, 0.77292847], abs=1e-8)
    client.put(f"/api/networks/{nid}", json={"name": "n", "network": seeded(4)})
    after = client.post(f"/api/networks/{nid}/forward", json={"x": [0.05, 0.10]}).json()
    current = client.get(f"/api/networks/{nid}").json()["network"]
    expected = client.post("/api/forward", json={"x": [0.05, 0.10], "network": current}).json()
    assert after == expected
    assert after["output"] != before["output"]


def test_nudge_on_a_saved_network_saves_nothing(client, small_net):
    nid = create(client, small_net)["id"]
    body = {**BATCH, "target": {"kind": "weight", "layer": 1, "j": 0, "k": 0}, "delta": 0.1}
    assert client.post(f"/api/networks/{nid}/nudge", json=body).status_code == 200
    got = client.get(f"/api/networks/{nid}")
    assert got.json()["version"] == 1
    assert_same_parameters(got.json()["network"], small_net)


def test_compute_routes_validate_their_bodies_on_saved_networks(client, small_net):
    nid = create(client, small_net)["id"]
    r = client.post(f"/api/networks/{nid}/forward", json={"x": [1.0, 2.0, 3.0]})
    assert r.status_code == 422
    assert fields(r) == ["x"]
    r = client.post(f"/api/networks/{nid}/backprop", json={"x": [1.0, 2.0]})
    assert r.status_code == 422
    assert fields(r) == ["y"]
    r = client.post(
        f"/api/networks/{nid}/paths",
        json={**XY, "target": {"kind": "weight", "layer": 3, "j": 0, "k": 0}},
    )
    assert r.status_code == 422
    assert "target" in r.json()["detail"]
