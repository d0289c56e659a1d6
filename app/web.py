"""The page: `/` rendered from templates/ and the ES modules under /static.

The page talks to the REST API; `/` only adds, for a fast first picture, the API's own
answers for the first network (app/boot.py) and a preload link for each module the first
picture needs (app/assets.py), so the browser fetches them at once instead of in waves of
imports. The other views' modules are named for the page to preload once it has drawn.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.assets import Assets, module_closure
from app.boot import boot_data

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"
MODULES = module_closure(STATIC_DIR, "js/main.js")
LATER_MODULES = [m for m in module_closure(STATIC_DIR, "js/later.js") if m not in MODULES]
KATEX_VERSION = (STATIC_DIR / "vendor" / "katex" / "VERSION").read_text().strip()

templates = Jinja2Templates(directory=TEMPLATES_DIR)
# The page's style sheets, in their cascade order, as one request.
STYLES = ["css/app.css", "css/build.css", "css/train.css", "css/lessons.css", "css/display.css"]
assets = Assets(STATIC_DIR, bundles={"css/page.css": STYLES})
router = APIRouter(include_in_schema=False)
router.mount("/static", assets, name="static")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    version = assets.version()

    def asset(path: str) -> str:
        """The versioned URL of a static file (cached for a year; a new version, a new URL)."""
        return request.url_for("static", path=f"{version}/{path}").path

    context = {
        "katex_version": KATEX_VERSION,
        "asset": asset,
        "modules": MODULES,
        "later": [asset(m) for m in LATER_MODULES],
        "boot": boot_data(request),
    }
    return templates.TemplateResponse(request, "index.html", context)
