"""Datasets: the generated 2-D problems and the shipped iris and digits."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from fastapi import APIRouter, HTTPException, Query

from app.api.json_body import JsonRoute
from app.api.store_schemas import DatasetInfoOut, DatasetOut
from app.datasets import (
    UnknownDatasetError,
    dataset_split,
    list_datasets,
    load_dataset,
)
from app.datasets.registry import MAX_PAGE

router = APIRouter(prefix="/datasets", tags=["datasets"], route_class=JsonRoute)

INFO_FIELDS = (
    "name",
    "n_samples",
    "n_features",
    "n_classes",
    "description",
    "source",
    "kind",
    "n_held_out",
)


def _info(info) -> dict:
    return {k: getattr(info, k) for k in INFO_FIELDS}


@router.get("", response_model=list[DatasetInfoOut])
def datasets():
    """Every dataset with its size, one line of description, its source and how many of its
    samples are held out from training."""
    return [_info(i) for i in list_datasets()]


@router.get("/{name}", response_model=DatasetOut)
def dataset(
    name: str,
    offset: int = Query(0, ge=0, description="first sample"),
    limit: int = Query(MAX_PAGE, ge=1, le=MAX_PAGE, description="at most this many samples"),
    seed: int = Query(0, ge=0, le=2**32 - 1, description="for generated datasets"),
    # Annotated, so the plain default also holds when app/boot.py calls this function.
    part: Annotated[
        Literal["all", "train", "held_out"],
        Query(description="every sample, or only the training or the held-out part"),
    ] = "all",
):
    """Samples x and one-hot targets y, from `offset`, at most `limit` of them. With `part`,
    offsets count within that part, and `index` gives each sample's row in the whole set."""
    try:
        ds = load_dataset(name, seed)
    except UnknownDatasetError as e:
        raise HTTPException(404, detail=f"name: {e}") from None
    rows = np.arange(len(ds)) if part == "all" else getattr(dataset_split(ds), part)
    rows = rows[offset : offset + limit]
    return _info(ds.info) | {
        "offset": offset,
        "part": part,
        "index": rows.tolist(),
        "x": ds.x[rows].tolist(),
        "y": ds.y[rows].tolist(),
        "labels": ds.labels[rows].tolist(),
        "class_names": list(ds.class_names),
    }
