"""The dependency tree of one weight, bias or activation: stateless and saved."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import NetworksDep, OwnerDep, SettingsDep
from app.api.json_body import JsonRoute
from app.api.tree_schemas import TreeBody, TreeRequest, TreeResponse
from app.services import compute
from app.services.tree import tree

router = APIRouter(tags=["compute"], route_class=JsonRoute)


@router.post("/tree", response_model=TreeResponse, response_model_exclude_unset=True)
def tree_stateless(body: TreeRequest, settings: SettingsDep):
    """For one sample: the target, every z and a it reaches, and the cost, each with its
    value and dC/d(node); every edge with its local derivative. The two edges through a
    z node multiply to the rate factor `/api/paths` gives that step."""
    return tree(compute.build_network(body.network, settings), body, settings)


@router.post(
    "/networks/{nid}/tree",
    response_model=TreeResponse,
    response_model_exclude_unset=True,
    tags=["saved networks"],
)
def tree_saved(
    nid: int, body: TreeBody, networks: NetworksDep, settings: SettingsDep, owner: OwnerDep
):
    """As `POST /api/tree`, on the saved network's current version."""
    return tree(networks.get(nid, owner=owner).network, body, settings)
