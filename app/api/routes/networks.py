"""Saved networks: create, list, read, replace (with If-Match), delete, export, import.

HTTP only: statuses and headers. The work is in app/services/networks.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Header, Query, Response
from starlette.concurrency import run_in_threadpool

from app.api.deps import NetworkId, NetworksDep, OwnerDep, SettingsDep
from app.api.json_body import JsonRoute, json_answer
from app.api.store_schemas import (
    ImportFile,
    Network2FileOut,
    NetworkCreate,
    NetworkFile,
    NetworkFileOut,
    NetworkOut,
    NetworkReplace,
    NetworkSummary,
    VersionOut,
)
from app.services import formats
from app.services import networks as service
from app.store.networks import SavedNetwork

router = APIRouter(prefix="/networks", tags=["networks"], route_class=JsonRoute)


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
def create(
    body: NetworkCreate,
    response: Response,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
):
    """Save a new network at version 1. Give `init` instead of weights and biases to have
    the server draw them (seeded)."""
    return _created(service.create(networks, body, settings, owner=owner), response)


# exclude_unset changes nothing here (the answer is a Response, every summary field is set);
# it states that the answer is written as built, which lets app.api.direct serve the route.
@router.get("", response_model=list[NetworkSummary], response_model_exclude_unset=True)
async def list_networks(networks: NetworksDep, owner: OwnerDep):
    """Every saved network, without its weights (in shared mode: yours and the demos)."""
    # The store builds the documented summaries itself (the contract tests check them
    # against /openapi.json), so they are written as they are, not validated again.
    if networks.store.kind == "sqlite":
        # A WAL read of a few rows never waits for a writer and takes ~50 µs: less than the
        # hop to a thread, whose GIL handoffs under 32 clients cost more than the read.
        return json_answer(networks.list(owner))
    # PostgreSQL answers over a socket: off the event loop, in one hop (a plain `def`
    # route costs two: FastAPI validates a sync route's answer in the thread pool too).
    return json_answer(await run_in_threadpool(networks.list, owner))


@router.post("/import", status_code=201, response_model=NetworkOut)
def import_file(
    body: Annotated[ImportFile, Body()],
    response: Response,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
    name: str | None = Query(
        None, min_length=1, max_length=200, description="network2 files: the name to save under"
    ),
):
    """Save a file as a new network: an export of this API, or a file written by the book's
    network2.py `save()` exactly as it is (sigmoid layers, `QuadraticCost` -> quadratic,
    `CrossEntropyCost` -> cross_entropy, column biases flattened, the floats kept bit for bit;
    the name from `name`, else "network2 <sizes>"; the dataset, if exactly one fits)."""
    if isinstance(body, NetworkFile):
        return _created(service.import_file(networks, body, settings, owner), response)
    saved = service.import_network2(
        networks, body.sizes, body.weights, body.biases, body.cost, settings, name, owner
    )
    return _created(saved, response)


@router.get("/{nid:int}", response_model=NetworkOut)
def read(
    nid: NetworkId,
    response: Response,
    networks: NetworksDep,
    owner: OwnerDep,
    version: int | None = Query(None, ge=1, description="an older version"),
):
    """The network with its weights; the ETag is its version."""
    return _saved(networks.get(nid, version, owner=owner), response)


@router.get("/{nid:int}/versions", response_model=list[VersionOut])
def versions(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """The history: one entry per saved change."""
    return networks.versions(nid, owner)


@router.put("/{nid:int}", response_model=NetworkOut)
def replace(
    nid: NetworkId,
    body: NetworkReplace,
    response: Response,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
    if_match: str | None = Header(None, description="the version you edited"),
):
    """Replace name and network as a new version. With If-Match, a stale version gets
    412 and changes nothing. `restored_from` marks a restore of a kept version."""
    return _saved(service.replace(networks, nid, body, settings, if_match, owner), response)


@router.delete("/{nid:int}", status_code=204, response_class=Response)
def delete(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """Delete the network and its whole history."""
    networks.delete(nid, owner)
    return Response(status_code=204)


@router.get(
    "/{nid:int}/export",
    # The JSON formats' documents; the others are files described by `format`.
    response_model=NetworkFileOut | Network2FileOut,
    responses={
        200: {
            "description": "the file, as an attachment",
            "content": {"application/octet-stream": {}, "text/x-python": {}},
        }
    },
)
def export(
    nid: NetworkId,
    networks: NetworksDep,
    owner: OwnerDep,
    format: Literal[formats.EXPORT_FORMATS] = Query(  # type: ignore[valid-type]
        "explorer",
        description="explorer: JSON that `POST /api/networks/import` takes back; network2: JSON "
        "that the book's network2.load() reads (sigmoid networks with a quadratic or "
        "cross-entropy cost only); pytorch: a Python script building the network in torch, "
        "with gradients(x, y) by autograd; numpy: an .npz of sizes, activations, cost, "
        "W1..WL, b1..bL",
    ),
):
    """The current version as a file in the format asked for."""
    saved = networks.get(nid, owner=owner)
    content, media_type, filename = service.export_file(saved, format)
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "ETag": _etag(saved.version),
        },
    )
