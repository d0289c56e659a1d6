"""All API routers, gathered once. The app includes each under /api itself: a router
nested in another adds a matching step to every request."""

from fastapi import APIRouter

from app.api.routes import (
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

PREFIX = "/api"
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
