"""The ASGI app: `app.main:app`. The store opens when the server starts, not on import,
or at the first request that needs it (`TestClient(app)` without `with` runs no lifespan)."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.telemetry import TelemetryConfig

from app.api import errors, openapi
from app.api.deps import close_networks, open_networks
from app.api.direct import DirectRoutes
from app.api.guards import Guards
from app.api.owners import OwnerKeys
from app.api.priority import InteractiveFirst
from app.api.router import PREFIX, routers
from app.config import Settings
from app.docs import router as docs_router
from app.lessons import load_lessons
from app.web import router as web_router

# The page and larger JSON answers travel compressed (static files come compressed once,
# at level 9, from app/assets.py); small answers, such as one backprop of a small network,
# are not worth it. Level 1, not Starlette's 9: on a 9 MB batch answer 9 costs 3.4 s of CPU
# for 10% fewer bytes than 1's 76 ms, and the page's own scripts shrink 2.5x at 1 against
# 2.7x at 9.
GZIP: dict[str, Any] = {"minimum_size": 2048, "compresslevel": 1}
# FastAPI's native OpenTelemetry, unless Settings.telemetry asks for it.
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # A fresh pool for the server's event loop (its turns are asyncio futures).
        if app.state.training_pool is not None:
            app.state.training_pool.close()
            app.state.training_pool = None
        open_networks(app)  # a store that cannot open stops the server here, not at a request
        yield
        close_networks(app)

    app = FastAPI(
        title="Backprop Explorer",
        description="A real NumPy network: forward pass, BP1-BP4 error terms, "
        "and Nielsen's sum over paths. Every refusal is JSON "
        '`{"detail", "errors": [{"field", "message"}], "code"}`.',
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by app.docs from vendored assets, not a CDN
        redoc_url=None,
        telemetry=None if settings.telemetry else NO_TELEMETRY,
    )
    app.state.settings = settings
    app.state.networks = None
    app.state.training_pool = None  # made by the first request or the lifespan
    app.state.store_lock = threading.Lock()
    app.state.lessons = load_lessons()  # a bad lesson file stops start-up
    errors.install(app)
    openapi.install(app)
    for router in routers:
        app.include_router(router, prefix=PREFIX)
    app.include_router(docs_router)
    app.include_router(web_router)
    # Middleware, innermost first. GZip wraps FastAPI's routes; the hot routes are answered
    # outside it, before routing, and pass only their big answers through it (its set-up on
    # every request costs ~12 µs, more than a small answer's JSON)...
    app.add_middleware(GZipMiddleware, **GZIP)
    app.add_middleware(DirectRoutes, routes=app.routes, gzip=GZIP)
    app.add_middleware(InteractiveFirst)
    if settings.shared:
        app.add_middleware(OwnerKeys)
    app.add_middleware(Guards, settings=settings)  # ...and who may ask, checked first
    return app


app = create_app()
