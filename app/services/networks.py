"""Saved networks' work, free of HTTP: preconditions, dataset checks and the export file.

The routes in app/api/routes/networks.py only turn these results into responses
(status, ETag, Location, Content-Disposition).
"""

from __future__ import annotations

import re

from app.api import schemas as s
from app.api.store_schemas import NetworkCreate, NetworkFile, NetworkFileOut, NetworkReplace
from app.config import Settings
from app.datasets import DATASETS
from app.nn.network import Network, SpecError
from app.store.networks import Networks, SavedNetwork

from . import formats
from .compute import build_network
from .history import check_restore

FILE_FORMAT = formats.EXPLORER_FORMAT


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
    networks: Networks,
    body: NetworkCreate,
    settings: Settings,
    source: str = "create",
    owner: str | None = None,
) -> SavedNetwork:
    net = _built(body, settings)
    return networks.create(body.name, net, body.dataset, source=source, owner=owner)


def import_file(
    networks: Networks, body: NetworkFile, settings: Settings, owner: str | None = None
) -> SavedNetwork:
    if body.format != FILE_FORMAT:
        raise SpecError("format", f"must be {FILE_FORMAT!r}")
    net = _built(body, settings)
    return networks.create(body.name, net, body.dataset, source="import", owner=owner)


def import_network2(
    networks: Networks,
    sizes: list[int],
    weights: list,
    biases: list,
    cost: str,
    settings: Settings,
    name: str | None,
    owner: str | None = None,
) -> SavedNetwork:
    """A network2.py save() file as it is: sigmoid layers, the cost mapped, column biases
    flattened; named `name` or after its sizes, with the one dataset that fits, if any."""
    spec = formats.network2_spec(sizes, weights, biases, cost)
    # Unvalidated on purpose: build_network checks every entry and names the file's own
    # fields (weights[0], ...), which a model validation error here could not.
    net = build_network(s.NetworkIn.model_construct(**spec), settings, field="")
    return networks.create(
        name or formats.default_name(net),
        net,
        formats.fitting_dataset(net),
        source="import",
        owner=owner,
    )


def replace(
    networks: Networks,
    nid: int,
    body: NetworkReplace,
    settings: Settings,
    if_match: str | None,
    owner: str | None = None,
) -> SavedNetwork:
    """A new version; with If-Match, only if the network is still at that version.
    `restored_from` marks a restore: the weights must be that kept version's exactly."""
    expected = parse_if_match(if_match)
    net = _built(body, settings)
    restored = body.restored_from
    if restored is not None:
        check_restore(networks, nid, restored, net, owner)
    source = "update" if restored is None else "restore"
    return networks.update(
        nid,
        body.name,
        net,
        body.dataset,
        expected,
        source=source,
        owner=owner,
        restored_from=restored,
    )


def export_file(saved: SavedNetwork, fmt: str = "explorer") -> tuple[bytes, str, str]:
    """(content, media type, file name); the explorer file is checked against its model
    so the document /docs shows is the one sent."""
    content, media_type, filename = formats.export(saved, fmt)
    if fmt == "explorer":
        content = NetworkFileOut.model_validate_json(content).model_dump_json().encode()
    return content, media_type, filename
