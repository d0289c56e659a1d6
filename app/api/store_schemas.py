"""Models for saved networks, datasets and training."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .schemas import NetworkIn, Samples, Strict


class NetworkCreate(Strict):
    name: str = Field(..., min_length=1, max_length=200)
    network: NetworkIn
    dataset: str | None = Field(None, description="the dataset it is meant for, if any")


class NetworkFile(Strict):
    """The export file: what `GET /api/networks/{id}/export` gives and import takes."""

    format: str = Field("backprop-explorer/network", description="always this string")
    format_version: int = Field(1, ge=1, le=1)
    name: str = Field(..., min_length=1, max_length=200)
    dataset: str | None = None
    network: NetworkIn
    exported_from: dict[str, Any] | None = Field(None, description="id and version, for reference")


class NetworkSummary(BaseModel):
    id: int
    name: str
    dataset: str | None
    version: int
    sizes: list[int]
    activations: list[str]
    cost: str
    created_at: str
    updated_at: str


class NetworkOut(BaseModel):
    id: int
    name: str
    dataset: str | None
    version: int = Field(..., description="increases by one with every saved change")
    network: dict[str, Any]
    created_at: str
    updated_at: str


class VersionOut(BaseModel):
    version: int
    name: str
    dataset: str | None
    source: str = Field(..., description="create, update, train or import")
    created_at: str


class SamplesIn(Strict):
    x: Samples
    y: Samples


class TrainRequest(Strict):
    dataset: str | None = Field(None, description="a dataset name (see /api/datasets)")
    dataset_seed: int = Field(0, ge=0, le=2**32 - 1, description="for generated datasets")
    samples: SamplesIn | None = Field(None, description="or your own samples")
    learning_rate: float = Field(..., gt=0, le=1000, description="eta in w -> w - eta dC/dw")
    batch_size: int = Field(10, ge=1, le=10_000)
    epochs: int | None = Field(None, ge=1, le=10_000)
    steps: int | None = Field(None, ge=1, le=1_000_000)
    seed: int = Field(0, ge=0, le=2**32 - 1, description="shuffling of the mini-batches")
    if_version: int | None = Field(None, ge=1, description="train only if still this version")


class TrainResponse(BaseModel):
    version: int
    steps: int
    loss: list[float] = Field(..., description="cost on the evaluation samples after each step")
    accuracy: list[float] | None = Field(None, description="for class data, after each step")
    train_accuracy: float | None = Field(None, description="on every training sample, at the end")
    grad_norms: list[list[float]] = Field(..., description="|dC/dW^l| per step, l = 1..L")
    eval_samples: int
    network: dict[str, Any]


class DatasetInfoOut(BaseModel):
    name: str
    n_samples: int
    n_features: int
    n_classes: int
    description: str
    source: str
    kind: str


class DatasetOut(DatasetInfoOut):
    offset: int
    x: list[list[float]]
    y: list[list[float]] = Field(..., description="one-hot")
    labels: list[int]
    class_names: list[str] | None = None
