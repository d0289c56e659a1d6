"""All API routers, gathered once."""

from fastapi import APIRouter

from app.api.routes import compute, datasets, lessons, live, networks, saved, sharing, train, tree

api_router = APIRouter(prefix="/api")
api_router.include_router(compute.router)
api_router.include_router(networks.router)
api_router.include_router(saved.router)
api_router.include_router(datasets.router)
api_router.include_router(live.router)
api_router.include_router(tree.router)
api_router.include_router(train.router)
api_router.include_router(lessons.router)
api_router.include_router(sharing.router)
