"""The hot routes answered before FastAPI's routing (app/api/direct.py) answer exactly what
FastAPI's own path answers: the same status, type and JSON, refusals included."""

from __future__ import annotations

import json

import pytest
from errors_helpers import BODIES
from fastapi.testclient import TestClient

from app.api.deps import get_settings
from app.api.direct import DirectRoutes
from app.config import Settings
from app.main import GZIP, create_app

TOO_BIG = {**BODIES["backprop"]["network"], "sizes": [2, 600, 2]}
WRONG_SHAPE = {**BODIES["backprop"], "x": [0.05, 0.1, 0.2]}
# A batch whose answer is over GZip's minimum size: it travels compressed where asked for.
BIG = {**BODIES["forward"], "x": [[i / 100, 1 - i / 100] for i in range(100)]}
BIG.pop("y")
# (endpoint, body as sent): answers, validation refusals (FastAPI words them), refusals
# raised by the work (the app's handlers word them), and bodies that are not JSON at all.
CASES = [
    *((name, json.dumps(body)) for name, body in BODIES.items()),
    ("backprop", json.dumps({**BODIES["backprop"], "include": ["cost", "grad_w"]})),
    ("backprop", json.dumps(WRONG_SHAPE)),
    ("backprop", json.dumps({**BODIES["backprop"], "network": {**TOO_BIG, "weights": None}})),
    ("backprop", json.dumps({"x": [1, 2]})),
    ("backprop", json.dumps({**BODIES["backprop"], "x": [float("nan"), 0.1]})),
    ("paths", json.dumps({**BODIES["paths"], "target": {"kind": "weight", "layer": 9}})),
    ("nudge", json.dumps({**BODIES["nudge"], "target": {**BODIES["nudge"]["target"], "j": 5}})),
    ("forward", json.dumps(BIG)),
    ("forward", '{"network": '),
    ("forward", "\xff"),
    ("forward", ""),
    ("forward", "[]"),
]


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """The same app twice: one as it runs, one with a dependency override, which turns the
    direct answers off (an override must be honoured, and only FastAPI's path knows it)."""
    folder = tmp_path_factory.mktemp("direct")
    direct_app = create_app(Settings(db_path=folder / "a.sqlite3"))
    fastapi_app = create_app(Settings(db_path=folder / "b.sqlite3"))
    fastapi_app.dependency_overrides[get_settings] = lambda: fastapi_app.state.settings
    with TestClient(direct_app) as direct, TestClient(fastapi_app) as slow:
        yield direct, slow


def test_the_hot_routes_are_the_ones_answered_directly():
    """Stateless compute and the list of networks; a route that stops qualifying (a new
    parameter, a sync endpoint) would silently lose its speed, so the list is pinned."""
    table = DirectRoutes(app=None, routes=create_app().routes, gzip=GZIP).table
    assert set(table) == {
        ("POST", "/api/forward"),
        ("POST", "/api/backprop"),
        ("POST", "/api/paths"),
        ("POST", "/api/nudge"),
        ("POST", "/api/gradcheck"),
        ("GET", "/api/networks"),
    }


def _post(client, endpoint: str, text: str, encoding: str = "gzip, deflate"):
    return client.post(
        f"/api/{endpoint}",
        content=text.encode("latin-1") if text == "\xff" else text,
        headers={"content-type": "application/json", "accept-encoding": encoding},
    )


def _same(a, b) -> None:
    """Same status, type and JSON (FastAPI's response-model pass orders keys by the model;
    JSON objects are unordered)."""
    assert a.status_code == b.status_code, (a.text, b.text)
    for name in ("content-type", "content-encoding", "vary"):
        assert a.headers.get(name) == b.headers.get(name), name
    one, two = a.json(), b.json()
    if a.status_code == 200 and isinstance(one, dict) and "seconds" in one:
        one.pop("seconds"), two.pop("seconds")  # gradcheck's wall times
    assert one == two


@pytest.mark.parametrize(("endpoint", "text"), CASES)
def test_a_direct_answer_is_fastapis_answer(clients, endpoint, text):
    direct, slow = clients
    a, b = _post(direct, endpoint, text), _post(slow, endpoint, text)
    assert a.status_code != 500, a.text
    _same(a, b)


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
@pytest.mark.parametrize(("body", "big"), [(BODIES["forward"], False), (BIG, True)])
def test_big_answers_are_compressed_as_gzip_would(clients, encoding, body, big):
    """The direct routes sit outside the app's GZip and hand it only their big answers:
    the same Content-Encoding and Vary as FastAPI's path, and the same bytes once decoded."""
    a, b = (_post(c, "forward", json.dumps(body), encoding) for c in clients)
    _same(a, b)
    assert (len(a.content) >= GZIP["minimum_size"]) is big
    assert a.headers.get("content-encoding") == ("gzip" if big and encoding == "gzip" else None)
    assert a.headers.get("vary") == ("Accept-Encoding" if big else None)


def test_the_list_of_networks_is_fastapis_list(clients):
    direct, slow = clients
    for c in clients:  # the same store contents on both
        assert c.post("/api/networks", json={"name": "one", **_saved()}).status_code == 201
    a, b = direct.get("/api/networks"), slow.get("/api/networks")
    assert (a.status_code, a.headers["content-type"]) == (b.status_code, b.headers["content-type"])
    stamps = ("created_at", "updated_at")  # two stores, saved a few ms apart
    assert [{k: v for k, v in n.items() if k not in stamps} for n in a.json()] == [
        {k: v for k, v in n.items() if k not in stamps} for n in b.json()
    ]
    assert [n["name"] for n in a.json()][-1] == "one"


def _saved() -> dict:
    return {"dataset": None, "network": BODIES["backprop"]["network"]}


def test_a_dependency_override_is_honoured(tmp_path):
    """FastAPI's documented testing pattern: the override's settings (a 1-neuron cap)
    refuse what the app's own settings accept."""
    app = create_app(Settings(db_path=tmp_path / "x.sqlite3"))
    app.dependency_overrides[get_settings] = lambda: Settings(max_neurons=1)
    with TestClient(app) as c:
        r = _post(c, "backprop", json.dumps(BODIES["backprop"]))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "too_much_work"
    assert r.json()["errors"][0]["field"] == "network.sizes[0]"
