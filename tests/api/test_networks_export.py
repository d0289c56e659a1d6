"""Saved networks' floats are kept bit for bit through JSON, SQLite, export and import; an
export is a JSON attachment of the current version, and a tampered import saves nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from networks_helpers import AWKWARD, assert_same_parameters, bits, create, fields, seeded

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
