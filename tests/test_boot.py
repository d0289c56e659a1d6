"""The first picture comes with the HTML: `/` embeds the API's own answers for the first
network (app/boot.py), each equal to what the API answers for the same request, and the
page is served compressed with a preload link for every module."""

from __future__ import annotations

import json
import re

import pytest

from app.modules import exports_of, imports_of, joined, module_order
from app.web import JOINED, LATER_MODULES, MODULES, ORDER, SHARED, STATIC_DIR, STYLES, assets


def boot_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="boot">(.*?)</script>', html, re.S)
    assert m, "no boot block"
    return json.loads(m.group(1))


def test_the_boot_answers_are_the_apis_answers(client):
    first = client.get("/api/networks").json()[0]
    boot = boot_of(client.get("/").text)
    nid = first["id"]
    assert boot["GET /api/meta"]["data"] == client.get("/api/meta").json()
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


def test_the_first_pictures_modules_come_as_one_and_text_is_compressed(client):
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    version = assets.version()
    scripts = re.findall(r'<script type="module" src="([^"]+)">', r.text)
    assert scripts == [f"/static/{version}/{JOINED}"] and "js/main.js" in MODULES
    assert "modulepreload" not in r.text
    # The editor, the Train dock, the lessons, the Saved panel and the Inspector's views come
    # after the first picture (js/later.js), named for the page to preload then.
    for folder in ("build", "train", "lessons", "saved", "inspect", "input"):
        early = [m for m in MODULES if m.startswith(f"js/{folder}/")]
        # but the stepper, which sits above the diagram: it is there when the diagram is sized
        assert all(m.startswith("js/inspect/stepper") for m in early), early
        assert any(m.startswith(f"js/{folder}/") for m in LATER_MODULES), folder
    later = json.loads(re.search(r'id="later-modules">(.*?)</script>', r.text).group(1))
    assert later == [f"/static/{version}/{m}" for m in [*LATER_MODULES, *SHARED]]
    assert "js/core/api.js" in SHARED and set(SHARED) <= set(MODULES)
    every = {p.relative_to(STATIC_DIR).as_posix() for p in (STATIC_DIR / "js").rglob("*.js")}
    assert set(MODULES) | set(LATER_MODULES) == every and not set(MODULES) & set(LATER_MODULES)
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', r.text) == [
        f"/static/{version}/css/page.css"
    ]
    # KaTeX is not loaded up front: the first picture does not wait for it.
    assert "katex.min.js" not in r.text


def test_the_joined_module_holds_each_first_picture_module_after_what_it_imports(client):
    version = assets.version()
    text = client.get(f"/static/{version}/{JOINED}").text
    held = re.findall(r'^__joined\["([^"]+)"\] = \(\(\) => \{$', text, re.M)
    assert held == ORDER and sorted(held) == MODULES and held[-1] == "js/main.js"
    for i, m in enumerate(held):
        assert set(imports_of(STATIC_DIR, m)) <= set(held[:i]), m
    body = text.replace("export { __joined as modules };", "")
    assert not re.search(r"^(import|export) ", body, re.M)
    # A later module asking for a joined one gets that same instance, by the same names.
    stand = client.get(f"/static/{version}/js/core/api.js").text
    assert 'import { modules } from "../first-picture.js";' in stand
    names = exports_of("js/core/api.js", (STATIC_DIR / "js/core/api.js").read_text())
    assert "api" in names and "freshSignal" in names
    assert f'export const {{ {", ".join(names)} }} = modules["js/core/api.js"];' in stand
    # The plain path still serves the file itself (tests import modules one by one).
    plain = client.get("/static/js/core/api.js").content
    assert plain == (STATIC_DIR / "js/core/api.js").read_bytes()


def test_the_joiner_refuses_what_it_does_not_know(tmp_path):
    (tmp_path / "a.js").write_text('import b from "./b.js";\nexport const a = b;\n')
    (tmp_path / "b.js").write_text("export default 1;\n")
    with pytest.raises(ValueError, match=r"b\.js: an export form"):
        joined(["b.js"], [(tmp_path / "b.js").read_text()])
    with pytest.raises(ValueError, match=r"a\.js: an import form"):
        joined(["a.js"], [(tmp_path / "a.js").read_text()])
    (tmp_path / "c.js").write_text('import { d } from "./d.js";\nexport const c = 1;\n')
    (tmp_path / "d.js").write_text('import { c } from "./c.js";\nexport const d = c;\n')
    with pytest.raises(ValueError, match=r"import cycle: c\.js -> d\.js -> c\.js"):
        module_order(tmp_path, "c.js")


def test_static_files_are_precompressed_and_versioned_urls_cached_for_a_year(client):
    raw = (STATIC_DIR / "js" / "train" / "loop.js").read_bytes()
    version = assets.version()
    js = client.get(f"/static/{version}/js/train/loop.js", headers={"Accept-Encoding": "gzip"})
    assert js.status_code == 200 and js.headers["content-encoding"] == "gzip"
    assert js.content == raw  # httpx decodes it
    assert js.headers["content-type"].startswith("text/javascript")
    assert (
        "immutable" in js.headers["cache-control"]
        and "max-age=31536000" in js.headers["cache-control"]
    )
    again = client.get(
        f"/static/{version}/js/train/loop.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": js.headers["etag"]},
    )
    assert again.status_code == 304 and not again.content
    # The plain path and an old version's path serve the same file, revalidated each time.
    for path in ("/static/js/train/loop.js", "/static/v-000000000000/js/train/loop.js"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.content == raw and r.headers["cache-control"] == "no-cache", path
    plain = client.get("/static/js/train/loop.js", headers={"Accept-Encoding": "identity"})
    assert plain.content == raw and "content-encoding" not in plain.headers
    # The style sheets come as one, in their order; the files themselves are still there.
    page_css = client.get(f"/static/{version}/css/page.css", headers={"Accept-Encoding": "gzip"})
    assert page_css.headers["content-encoding"] == "gzip"
    assert page_css.headers["content-type"].startswith("text/css")
    assert page_css.content == b"\n".join((STATIC_DIR / c).read_bytes() for c in STYLES)
    assert client.get("/static/css/app.css").content == (STATIC_DIR / "css/app.css").read_bytes()
    head = client.head(f"/static/{version}/css/page.css", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and int(head.headers["content-length"]) > 1000
    assert not head.content
    font = client.get(f"/static/{version}/vendor/katex/fonts/KaTeX_Main-Regular.woff2")
    assert font.status_code == 200 and "immutable" in font.headers["cache-control"]
    for bad in ("/static/../app/main.py", "/static/v-x/../../pyproject.toml", "/static/js/nope.js"):
        assert client.get(bad, headers={"Accept-Encoding": "gzip"}).status_code == 404, bad
