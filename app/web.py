"""The page: `/` rendered from templates/ and the ES modules under /static.

The page talks to the REST API; `/` only adds, for a fast first picture, the API's own
answers for the first network (app/boot.py) and a preload link for every module, so the
browser fetches them all at once instead of in waves of imports.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.boot import boot_data

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"
MODULES = sorted(p.relative_to(STATIC_DIR).as_posix() for p in (STATIC_DIR / "js").rglob("*.js"))
KATEX_VERSION = (STATIC_DIR / "vendor" / "katex" / "VERSION").read_text().strip()

templates = Jinja2Templates(directory=TEMPLATES_DIR)
router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    context = {"katex_version": KATEX_VERSION, "modules": MODULES, "boot": boot_data(request)}
    return templates.TemplateResponse(request, "index.html", context)
