"""All API routers, gathered once."""

from fastapi import APIRouter

from app.api.routes import compute, datasets, networks, saved, sharing

api_router = APIRouter(prefix="/api")
api_router.include_router(compute.router)
api_router.include_router(networks.router)
api_router.include_router(saved.router)
api_router.include_router(datasets.router)
api_router.include_router(sharing.router)
