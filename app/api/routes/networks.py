"""Saved networks: create, list, read, replace (with If-Match), delete, export, import.

HTTP only: statuses and headers. The work is in app/services/networks.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Query, Response

from app.api.deps import NetworksDep, SettingsDep
from app.api.store_schemas import (
    NetworkCreate,
    NetworkFile,
    NetworkFileOut,
    NetworkOut,
    NetworkSummary,
    VersionOut,
)
from app.services import networks as service
from app.store.networks import SavedNetwork

router = APIRouter(prefix="/networks", tags=["networks"])


def _etag(version: int) -> str:
    return f'"{version}"'


def _saved(saved: SavedNetwork, response: Response) -> dict:
    """The answer's body (validated against NetworkOut by FastAPI) and its ETag."""
    response.headers["ETag"] = _etag(saved.version)
    return saved.to_json()


def _created(saved: SavedNetwork, response: Response) -> dict:
    response.headers["Location"] = f"/api/networks/{saved.id}"
    return _saved(saved, response)


@router.post("", status_code=201, response_model=NetworkOut)
def create(body: NetworkCreate, response: Response, networks: NetworksDep, settings: SettingsDep):
    """Save a new network at version 1. Give `init` instead of weights and biases to have
    the server draw them (seeded)."""
    return _created(service.create(networks, body, settings), response)


@router.get("", response_model=list[NetworkSummary])
def list_networks(networks: NetworksDep):
    """Every saved network, without its weights."""
    return networks.list()


@router.post("/import", status_code=201, response_model=NetworkOut)
def import_file(
    body: NetworkFile, response: Response, networks: NetworksDep, settings: SettingsDep
):
    """Save the contents of an exported file as a new network."""
    return _created(service.import_file(networks, body, settings), response)


@router.get("/{nid}", response_model=NetworkOut)
def read(
    nid: int,
    response: Response,
    networks: NetworksDep,
    version: int | None = Query(None, ge=1, description="an older version"),
):
    """The network with its weights; the ETag is its version."""
    return _saved(networks.get(nid, version), response)


@router.get("/{nid}/versions", response_model=list[VersionOut])
def versions(nid: int, networks: NetworksDep):
    """The history: one entry per saved change."""
    return networks.versions(nid)


@router.put("/{nid}", response_model=NetworkOut)
def replace(
    nid: int,
    body: NetworkCreate,
    response: Response,
    networks: NetworksDep,
    settings: SettingsDep,
    if_match: str | None = Header(None, description="the version you edited"),
):
    """Replace name and network as a new version. With If-Match, a stale version gets
    412 and changes nothing."""
    return _saved(service.replace(networks, nid, body, settings, if_match), response)


@router.delete("/{nid}", status_code=204, response_class=Response)
def delete(nid: int, networks: NetworksDep):
    """Delete the network and its whole history."""
    networks.delete(nid)
    return Response(status_code=204)


@router.get("/{nid}/export", response_model=NetworkFileOut)
def export(nid: int, networks: NetworksDep):
    """A JSON file that `POST /api/networks/import` takes back."""
    saved = networks.get(nid)
    doc, filename = service.export_file(saved)
    return Response(
        NetworkFileOut.model_validate(doc).model_dump_json(),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "ETag": _etag(saved.version),
        },
    )
