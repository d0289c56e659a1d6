"""Saved networks: create, list, read, replace (with If-Match), delete, export, import."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

from app.api.deps import NetworksDep, OwnerDep, SettingsDep
from app.api.store_schemas import (
    NetworkCreate,
    NetworkFile,
    NetworkOut,
    NetworkSummary,
    VersionOut,
)
from app.datasets import DATASETS
from app.nn.network import Network, SpecError
from app.services.compute import build_network

router = APIRouter(prefix="/networks", tags=["networks"])


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
    return networks.list(owner)


@router.post("/import", status_code=201, response_model=NetworkOut)
def import_file(body: NetworkFile, networks: NetworksDep, settings: SettingsDep, owner: OwnerDep):
    """Save the contents of an exported file as a new network."""
    if body.format != "backprop-explorer/network":
        raise SpecError("format", "must be 'backprop-explorer/network'")
    return _create(networks, settings, body, "import", owner)


@router.get("/{nid}", response_model=NetworkOut)
def read(
    nid: int,
    networks: NetworksDep,
    owner: OwnerDep,
    version: int | None = Query(None, ge=1, description="an older version"),
):
    """The network with its weights; the ETag is its version."""
    return _saved(networks.get(nid, version, owner=owner))


@router.get("/{nid}/versions", response_model=list[VersionOut])
def versions(nid: int, networks: NetworksDep, owner: OwnerDep):
    """The history: one entry per saved change."""
    return networks.versions(nid, owner)


@router.put("/{nid}", response_model=NetworkOut)
def replace(
    nid: int,
    body: NetworkCreate,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
    if_match: str | None = Header(None, description="the version you edited"),
):
    """Replace name and network as a new version. With If-Match, a stale version gets
    412 and changes nothing."""
    expected = parse_if_match(if_match)
    net = build_network(body.network.model_dump(), settings)
    _check_dataset(body.dataset, net)
    saved = networks.update(nid, body.name, net, body.dataset, if_version=expected, owner=owner)
    return _saved(saved)


@router.delete("/{nid}", status_code=204, response_class=Response)
def delete(nid: int, networks: NetworksDep, owner: OwnerDep):
    """Delete the network and its whole history."""
    networks.delete(nid, owner)
    return Response(status_code=204)


@router.get("/{nid}/export")
def export(nid: int, networks: NetworksDep, owner: OwnerDep):
    """A JSON file that `POST /api/networks/import` takes back."""
    saved = networks.get(nid, owner=owner)
    doc = {
        "format": "backprop-explorer/network",
        "format_version": 1,
        "name": saved.name,
        "dataset": saved.dataset,
        "network": saved.network.to_dict(),
        "exported_from": {"id": saved.id, "version": saved.version},
    }
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", saved.name).strip("-") or "network"
    return Response(
        json.dumps(doc),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{slug}-v{saved.version}.json"',
            "ETag": _etag(saved.version),
        },
    )
