"""The page's first picture, sent with the HTML: the answers to the five requests the page
would otherwise make one after another before it can draw (the network list, the datasets,
the network, its first sample and that sample's backprop). The page's API client takes each
from here once, keyed as it would ask for it, so these are exactly the API's answers.

Only the common start is covered: a saved network (from ?net= or the first one) shown on a
dataset sample. Anything else (a built-in demo, custom inputs) is fetched as usual.
"""

from __future__ import annotations

from fastapi import Request

from app.api.routes.datasets import dataset as dataset_page
from app.api.routes.datasets import datasets as dataset_list
from app.api.schemas import WithTargets
from app.datasets import DATASETS
from app.services import compute
from app.store import NotFound


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return None


def boot_data(request: Request) -> dict:
    """{"GET <url>": answer, ...}; whatever cannot be had is simply left out."""
    networks = getattr(request.app.state, "networks", None)
    out: dict = {"GET /api/datasets": {"data": dataset_list()}}
    if networks is None:
        return out
    # In shared mode the page is the owner's (app/api/owners.py): their networks and demos.
    owner = request.scope.get("state", {}).get("owner") if networks.shared else None
    catalogue = networks.list(owner)
    out["GET /api/networks"] = {"data": catalogue}
    q = request.query_params
    wanted = q.get("net")
    nid = _int(wanted) if wanted else (catalogue[0]["id"] if catalogue else None)
    if nid is None:
        return out
    try:
        saved = networks.get(nid, owner=owner)
    except (NotFound, ValueError):
        return out
    out[f"GET /api/networks/{nid}"] = {"data": saved.to_json(), "etag": f'"{saved.version}"'}
    if saved.dataset not in DATASETS or q.get("input", "sample") != "sample":
        return out
    index = _int(q.get("sample"), 0)
    info = DATASETS[saved.dataset]
    if index is None or not 0 <= index < info.n_samples:
        return out
    sample = dataset_page(saved.dataset, offset=index, limit=1, seed=0, part="all")
    out[f"GET /api/datasets/{saved.dataset}?offset={index}&limit=1"] = {"data": sample}
    body = WithTargets(x=sample["x"][0], y=sample["y"][0])
    result = compute.backprop(saved.network, body, request.app.state.settings)
    out[f"POST /api/networks/{nid}/backprop"] = {"body": {"x": body.x, "y": body.y}, "data": result}
    return out
