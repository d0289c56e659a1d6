"""All API routers, gathered once, in the order requests try them: the interactive
compute routes first. Each router's routes already carry their /api prefix."""

from fastapi import APIRouter

from app.api.routes import (
    PREFIX,
    compute,
    datasets,
    lessons,
    live,
    meta,
    networks,
    saved,
    sharing,
    train,
    tree,
)

__all__ = ["PREFIX", "routers"]
routers: list[APIRouter] = [
    compute.router,
    networks.router,
    saved.router,
    datasets.router,
    live.router,
    tree.router,
    train.router,
    lessons.router,
    meta.router,
    sharing.router,
]
