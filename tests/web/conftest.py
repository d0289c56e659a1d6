"""Browser tests: the real app under uvicorn (one per session) and Debian's Chromium.

Every test fails on any console error, uncaught page error, or error shown in the page's
banner, unless it declares the ones it expects with `expect_errors`. Screenshots go to
test-results/web/ (gitignored).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import pytest

from app.config import Settings
from app.testing import CHROMIUM, CHROMIUM_ARGS, serve

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "web"

# This folder on sys.path, so test modules can import their shared helpers (axe_helpers,
# colour_helpers) under --import-mode=importlib.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def pytest_collection_modifyitems(config, items):
    """Without Debian's Chromium (`make chromium`), say so instead of erroring per test."""
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: run `make chromium`")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def web_server():
    """The app on a fresh SQLite file, seeded with the demo networks on first start."""
    with (
        tempfile.TemporaryDirectory(prefix="web-tests-") as tmp,
        serve(Settings(db_path=Path(tmp) / "explorer.sqlite3")) as url,
    ):
        yield url


@pytest.fixture(scope="session")
def base_url(web_server):
    return web_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# lessons/welcome.js: a first visit (empty local storage) gets a modal welcome. Tests visit
# as returning visitors; test_lessons.py opens a fresh context to see the welcome.
WELCOME_KEY = "backprop-explorer.welcome"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, web_server):
    seen = [{"name": WELCOME_KEY, "value": "dismissed"}]
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "storage_state": {"cookies": [], "origins": [{"origin": web_server, "localStorage": seen}]},
    }


@pytest.fixture
def expect_errors():
    """Regexes of errors this test provokes on purpose; anything else still fails it."""
    return []


@pytest.fixture(autouse=True)
def no_errors(page, expect_errors):
    """Fail the test on any console error, page error, or error in the page's banner."""
    seen: list[str] = []
    page.on("console", lambda m: m.type == "error" and seen.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    yield seen
    if not page.is_closed():
        banner = page.locator("#error-banner .banner-item.error")
        seen.extend(f"banner: {t}" for t in banner.all_inner_texts())
    unexpected = [s for s in seen if not any(re.search(p, s) for p in expect_errors)]
    assert not unexpected, "errors in the page:\n" + "\n".join(unexpected)


@pytest.fixture
def shot(page, request):
    """shot("name") saves test-results/web/<test>-<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(name: str) -> Path:
        path = SHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return save


@pytest.fixture
def saved_network(page, web_server):
    """saved_network(spec, name=..., dataset=...) saves a network through the API and
    returns its id; every network made this way is deleted after the test."""
    made = []

    def save(spec: dict, name: str = "test network", dataset: str | None = None) -> int:
        body = {"name": name, "network": spec, **({"dataset": dataset} if dataset else {})}
        r = page.request.post(f"{web_server}/api/networks", data=body)
        assert r.ok, r.text()
        made.append(r.json()["id"])
        return made[-1]

    yield save
    for nid in made:
        page.request.delete(f"{web_server}/api/networks/{nid}")


@pytest.fixture
def open_page(page):
    """open_page("?net=2") loads the page and waits until the first answer is drawn."""

    def load(query: str = "") -> None:
        page.goto(f"/{query}")
        page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        page.wait_for_function("() => document.getElementById('network-canvas').dataset.drawMs")

    return load


SETTLED_JS = """() => {
  const ex = window.__explorer;
  return ex && ex.model.inputs && document.body.dataset.busy === "false" &&
    JSON.stringify(ex.model.inputs.x) === JSON.stringify(ex.state.get("x")) &&
    JSON.stringify(ex.model.inputs.y) === JSON.stringify(ex.state.get("y"));
}"""


@pytest.fixture
def settled(page):
    """settled() waits until the drawn answer belongs to the current x and y."""

    def wait() -> None:
        page.wait_for_function(SETTLED_JS, timeout=15_000)

    return wait


@pytest.fixture
def api(page, web_server):
    """api("backprop", body) posts to the saved network's endpoint the page is showing."""

    def call(op: str, body: dict) -> dict:
        net = page.evaluate("window.__explorer.model.network.id")
        url = (
            f"{web_server}/api/networks/{net}/{op}" if net is not None else f"{web_server}/api/{op}"
        )
        if net is None:
            body = {**body, "network": page.evaluate("window.__explorer.model.network.spec")}
        r = page.request.post(url, data=body)
        assert r.ok, r.text()
        return r.json()

    return call


@pytest.fixture
def inputs(page):
    """The x and y the page last computed with."""

    def get() -> dict:
        return page.evaluate("window.__explorer.model.inputs")

    return get


@pytest.fixture
def click_edge(page):
    """click_edge(l, j, k) clicks a canvas point that hit-tests to w^l_jk."""

    def click(l: int, j: int, k: int) -> None:
        pt = page.evaluate(f"window.__explorer.edgePoint({l}, {j}, {k})")
        assert pt, f"no clickable point on edge {l},{j},{k}"
        page.mouse.click(pt["x"], pt["y"])

    return click


@pytest.fixture
def click_neuron(page):
    def click(l: int, j: int) -> None:
        pt = page.evaluate(f"window.__explorer.neuronPoint({l}, {j})")
        page.mouse.click(pt["x"], pt["y"])

    return click
