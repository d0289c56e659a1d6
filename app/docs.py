"""/docs (Swagger UI) and /redoc from the vendored copies under static/vendor: no CDN, and
no inline script, so the Content-Security-Policy holds on these pages too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.web import STATIC_DIR, templates

router = APIRouter(include_in_schema=False)


def _version(name: str) -> str:
    return (STATIC_DIR / "vendor" / name / "VERSION").read_text().strip()


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    context = {"openapi_url": request.app.openapi_url, "version": _version("swagger-ui")}
    return templates.TemplateResponse(request, "docs/swagger.html", context)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    context = {"openapi_url": request.app.openapi_url, "version": _version("redoc")}
    return templates.TemplateResponse(request, "docs/redoc.html", context)
