"""GET /api/meta: the facts the page reads once at start."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import SettingsDep
from app.api.json_body import JsonRoute
from app.api.meta_schemas import MetaResponse
from app.services.meta import meta as read_meta

router = APIRouter(tags=["meta"], route_class=JsonRoute)


@router.get("/meta", response_model=MetaResponse, response_model_exclude_none=True)
async def meta(settings: SettingsDep):
    """The caps in force, the activations (which are last-layer only), the costs (and the
    outputs they need), the init schemes and training defaults per dataset."""
    return read_meta(settings)
