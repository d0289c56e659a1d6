"""Shared dependencies: the app's one Settings object, its store, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.services.pool import TrainingPool
from app.store import open_store
from app.store.networks import Networks
from app.store.seed import seed_demos


def training_pool(app: FastAPI) -> TrainingPool:
    """The app's training pool (app/services/pool.py), made when first needed."""
    pool = app.state.training_pool
    if pool is None:
        s: Settings = app.state.settings
        pool = TrainingPool(s.training_threads, s.train_steps_per_second, nice=s.training_nice)
        app.state.training_pool = pool
    return pool


def open_networks(app: FastAPI) -> Networks:
    """The app's store, opened once (start-up checks, migration, demos for a new store),
    SQLite or PostgreSQL as settings.db_path says, and the training pool beside it."""
    with app.state.store_lock:
        if app.state.networks is None:
            settings: Settings = app.state.settings
            store = open_store(settings.db_path, create_folder=settings.create_db_folder)
            networks = Networks(
                store,
                keep_training=settings.keep_training_versions,
                keep_points=settings.keep_training_points,
                shared=settings.shared,
            )
            if store.created:
                seed_demos(networks)
            app.state.networks = networks
        training_pool(app)
        return app.state.networks


def close_networks(app: FastAPI) -> None:
    with app.state.store_lock:
        if app.state.networks is not None:
            app.state.networks.store.close()
            app.state.networks = None
        if app.state.training_pool is not None:
            app.state.training_pool.close()
            app.state.training_pool = None


# Dependencies are `async def`: FastAPI runs a plain `def` dependency in its thread pool,
# a thread hop per dependency per request for what is an attribute lookup.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_networks(request: Request) -> Networks:
    networks = request.app.state.networks
    if networks is None:  # no lifespan ran (TestClient(app) without `with`): open it now
        networks = await run_in_threadpool(open_networks, request.app)
    return networks


async def get_owner(request: Request) -> str | None:
    """The owner a request acts for in shared mode (set by app.api.owners); None locally."""
    if not request.app.state.settings.shared:
        return None
    return request.scope["state"]["owner"]


SettingsDep = Annotated[Settings, Depends(get_settings)]
NetworksDep = Annotated[Networks, Depends(get_networks)]
OwnerDep = Annotated[str | None, Depends(get_owner)]
# The demos are ids 1 and 2 in a new store: the example lets generated tests (schemathesis)
# reach a real network instead of a 404.
NetworkId = Annotated[int, Path(description="the network's id", examples=[1])]
