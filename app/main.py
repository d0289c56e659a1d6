"""The ASGI app: `app.main:app`. The store opens when the server starts, not on import."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from app.api import api_router, errors
from app.api.owners import OwnerKeys
from app.api.priority import InteractiveFirst
from app.config import Settings
from app.lessons import load_lessons
from app.services.pool import TrainingPool
from app.store import open_store
from app.store.networks import Networks
from app.store.seed import seed_demos
from app.web import router as web_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store = open_store(settings.db_path)
        app.state.networks = Networks(
            store, keep_training=settings.keep_training_versions, shared=settings.shared
        )
        if store.created:
            seed_demos(app.state.networks)
        app.state.training_pool = TrainingPool(
            settings.training_threads,
            settings.train_steps_per_second,
            nice=settings.training_nice,
        )
        yield
        app.state.training_pool.close()
        store.close()

    app = FastAPI(
        title="Backprop Explorer",
        description="A real NumPy network: forward pass, BP1-BP4 error terms, "
        "and Nielsen's sum over paths.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.lessons = load_lessons()  # a bad lesson file stops start-up
    errors.install(app)
    # The page's modules, styles and larger JSON answers travel compressed (about 3.5x
    # smaller); small answers, such as one backprop of a small network, are not worth it.
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.state.training_pool = TrainingPool(
        settings.training_threads, settings.train_steps_per_second, nice=settings.training_nice
    )
    app.add_middleware(InteractiveFirst)
    if settings.shared:
        app.add_middleware(OwnerKeys)
    app.include_router(api_router)
    app.include_router(web_router)
    return app


app = create_app()
