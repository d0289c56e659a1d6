"""Shared mode on a real uvicorn, two clients with their own cookie jars: each gets an
owner key, sees only its own networks and the shared demos, and reaches another's network
only through a share link. The local mode sets no cookie and keeps everything one user's."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.testing import serve

NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"seed": 4},
}
TRAIN = {"dataset": "xor", "learning_rate": 1, "batch_size": 4, "steps": 2}
XY = {"x": [0.5, 0.25], "y": [1.0, 0.0]}


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("shared") / "shared.sqlite3"
    with serve(Settings(db_path=db, shared=True)) as url:
        yield url


@pytest.fixture
def a(shared_url):
    with httpx.Client(base_url=shared_url, timeout=30) as c:
        yield c


@pytest.fixture
def b(shared_url):
    with httpx.Client(base_url=shared_url, timeout=30) as c:
        yield c


def make(client, name="mine") -> dict:
    r = client.post("/api/networks", json={"name": name, "dataset": "xor", "network": NET})
    assert r.status_code == 201, r.text
    return r.json()


def test_the_first_response_gives_an_httponly_samesite_strict_key_once(a):
    first = a.get("/api/networks")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("explorer_owner=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http on loopback; https at a proxy adds it
    key = a.cookies["explorer_owner"]
    assert len(key) >= 32
    again = a.get("/api/networks")
    assert "set-cookie" not in again.headers
    # The page itself hands out the key too, so a first visit owns what it saves.
    with httpx.Client(base_url=str(a.base_url)) as fresh:
        assert "explorer_owner=" in fresh.get("/").headers["set-cookie"]


def test_another_client_cannot_list_read_change_train_export_or_delete(a, b):
    mine = make(a)
    nid = mine["id"]
    assert nid in [n["id"] for n in a.get("/api/networks").json()]
    assert nid not in [n["id"] for n in b.get("/api/networks").json()]
    attempts = [
        b.get(f"/api/networks/{nid}"),
        b.get(f"/api/networks/{nid}", params={"version": 1}),
        b.get(f"/api/networks/{nid}/versions"),
        b.get(f"/api/networks/{nid}/export"),
        b.put(
            f"/api/networks/{nid}",
            json={"name": "taken", "network": NET},
            headers={"If-Match": '"1"'},
        ),
        b.post(f"/api/networks/{nid}/train", json=TRAIN),
        b.post(f"/api/networks/{nid}/backprop", json=XY),
        b.post(f"/api/networks/{nid}/copy"),
        b.post(f"/api/networks/{nid}/share"),
        b.delete(f"/api/networks/{nid}/share"),
        b.delete(f"/api/networks/{nid}"),
    ]
    for r in attempts:
        assert r.status_code == 404, (r.request.method, r.request.url, r.text)
        assert r.json()["detail"] == f"id: no network with id {nid}"  # as if it did not exist
    # A's network is untouched and A can do all of it.
    got = a.get(f"/api/networks/{nid}")
    assert (got.status_code, got.json()["name"], got.json()["version"]) == (200, "mine", 1)
    assert got.json()["read_only"] is False
    assert a.post(f"/api/networks/{nid}/train", json=TRAIN).json()["version"] == 2
    assert a.get(f"/api/networks/{nid}/export").status_code == 200
    assert a.delete(f"/api/networks/{nid}").status_code == 204


def test_a_script_may_send_the_key_as_a_header(a, shared_url):
    nid = make(a)["id"]
    key = a.cookies["explorer_owner"]
    with httpx.Client(base_url=shared_url, headers={"X-Explorer-Owner": key}) as script:
        r = script.get(f"/api/networks/{nid}")
        assert r.status_code == 200
        assert "set-cookie" not in r.headers
    bad = httpx.get(f"{shared_url}/api/networks", headers={"X-Explorer-Owner": "short"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "X-Explorer-Owner", "message": bad.json()["errors"][0]["message"]}
    ]


def test_demos_are_shared_read_only_and_a_copy_is_owned(a, b):
    demos_a = [n for n in a.get("/api/networks").json() if n["read_only"]]
    demos_b = [n for n in b.get("/api/networks").json() if n["read_only"]]
    assert demos_a and [n["id"] for n in demos_a] == [n["id"] for n in demos_b]
    demo = demos_a[0]
    assert a.get(f"/api/networks/{demo['id']}").json()["read_only"] is True
    assert b.post(f"/api/networks/{demo['id']}/backprop", json=XY).status_code == 200
    refused = [
        b.put(f"/api/networks/{demo['id']}", json={"name": "mine now", "network": NET}),
        b.post(f"/api/networks/{demo['id']}/train", json=TRAIN),
        b.delete(f"/api/networks/{demo['id']}"),
    ]
    for r in refused:
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "forbidden"
        assert f"/api/networks/{demo['id']}/copy" in r.json()["detail"]
    assert a.get(f"/api/networks/{demo['id']}").json()["version"] == demo["version"]
    # Opening it for training: an owned copy with the demo's weights, that trains.
    copy = b.post(f"/api/networks/{demo['id']}/copy")
    assert copy.status_code == 201, copy.text
    mine = copy.json()
    assert mine["read_only"] is False and mine["version"] == 1
    assert mine["network"] == a.get(f"/api/networks/{demo['id']}").json()["network"]
    trained = b.post(f"/api/networks/{mine['id']}/train", json=TRAIN)
    assert trained.status_code == 200 and trained.json()["version"] == 2
    assert a.get(f"/api/networks/{mine['id']}").status_code == 404
    assert [h["source"] for h in b.get(f"/api/networks/{mine['id']}/versions").json()] == [
        "copy",
        "train",
    ]


def test_a_share_link_reads_one_network_and_nothing_else(a, b, shared_url):
    nid = make(a, "shown")["id"]
    link = a.post(f"/api/networks/{nid}/share")
    assert link.status_code == 200
    token = link.json()["token"]
    assert len(token) >= 32
    assert link.json()["url"] == f"/api/shared/{token}"
    assert a.post(f"/api/networks/{nid}/share").json()["token"] == token  # the same link
    seen = b.get(link.json()["url"])
    assert seen.status_code == 200
    assert seen.json()["read_only"] is True
    assert seen.json()["network"] == a.get(f"/api/networks/{nid}").json()["network"]
    # A stranger with no key at all reads it too, and still nothing else.
    assert httpx.get(f"{shared_url}/api/shared/{token}").status_code == 200
    assert b.get(f"/api/networks/{nid}").status_code == 404
    assert b.post(f"/api/networks/{nid}/train", json=TRAIN).status_code == 404
    # A newer version shows through the same link.
    a.post(f"/api/networks/{nid}/train", json=TRAIN)
    assert b.get(link.json()["url"]).json()["version"] == 2
    # Revoked: gone. A guessed or malformed token is not found or refused.
    assert a.delete(f"/api/networks/{nid}/share").status_code == 204
    assert b.get(link.json()["url"]).status_code == 404
    assert b.get(f"/api/shared/{'A' * 32}").status_code == 404
    assert b.get("/api/shared/short").status_code == 422


def test_the_local_mode_has_no_keys_and_demos_stay_editable(client):
    r = client.get("/api/networks")
    assert "set-cookie" not in r.headers
    demo = r.json()[0]
    assert demo["read_only"] is False
    assert client.post(f"/api/networks/{demo['id']}/train", json=TRAIN).status_code == 200
    assert client.delete(f"/api/networks/{demo['id']}").status_code == 204


def test_the_live_stream_plays_only_the_owners_network(tmp_path):
    """The stream acts for the connection's owner: another key gets not_found, a demo is
    read-only, and the owner's play is checkpointed as theirs."""
    key_a, key_b = "a" * 40, "b" * 40
    start = {"type": "start", "dataset": "xor", "learning_rate": 0.5}
    with TestClient(create_app(Settings(db_path=tmp_path / "s.sqlite3", shared=True))) as c:
        nid = c.post(
            "/api/networks",
            json={"name": "mine", "dataset": "xor", "network": NET},
            headers={"X-Explorer-Owner": key_a},
        ).json()["id"]
        demo = c.get("/api/networks", headers={"X-Explorer-Owner": key_a}).json()[0]
        assert demo["read_only"] is True
        for key, target, code in ((key_b, nid, "not_found"), (key_a, demo["id"], "forbidden")):
            url = f"/api/networks/{target}/live"
            with c.websocket_connect(url, headers={"X-Explorer-Owner": key}) as ws:
                ws.send_json(start)
                msg = ws.receive_json()
            assert (msg["type"], msg["code"]) == ("error", code)
        with c.websocket_connect(
            f"/api/networks/{nid}/live", headers={"X-Explorer-Owner": key_a}
        ) as ws:
            ws.send_json(start)
            assert ws.receive_json()["type"] == "started"
            ws.send_json({"type": "pause"})
            while (m := ws.receive()).get("text") is None or '"paused"' not in m["text"]:
                pass
        mine = c.get(f"/api/networks/{nid}", headers={"X-Explorer-Owner": key_a}).json()
        assert mine["version"] == 2
        assert c.get(f"/api/networks/{nid}", headers={"X-Explorer-Owner": key_b}).status_code == 404
