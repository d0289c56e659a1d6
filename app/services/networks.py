"""Saved networks' work, free of HTTP: preconditions, dataset checks and the export file.

The routes in app/api/routes/networks.py only turn these results into responses
(status, ETag, Location, Content-Disposition).
"""

from __future__ import annotations

import re

from app.api.store_schemas import NetworkCreate, NetworkFile
from app.config import Settings
from app.datasets import DATASETS
from app.nn.network import Network, SpecError
from app.store.networks import Networks, SavedNetwork

from .compute import build_network

FILE_FORMAT = "backprop-explorer/network"


def parse_if_match(value: str | None) -> int | None:
    """'"3"', 'W/"3"' or '3' -> 3; '*' or absent -> None (no precondition)."""
    if value is None or value.strip() == "*":
        return None
    m = re.fullmatch(r'\s*(?:W/)?"?(\d+)"?\s*', value)
    if not m:
        raise SpecError("If-Match", f"{value!r} is not a version this API gave out")
    return int(m.group(1))


def check_dataset_fits(name: str, sizes: list[int], field: str = "dataset") -> None:
    """The one check that a dataset fits a network: as many inputs as features, as many
    outputs as classes. Unknown names are refused here too."""
    info = DATASETS.get(name)
    if info is None:
        raise SpecError(field, f"unknown dataset {name!r}; one of {list(DATASETS)}")
    if (info.n_features, info.n_classes) != (sizes[0], sizes[-1]):
        raise SpecError(
            field,
            f"{name} has {info.n_features} features and {info.n_classes} classes; "
            f"the network is {sizes[0]} in, {sizes[-1]} out",
        )


def _built(body: NetworkCreate | NetworkFile, settings: Settings) -> Network:
    net = build_network(body.network, settings)
    if body.dataset is not None:
        check_dataset_fits(body.dataset, net.sizes)
    return net


def create(
    networks: Networks, body: NetworkCreate, settings: Settings, source: str = "create"
) -> SavedNetwork:
    return networks.create(body.name, _built(body, settings), body.dataset, source=source)


def import_file(networks: Networks, body: NetworkFile, settings: Settings) -> SavedNetwork:
    if body.format != FILE_FORMAT:
        raise SpecError("format", f"must be {FILE_FORMAT!r}")
    return networks.create(body.name, _built(body, settings), body.dataset, source="import")


def replace(
    networks: Networks, nid: int, body: NetworkCreate, settings: Settings, if_match: str | None
) -> SavedNetwork:
    """A new version; with If-Match, only if the network is still at that version."""
    expected = parse_if_match(if_match)
    net = _built(body, settings)
    return networks.update(nid, body.name, net, body.dataset, if_version=expected)


def export_file(saved: SavedNetwork) -> tuple[dict, str]:
    """The export document and a file name for it."""
    doc = {
        "format": FILE_FORMAT,
        "format_version": 1,
        "name": saved.name,
        "dataset": saved.dataset,
        "network": saved.network.to_dict(),
        "exported_from": {"id": saved.id, "version": saved.version},
    }
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", saved.name).strip("-") or "network"
    return doc, f"{slug}-v{saved.version}.json"
