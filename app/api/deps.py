"""Shared dependencies: the app's one Settings object and its store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.store import Store
from app.store.networks import Networks
from app.store.seed import seed_demos


def open_networks(app: FastAPI) -> Networks:
    """The app's store, opened once (start-up checks, migration, demos for a new file)."""
    with app.state.store_lock:
        if app.state.networks is None:
            settings: Settings = app.state.settings
            store = Store(settings.db_path, create_folder=settings.create_db_folder)
            networks = Networks(
                store,
                keep_training=settings.keep_training_versions,
                keep_points=settings.keep_training_points,
            )
            if store.created:
                seed_demos(networks)
            app.state.networks = networks
        return app.state.networks


def close_networks(app: FastAPI) -> None:
    with app.state.store_lock:
        if app.state.networks is not None:
            app.state.networks.store.close()
            app.state.networks = None


# Dependencies are `async def`: FastAPI runs a plain `def` dependency in its thread pool,
# a thread hop per dependency per request for what is an attribute lookup.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_networks(request: Request) -> Networks:
    networks = request.app.state.networks
    if networks is None:  # no lifespan ran (TestClient(app) without `with`): open it now
        networks = await run_in_threadpool(open_networks, request.app)
    return networks


SettingsDep = Annotated[Settings, Depends(get_settings)]
NetworksDep = Annotated[Networks, Depends(get_networks)]
# The demos are ids 1 and 2 in a new store: the example lets generated tests (schemathesis)
# reach a real network instead of a 404.
NetworkId = Annotated[int, Path(description="the network's id", examples=[1])]
