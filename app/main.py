"""The ASGI app: `app.main:app`."""

from __future__ import annotations

from fastapi import FastAPI

from app.api import api_router, errors
from app.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Backprop Explorer",
        description="A real NumPy network: forward pass, BP1-BP4 error terms, "
        "and Nielsen's sum over paths.",
        version="0.1.0",
    )
    app.state.settings = settings or Settings.from_env()
    errors.install(app)
    app.include_router(api_router)
    return app


app = create_app()
