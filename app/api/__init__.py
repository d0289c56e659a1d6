"""All API routers, gathered once."""

from fastapi import APIRouter

from app.api.routes import compute

api_router = APIRouter(prefix="/api")
api_router.include_router(compute.router)
