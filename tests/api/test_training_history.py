"""Training you can undo: the record kept with the network (step counts and losses per
version, the charts' per-step figures, bounded), restoring a kept version with If-Match, and
new weights as a new version."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient
from training_helpers import XOR_NET, create, fields, same_parameters, train

from app.config import Settings
from app.main import create_app
from app.nn.network import Network


def record(client, nid) -> dict:
    r = client.get(f"/api/networks/{nid}/training")
    assert r.status_code == 200, r.text
    return r.json()


def versions(client, nid) -> dict[int, dict]:
    return {v["version"]: v for v in client.get(f"/api/networks/{nid}/versions").json()}


def put(client, nid, body, if_match):
    return client.put(f"/api/networks/{nid}", json=body, headers={"If-Match": f'"{if_match}"'})


def restore_body(client, nid, version) -> dict:
    old = client.get(f"/api/networks/{nid}", params={"version": version}).json()
    return {
        "name": old["name"],
        "dataset": old["dataset"],
        "network": old["network"],
        "restored_from": version,
    }


def test_training_record_is_the_train_responses_step_by_step(client):
    nid = create(client, *XOR_NET, dataset="xor")["id"]
    assert record(client, nid)["steps"] == 0
    runs = [
        train(client, nid, dataset="xor", learning_rate=0.5, steps=n, seed=n).json() for n in (7, 5)
    ]
    got = record(client, nid)
    assert got["version"] == 3 and got["steps"] == 12
    assert [r["total_steps"] for r in runs] == [7, 12]
    p = got["points"]
    assert p["step"] == list(range(1, 13))
    assert p["version"] == [2] * 7 + [3] * 5
    assert p["loss"] == runs[0]["loss"] + runs[1]["loss"]
    assert p["accuracy"] == runs[0]["accuracy"] + runs[1]["accuracy"]
    assert p["held_out_accuracy"] == runs[0]["held_out_accuracies"] + runs[1]["held_out_accuracies"]
    assert p["grad_norms"] == runs[0]["grad_norms"] + runs[1]["grad_norms"]
    assert got["loss"] == runs[1]["loss"][-1]
    assert got["held_out_accuracy"] == runs[1]["held_out_accuracies"][-1]
    # The version list says how far each version's weights were trained.
    v = versions(client, nid)
    assert (v[1]["steps"], v[1]["loss"]) == (0, None)
    assert (v[2]["steps"], v[2]["loss"]) == (7, runs[0]["loss"][-1])
    assert (v[3]["steps"], v[3]["loss"]) == (12, runs[1]["loss"][-1])
    assert v[3]["accuracy"] == runs[1]["accuracy"][-1]


def test_held_out_accuracy_is_measured_on_samples_training_never_saw(client):
    from app.datasets import dataset_parts, load_dataset

    nid = create(client, *XOR_NET, dataset="xor")["id"]
    out = train(client, nid, dataset="xor", learning_rate=0.5, steps=30).json()
    (_, _), (hx, hy) = dataset_parts(load_dataset("xor"))
    net = out["network"]
    trained = Network(net["sizes"], net["activations"], net["cost"], net["weights"], net["biases"])
    a = trained.feedforward(hx).output
    assert out["held_out_accuracies"][-1] == float(np.mean(a.argmax(1) == hy.argmax(1)))
    assert out["held_out_accuracy"] == out["held_out_accuracies"][-1]


def test_charts_are_thinned_beyond_the_configured_number_of_points(tmp_path):
    s = Settings(db_path=tmp_path / "thin.sqlite3", keep_training_points=40)
    with TestClient(create_app(s)) as c:
        nid = create(c, *XOR_NET, dataset="xor")["id"]
        losses = []
        for seed in range(5):
            r = train(c, nid, dataset="xor", learning_rate=0.5, steps=30, seed=seed)
            losses += r.json()["loss"]
        got = record(c, nid)
        steps = got["points"]["step"]
        assert got["steps"] == 150
        assert len(steps) <= 40
        assert steps[0] == 1 and steps[-1] == 150  # the start and the newest step are kept
        assert steps == sorted(set(steps))
        assert steps[-20:] == list(range(131, 151))  # the newest half at full resolution
        assert got["points"]["loss"] == [losses[s - 1] for s in steps]
        # Older points are sparser than newer ones.
        gaps = np.diff(steps)
        assert gaps[0] > gaps[-1] == 1


def test_restore_a_kept_version_as_the_newest_with_if_match(client):
    nid = create(client, *XOR_NET, dataset="xor")["id"]
    first = train(client, nid, dataset="xor", learning_rate=0.5, steps=10).json()
    train(client, nid, dataset="xor", learning_rate=0.5, steps=10, seed=1)
    body = restore_body(client, nid, 2)
    r = put(client, nid, body, 3)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 4 and r.headers["ETag"] == '"4"'
    assert same_parameters(r.json()["network"], first["network"])
    v = versions(client, nid)
    assert v[4]["source"] == "restore"
    assert (v[4]["steps"], v[4]["loss"]) == (10, first["loss"][-1])
    got = record(client, nid)
    assert got["steps"] == 10 and got["points"]["step"] == list(range(1, 11))
    assert got["points"]["loss"] == first["loss"]
    # Training goes on from step 11 of the restored line; the abandoned steps are gone.
    more = train(client, nid, dataset="xor", learning_rate=0.5, steps=3).json()
    assert more["total_steps"] == 13
    assert record(client, nid)["points"]["step"] == list(range(1, 14))
    # A tab that still holds version 3 is refused and nothing changes.
    stale = put(client, nid, restore_body(client, nid, 3), 3)
    assert stale.status_code == 412
    assert "version 5" in stale.json()["detail"]
    assert client.get(f"/api/networks/{nid}").json()["version"] == 5


def test_restore_must_carry_that_versions_weights(client):
    nid = create(client, *XOR_NET, dataset="xor")["id"]
    train(client, nid, dataset="xor", learning_rate=0.5, steps=4)
    body = restore_body(client, nid, 2)
    body["restored_from"] = 1
    r = put(client, nid, body, 2)
    assert r.status_code == 422
    assert fields(r) == ["restored_from"]
    missing = put(client, nid, restore_body(client, nid, 2) | {"restored_from": 99}, 2)
    assert missing.status_code == 404
    assert client.get(f"/api/networks/{nid}").json()["version"] == 2


def test_new_weights_are_a_new_version_and_start_a_new_record(client):
    made = create(client, *XOR_NET, dataset="xor")
    nid = made["id"]
    train(client, nid, dataset="xor", learning_rate=0.5, steps=6)
    sizes, activations, cost = XOR_NET
    spec = {"sizes": sizes, "activations": activations, "cost": cost}
    spec["init"] = {"scheme": "xavier", "seed": 99}
    body = {"name": "t", "dataset": "xor", "network": spec}
    r = put(client, nid, body, 2)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 3
    drawn = Network.initialised(sizes, activations, cost, "xavier", 99).to_dict()
    assert same_parameters(r.json()["network"], drawn)
    assert not same_parameters(r.json()["network"], made["network"])
    got = record(client, nid)
    assert got["steps"] == 0 and got["points"]["step"] == []
    assert versions(client, nid)[3]["steps"] == 0
    assert versions(client, nid)[2]["steps"] == 6  # the trained weights stay, restorable
    # The same seed twice is the same weights; a stale tab's reset is refused.
    assert put(client, nid, body, 2).status_code == 412


def test_a_rename_keeps_the_record(client):
    nid = create(client, *XOR_NET, dataset="xor")["id"]
    out = train(client, nid, dataset="xor", learning_rate=0.5, steps=5).json()
    body = {"name": "renamed", "dataset": "xor", "network": out["network"]}
    assert put(client, nid, body, 2).status_code == 200
    got = record(client, nid)
    assert got["version"] == 3 and got["steps"] == 5 and len(got["points"]["step"]) == 5


def test_record_of_an_unknown_network_is_404(client):
    r = client.get("/api/networks/999999/training")
    assert r.status_code == 404 and "999999" in r.json()["detail"]


def test_the_live_streams_checkpoints_write_the_points_it_measured(client):
    from live_helpers import receive

    nid = create(client, *XOR_NET, dataset="xor")["id"]
    train(client, nid, dataset="xor", learning_rate=0.5, steps=4)  # the record goes on from 4
    sent = {"step": [], "loss": [], "held": []}
    with client.websocket_connect(f"/api/networks/{nid}/live") as ws:
        ws.send_json(
            {"type": "start", "dataset": "xor", "learning_rate": 0.5, "batch_size": 10}
            | {"if_version": 2}
        )
        assert receive(ws)[0] == "started"
        for _ in range(3):
            kind, (header, _) = receive(ws)
            assert kind == "frame"
            sent["step"] += header["points"]["step"]
            sent["loss"] += header["points"]["loss"]
            sent["held"] += header["points"]["held_out_accuracy"]
            ws.send_json({"type": "drawn"})
        ws.send_json({"type": "pause"})
        while (msg := receive(ws))[0] != "paused":
            if msg[0] == "frame":
                header = msg[1][0]
                sent["step"] += header["points"]["step"]
                sent["loss"] += header["points"]["loss"]
                sent["held"] += header["points"]["held_out_accuracy"]
        paused = msg[1]
    got = record(client, nid)
    assert got["version"] == paused["version"]
    assert got["steps"] == 4 + paused["step"]
    p = got["points"]
    assert p["step"][:4] == [1, 2, 3, 4]
    assert p["step"][4:] == [4 + s for s in sent["step"]]
    assert p["loss"][4:] == sent["loss"]
    assert p["held_out_accuracy"][4:] == sent["held"]
    assert versions(client, nid)[paused["version"]]["steps"] == 4 + paused["step"]
