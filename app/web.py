"""The page: `/` rendered from templates/ and the ES modules under /static.

The page talks to the REST API only, so this router holds no logic beyond
serving files; `include_router(web.router)` is all the app needs.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
router = APIRouter(include_in_schema=False)
router.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    katex = (STATIC_DIR / "vendor" / "katex" / "VERSION").read_text().strip()
    return templates.TemplateResponse(request, "index.html", {"katex_version": katex})
