"""The first picture comes with the HTML: `/` embeds the API's own answers for the first
network (app/boot.py), each equal to what the API answers for the same request, and the
page is served compressed with a preload link for every module."""

from __future__ import annotations

import json
import re

from app.web import MODULES


def boot_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="boot">(.*?)</script>', html, re.S)
    assert m, "no boot block"
    return json.loads(m.group(1))


def test_the_boot_answers_are_the_apis_answers(client):
    first = client.get("/api/networks").json()[0]
    boot = boot_of(client.get("/").text)
    nid = first["id"]
    assert boot["GET /api/networks"]["data"] == client.get("/api/networks").json()
    assert boot["GET /api/datasets"]["data"] == client.get("/api/datasets").json()
    r = client.get(f"/api/networks/{nid}")
    assert boot[f"GET /api/networks/{nid}"] == {"data": r.json(), "etag": r.headers["etag"]}
    name = first["dataset"]
    sample = client.get(f"/api/datasets/{name}?offset=0&limit=1").json()
    assert boot[f"GET /api/datasets/{name}?offset=0&limit=1"]["data"] == sample
    body = {"x": sample["x"][0], "y": sample["y"][0]}
    posted = boot[f"POST /api/networks/{nid}/backprop"]
    assert posted["body"] == body
    assert posted["data"] == client.post(f"/api/networks/{nid}/backprop", json=body).json()


def test_the_boot_follows_the_url_and_leaves_out_what_it_cannot_have(client):
    nets = client.get("/api/networks").json()
    other = nets[-1]
    boot = boot_of(client.get(f"/?net={other['id']}&sample=3").text)
    assert f"GET /api/networks/{other['id']}" in boot
    if other["dataset"]:
        assert f"GET /api/datasets/{other['dataset']}?offset=3&limit=1" in boot
    for query in ("?net=999999", "?net=demo:xor", "?net=abc", "?input=custom", "?sample=-4"):
        keys = set(boot_of(client.get(f"/{query}").text))
        assert not any(k.startswith("POST") for k in keys), query
        assert "GET /api/datasets" in keys


def test_modules_are_preloaded_and_text_is_compressed(client):
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    links = re.findall(r'<link rel="modulepreload" href="([^"]+)">', r.text)
    assert links == [f"/static/{m}" for m in MODULES] and "js/main.js" in MODULES
    js = client.get("/static/js/core/model.js", headers={"Accept-Encoding": "gzip"})
    assert js.headers["content-encoding"] == "gzip"
    # KaTeX is not loaded up front: the first picture does not wait for it.
    assert "katex.min.js" not in r.text
