"""Datasets: the generated 2-D problems and the shipped iris and digits."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from app.api.json_body import JsonRoute
from app.api.store_schemas import DatasetInfoOut, DatasetOut
from app.datasets import UnknownDatasetError, list_datasets, load_dataset, slice_dataset

router = APIRouter(prefix="/datasets", tags=["datasets"], route_class=JsonRoute)

INFO_FIELDS = ("name", "n_samples", "n_features", "n_classes", "description", "source", "kind")


def _info(info) -> dict:
    return {k: getattr(info, k) for k in INFO_FIELDS}


@router.get("", response_model=list[DatasetInfoOut])
def datasets():
    """Every dataset with its size, one line of description and its source."""
    return [_info(i) for i in list_datasets()]


@router.get("/{name}", response_model=DatasetOut)
def dataset(
    name: str,
    offset: int = Query(0, ge=0, description="first sample"),
    limit: int = Query(2000, ge=1, le=2000, description="at most this many samples"),
    seed: int = Query(0, ge=0, le=2**32 - 1, description="for generated datasets"),
):
    """Samples x and one-hot targets y, from `offset`, at most `limit` of them."""
    try:
        ds = load_dataset(name, seed)
    except UnknownDatasetError as e:
        raise HTTPException(404, detail=f"name: {e}") from None
    x, y = slice_dataset(ds, offset, limit)
    labels = ds.labels[offset : offset + len(x)]
    return _info(ds.info) | {
        "offset": offset,
        "x": x.tolist(),
        "y": y.tolist(),
        "labels": labels.tolist(),
        "class_names": list(ds.class_names),
    }
