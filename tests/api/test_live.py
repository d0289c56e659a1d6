"""The live-training stream: what a frame carries equals what the REST API computes for
the same weights, frames wait for the page, pause stops and saves, refusals are named."""

from __future__ import annotations

import numpy as np
from live_helpers import decode, network_of, receive
from training_helpers import create

SPEC = {"sizes": [2, 4, 4, 2], "activations": ["tanh", "tanh", "sigmoid"], "cost": "cross_entropy"}
SAMPLE = {"x": [[0.3, -0.7]], "y": [[0.0, 1.0]]}
GRID = {"n": 8, "extent": [-1.5, 1.5, -1.5, 1.5]}


def start(ws, nid_version, **over):
    body = {
        "type": "start",
        "dataset": "circles",
        "learning_rate": 0.1,
        "batch_size": 10,
        "if_version": nid_version,
        "sample": SAMPLE,
        "grid": GRID,
        **over,
    }
    ws.send_json(body)
    kind, msg = receive(ws)
    assert kind == "started", msg
    return msg


def circles_net(client):
    return create(client, SPEC["sizes"], SPEC["activations"], SPEC["cost"], dataset="circles")


def test_a_frame_is_exactly_the_rest_backprop_of_its_own_weights(client):
    saved = circles_net(client)
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        start(ws, saved["version"])
        frames = []
        for _ in range(3):
            kind, frame = receive(ws)
            assert kind == "frame"
            frames.append(frame)
            ws.send_json({"type": "drawn"})
        ws.send_json({"type": "pause"})
        while (kind := receive(ws)[0]) != "paused":
            pass
    header, arrays = frames[-1]
    assert header["exact"] is True and header["step"] > frames[0][0]["step"] > 0
    net = network_of(frames[-1], SPEC)
    r = client.post("/api/backprop", json={"network": net, **SAMPLE}).json()
    assert header["cost"] == r["cost"]
    for l in range(1, 4):
        for key in ("z", "a", "sigma_prime", "dC_da", "delta"):
            assert arrays[f"{key}{l}"].tolist() == r["layers"][l][key][0], (key, l)
    # The boundary: a1 - a0 of a forward pass over the same grid, rows from the top.
    xs = np.linspace(-1.5, 1.5, 8)
    grid = [[x, y] for y in xs[::-1] for x in xs]
    out = np.array(client.post("/api/forward", json={"network": net, "x": grid}).json()["output"])
    assert np.array_equal(arrays["boundary"], (out[:, 1] - out[:, 0]).astype(np.float32))


def test_frames_wait_for_the_page_and_pause_saves_the_last_frame(client):
    saved = circles_net(client)
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        start(ws, saved["version"])
        kind, first = receive(ws)
        assert kind == "frame"
        # No "drawn": the server trains on but sends nothing more until the pause.
        ws.send_json({"type": "pause"})
        kind, last = receive(ws)
        assert kind == "frame"
        kind, paused = receive(ws)
    assert kind == "paused"
    assert last[0]["step"] == paused["step"] > first[0]["step"]
    assert paused["stop_ms"] < 100  # the server's own clock: pause received to loop ended
    stored = client.get(f"/api/networks/{saved['id']}").json()
    assert stored["version"] == paused["version"] > saved["version"]
    assert network_of(last, SPEC)["weights"] == stored["network"]["weights"]
    assert last[0]["version"] == paused["version"]
    # The loss points measured since the previous frame travel with each frame.
    pts = last[0]["points"]
    assert len(pts["step"]) == len(pts["loss"]) == len(pts["accuracy"]) == len(pts["grad_norms"])
    assert all(0 <= a <= 1 for a in pts["accuracy"]) and all(len(g) == 3 for g in pts["grad_norms"])


def test_a_stale_version_and_a_bad_start_are_refused_with_their_field(client):
    saved = circles_net(client)
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        stale = {"type": "start", "dataset": "circles", "learning_rate": 0.1, "if_version": 99}
        ws.send_json(stale)
        kind, msg = receive(ws)
    assert (kind, msg["code"], msg["version"]) == ("error", "version_conflict", saved["version"])
    assert msg["errors"][0]["field"] == "if_version"
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        ws.send_json({"type": "start", "dataset": "circles", "learning_rate": -1})
        kind, msg = receive(ws)
    assert (kind, msg["code"]) == ("error", "validation_error")
    assert [e["field"] for e in msg["errors"]] == ["learning_rate"]
    with client.websocket_connect("/api/networks/999/live") as ws:
        ws.send_json({"type": "start", "dataset": "circles", "learning_rate": 0.1})
        kind, msg = receive(ws)
    assert (kind, msg["code"]) == ("error", "not_found")


def test_another_save_during_play_stops_the_stream_without_overwriting(client):
    saved = circles_net(client)
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        start(ws, saved["version"])
        receive(ws)
        theirs = client.put(
            f"/api/networks/{saved['id']}",
            json={"name": "theirs", "network": saved["network"]},
            headers={"If-Match": f'"{saved["version"]}"'},
        )
        assert theirs.status_code == 200, theirs.text
        ws.send_json({"type": "pause"})
        kinds = []
        while True:
            kind, msg = receive(ws)
            kinds.append(kind)
            if kind in ("paused", "error"):
                break
    assert (kind, msg["code"]) == ("error", "version_conflict")
    assert msg["version"] == saved["version"] + 1
    stored = client.get(f"/api/networks/{saved['id']}").json()
    assert stored["version"] == saved["version"] + 1 and stored["name"] == "theirs"


def test_divergence_keeps_the_last_finite_weights(client):
    saved = create(client, [2, 8, 2], ["relu", "linear"], "quadratic", dataset="circles")
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        start(ws, saved["version"], learning_rate=1000, sample=None, grid=None)
        while (kind := receive(ws))[0] == "frame":
            ws.send_json({"type": "drawn"})
    kind, msg = kind
    assert (kind, msg["code"], msg["errors"][0]["field"]) == ("error", "diverged", "learning_rate")
    stored = client.get(f"/api/networks/{saved['id']}").json()
    assert stored["version"] == msg["version"]
    assert np.all(np.isfinite(np.concatenate([np.ravel(w) for w in stored["network"]["weights"]])))


def test_large_networks_travel_as_float32(client):
    saved = create(client, [64, 80, 10], ["sigmoid", "sigmoid"], dataset="digits")
    with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
        start(ws, saved["version"], dataset="digits", sample=None, grid=None, learning_rate=3)
        _, (header, arrays) = receive(ws)
        ws.send_json({"type": "pause"})
        while receive(ws)[0] != "paused":
            pass
    assert header["exact"] is False and arrays["W1"].dtype == np.float32
    assert arrays["W1"].shape == (80, 64) and "boundary" not in arrays


def test_decode_reads_what_pack_writes():
    from app.services.live import pack

    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    b = np.array([1.5, -2.25], dtype=np.float32)
    header, arrays = decode(pack({"type": "frame", "step": 7}, [("a", a), ("b", b)]))
    assert header["step"] == 7
    assert np.array_equal(arrays["a"], a) and np.array_equal(arrays["b"], b)


def test_a_step_budget_spreads_its_steps_over_the_frames(tmp_path):
    """With EXPLORER_TRAIN_STEPS_PER_SECOND a slice takes one frame's share of the budget
    (120 steps/s at 60 frames/s: 2 steps), so a budgeted learner still sees frames at the
    display rate, a few steps apart, instead of bursts of an 8 ms slice's steps."""
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    app = create_app(Settings(db_path=tmp_path / "b.sqlite3", train_steps_per_second=120))
    with TestClient(app) as client:
        saved = circles_net(client)
        with client.websocket_connect(f"/api/networks/{saved['id']}/live") as ws:
            start(ws, saved["version"], fps=60)
            steps = []
            while len(steps) < 40:
                kind, frame = receive(ws)
                assert kind == "frame"
                steps.append(frame[0]["step"])
                ws.send_json({"type": "drawn"})
            ws.send_json({"type": "pause"})
            while receive(ws)[0] != "paused":
                pass
    # The first second's bucket (120 steps) may go in larger strides; then 2 per slice.
    later = np.diff(steps[-15:])
    assert np.median(later) <= 8, steps
