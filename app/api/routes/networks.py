"""Saved networks: create, list, read, replace (with If-Match), delete, export, import."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Header, Query, Response
from fastapi.responses import JSONResponse

from app.api.deps import NetworkId, NetworksDep, OwnerDep, SettingsDep
from app.api.json_body import JsonRoute
from app.api.store_schemas import (
    ImportFile,
    NetworkCreate,
    NetworkFile,
    NetworkOut,
    NetworkReplace,
    NetworkSummary,
    VersionOut,
)
from app.datasets import DATASETS
from app.nn.network import Network, SpecError
from app.services import formats
from app.services.compute import build_network
from app.services.history import check_restore

router = APIRouter(prefix="/networks", tags=["networks"], route_class=JsonRoute)


def _etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """'"3"', 'W/"3"' or '3' -> 3; '*' or absent -> None (no precondition)."""
    if value is None or value.strip() == "*":
        return None
    m = re.fullmatch(r'\s*(?:W/)?"?(\d+)"?\s*', value)
    if not m:
        raise SpecError("If-Match", f"{value!r} is not a version this API gave out")
    return int(m.group(1))


def _check_dataset(name: str | None, net: Network) -> None:
    if name is None:
        return
    info = DATASETS.get(name)
    if info is None:
        raise SpecError("dataset", f"unknown dataset {name!r}; one of {list(DATASETS)}")
    if (info.n_features, info.n_classes) != (net.sizes[0], net.sizes[-1]):
        raise SpecError(
            "dataset",
            f"{name} has {info.n_features} features and "
            f"{info.n_classes} classes; the network is {net.sizes[0]} in, "
            f"{net.sizes[-1]} out",
        )


def _saved(saved, status: int = 200, **headers) -> JSONResponse:
    return JSONResponse(
        saved.to_json(), status_code=status, headers={"ETag": _etag(saved.version), **headers}
    )


def _create(networks, settings, body, source: str, owner: str | None) -> JSONResponse:
    net = build_network(body.network.model_dump(), settings)
    _check_dataset(body.dataset, net)
    saved = networks.create(body.name, net, body.dataset, source=source, owner=owner)
    return _saved(saved, 201, Location=f"/api/networks/{saved.id}")


@router.post("", status_code=201, response_model=NetworkOut)
def create(body: NetworkCreate, networks: NetworksDep, settings: SettingsDep, owner: OwnerDep):
    """Save a new network at version 1."""
    return _create(networks, settings, body, "create", owner)


@router.get("", response_model=list[NetworkSummary])
def list_networks(networks: NetworksDep, owner: OwnerDep):
    """Every saved network, without its weights (in shared mode: yours and the demos)."""
    # The store already gives the documented shape: skip re-validating it per request.
    return JSONResponse(networks.list(owner))


@router.post("/import", status_code=201, response_model=NetworkOut)
def import_file(
    body: Annotated[ImportFile, Body()],
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
        if body.format != formats.EXPLORER_FORMAT:
            raise SpecError("format", f"must be {formats.EXPLORER_FORMAT!r}")
        return _create(networks, settings, body, "import", owner)
    spec = formats.network2_spec(body.sizes, body.weights, body.biases, body.cost)
    net = build_network(spec, settings, field="")  # the file's own fields: weights[0], ...
    saved = networks.create(
        name or formats.default_name(net),
        net,
        formats.fitting_dataset(net),
        source="import",
        owner=owner,
    )
    return _saved(saved, 201, Location=f"/api/networks/{saved.id}")


@router.get("/{nid:int}", response_model=NetworkOut)
def read(
    nid: NetworkId,
    networks: NetworksDep,
    owner: OwnerDep,
    version: int | None = Query(None, ge=1, description="an older version"),
):
    """The network with its weights; the ETag is its version."""
    return _saved(networks.get(nid, version, owner=owner))


@router.get("/{nid:int}/versions", response_model=list[VersionOut])
def versions(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """The history: one entry per saved change."""
    return networks.versions(nid, owner)


@router.put("/{nid:int}", response_model=NetworkOut)
def replace(
    nid: NetworkId,
    body: NetworkReplace,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
    if_match: str | None = Header(None, description="the version you edited"),
):
    """Replace name and network as a new version. With If-Match, a stale version gets
    412 and changes nothing. `restored_from` marks a restore of a kept version."""
    expected = parse_if_match(if_match)
    net = build_network(body.network.model_dump(), settings)
    _check_dataset(body.dataset, net)
    restored = body.restored_from
    if restored is not None:
        check_restore(networks, nid, restored, net, owner)
    source = "update" if restored is None else "restore"
    saved = networks.update(
        nid,
        body.name,
        net,
        body.dataset,
        expected,
        source=source,
        owner=owner,
        restored_from=restored,
    )
    return _saved(saved)


@router.delete("/{nid:int}", status_code=204, response_class=Response)
def delete(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """Delete the network and its whole history."""
    networks.delete(nid, owner)
    return Response(status_code=204)


@router.get(
    "/{nid:int}/export",
    responses={
        200: {
            "description": "the file, as an attachment",
            "content": {
                "application/json": {},
                "application/octet-stream": {},
                "text/x-python": {},
            },
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
    content, media_type, filename = formats.export(saved, format)
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "ETag": _etag(saved.version),
        },
    )
