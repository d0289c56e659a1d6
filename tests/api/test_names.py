"""Names are for people: trimmed, 1 to 200 characters, no control or bidi characters, and a
refused name is never sent back whole."""

from __future__ import annotations

import pytest

NET = {"sizes": [1, 1], "activations": ["sigmoid"], "cost": "quadratic", "init": {"seed": 0}}


def save(client, name):
    return client.post("/api/networks", json={"name": name, "network": NET})


def test_a_name_is_trimmed(client):
    r = save(client, "  spaced out   ")
    assert r.status_code == 201
    assert r.json()["name"] == "spaced out"
    assert client.get(f"/api/networks/{r.json()['id']}").json()["name"] == "spaced out"


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_an_empty_name_is_refused(client, name):
    r = save(client, name)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("name", "code_point"),
    [
        ("a\x00b", "U+0000"),
        ("line\nbreak", "U+000A"),
        ("abc\u202egnp.exe", "U+202E"),
        ("x\u2066y", "U+2066"),
        ("bell\x07", "U+0007"),
        ("c1\x85", "U+0085"),
    ],
)
def test_control_and_bidi_characters_are_refused_by_code_point(client, name, code_point):
    r = save(client, name)
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == "name"
    assert code_point in body["detail"]
    assert name not in r.text  # the value itself is not echoed


def test_200_characters_pass_and_201_do_not(client):
    assert save(client, "n" * 200).status_code == 201
    r = save(client, "n" * 201)
    assert r.status_code == 422
    assert "n" * 201 not in r.text


def test_a_huge_name_is_refused_without_coming_back(client):
    r = save(client, "q" * 1_000_000)
    assert r.status_code == 422
    assert len(r.content) < 1_000


def test_emoji_and_other_scripts_are_names(client):
    for name in ["👩‍💻 sigmoid", "ネットワーク", "שלום net"]:
        r = save(client, name)
        assert r.status_code == 201, name
        assert r.json()["name"] == name


def test_rename_and_import_follow_the_same_rules(client):
    nid = save(client, "first").json()["id"]
    r = client.put(f"/api/networks/{nid}", json={"name": "bad\x1b[31m", "network": NET})
    assert r.status_code == 422
    doc = client.get(f"/api/networks/{nid}/export").json()
    assert client.post("/api/networks/import", json={**doc, "name": " \u202e"}).status_code == 422
    assert client.post("/api/networks/import", json={**doc, "name": " ok "}).json()["name"] == "ok"
