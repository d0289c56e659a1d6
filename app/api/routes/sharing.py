"""Copies and share links: how a learner on a shared server gets a network of their own
from a demo, and lets someone else look at theirs without handing over their key."""

from __future__ import annotations

from fastapi import APIRouter, Path, Response

from app.api.deps import NetworkId, NetworksDep, OwnerDep
from app.api.json_body import JsonRoute
from app.api.store_schemas import NetworkOut, ShareOut
from app.store.networks import SavedNetwork

router = APIRouter(tags=["sharing"], route_class=JsonRoute)

TOKEN = Path(..., min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _out(saved: SavedNetwork, response: Response) -> dict:
    """The answer's body (checked against NetworkOut by FastAPI) and its ETag."""
    response.headers["ETag"] = f'"{saved.version}"'
    return saved.to_json()


@router.post("/networks/{nid:int}/copy", status_code=201, response_model=NetworkOut)
def copy(nid: NetworkId, response: Response, networks: NetworksDep, owner: OwnerDep):
    """A new network of yours at version 1 with this one's current weights (on a shared
    server, the way to train or change a demo)."""
    saved = networks.get(nid, owner=owner)
    name = f"{saved.name[:193]} (copy)"
    mine = networks.create(name, saved.network, saved.dataset, source="copy", owner=owner)
    response.headers["Location"] = f"/api/networks/{mine.id}"
    return _out(mine, response)


@router.post("/networks/{nid:int}/share", response_model=ShareOut)
def share(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """A link that shows this network, read-only, to anyone who has it (the same link
    every time you ask, until you revoke it)."""
    token = networks.share(nid, owner)
    return {"token": token, "url": f"/api/shared/{token}", "page": f"/?net=shared:{token}"}


@router.delete("/networks/{nid:int}/share", status_code=204, response_class=Response)
def unshare(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """Revoke the share link: it answers 404 from now on."""
    networks.unshare(nid, owner)
    return Response(status_code=204)


@router.get("/shared/{token}", response_model=NetworkOut)
def shared(response: Response, networks: NetworksDep, token: str = TOKEN):
    """The network behind a share link, read-only, at its current version."""
    return _out(networks.by_token(token), response)
