"""Models for saved networks, datasets and training."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .schemas import NetworkIn, Samples, Strict


class NetworkCreate(Strict):
    name: str = Field(..., min_length=1, max_length=200, description="a name for people")
    network: NetworkIn = Field(..., description="the network, as JSON")
    dataset: str | None = Field(None, description="the dataset it is meant for, if any")


class NetworkFile(Strict):
    """The export file: what `GET /api/networks/{id}/export` gives and import takes."""

    format: str = Field("backprop-explorer/network", description="always this string")
    format_version: int = Field(1, ge=1, le=1, description="1")
    name: str = Field(..., min_length=1, max_length=200, description="a name for people")
    dataset: str | None = Field(None, description="the dataset it is meant for, if any")
    network: NetworkIn = Field(..., description="the network, as JSON")
    exported_from: dict[str, Any] | None = Field(None, description="id and version, for reference")


class NetworkSummary(BaseModel):
    id: int = Field(..., description="the network's id")
    name: str = Field(..., description="a name for people")
    dataset: str | None = Field(..., description="the dataset it is meant for, if any")
    version: int = Field(..., description="increases by one with every saved change")
    sizes: list[int] = Field(..., description="neurons per layer, input first")
    activations: list[str] = Field(..., description="one per layer 1..L")
    cost: str = Field(..., description="the cost of one sample")
    created_at: str = Field(..., description="when it was created (UTC, ISO 8601)")
    updated_at: str = Field(..., description="when its current version was saved (UTC, ISO 8601)")
    read_only: bool = Field(
        False,
        description="a shared demo or lesson, or a share link: copy it to change it",
    )


class NetworkOut(BaseModel):
    id: int = Field(..., description="the network's id")
    name: str = Field(..., description="a name for people")
    dataset: str | None = Field(..., description="the dataset it is meant for, if any")
    version: int = Field(..., description="increases by one with every saved change")
    network: dict[str, Any] = Field(
        ..., description="the network, as JSON (sizes, activations, cost, weights, biases)"
    )
    created_at: str = Field(..., description="when it was created (UTC, ISO 8601)")
    updated_at: str = Field(..., description="when its current version was saved (UTC, ISO 8601)")
    read_only: bool = Field(
        False,
        description="a shared demo or lesson, or a share link: copy it to change it",
    )


class VersionOut(BaseModel):
    version: int = Field(..., description="increases by one with every saved change")
    name: str = Field(..., description="a name for people")
    dataset: str | None = Field(..., description="the dataset it is meant for, if any")
    source: str = Field(..., description="create, update, train, import or copy")
    created_at: str = Field(..., description="when it was created (UTC, ISO 8601)")


class SamplesIn(Strict):
    x: Samples = Field(..., description="inputs, one row per sample")
    y: Samples


class TrainRequest(Strict):
    dataset: str | None = Field(None, description="a dataset name (see /api/datasets)")
    dataset_seed: int = Field(0, ge=0, le=2**32 - 1, description="for generated datasets")
    samples: SamplesIn | None = Field(None, description="or your own samples")
    learning_rate: float = Field(..., gt=0, le=1000, description="eta in w -> w - eta dC/dw")
    batch_size: int = Field(10, ge=1, le=10_000, description="samples per mini-batch")
    epochs: int | None = Field(
        None, ge=1, le=10_000, description="passes over the data (or give steps)"
    )
    steps: int | None = Field(
        None, ge=1, le=1_000_000, description="mini-batches to train on (or give epochs)"
    )
    seed: int = Field(0, ge=0, le=2**32 - 1, description="shuffling of the mini-batches")
    if_version: int | None = Field(None, ge=1, description="train only if still this version")


class TrainResponse(BaseModel):
    version: int = Field(..., description="increases by one with every saved change")
    steps: int = Field(..., description="mini-batches to train on (or give epochs)")
    loss: list[float] = Field(..., description="cost on the evaluation samples after each step")
    accuracy: list[float] | None = Field(None, description="for class data, after each step")
    train_accuracy: float | None = Field(None, description="on every training sample, at the end")
    grad_norms: list[list[float]] = Field(..., description="|dC/dW^l| per step, l = 1..L")
    eval_samples: int = Field(..., description="how many samples loss and accuracy are measured on")
    network: dict[str, Any] = Field(
        ..., description="the network, as JSON (sizes, activations, cost, weights, biases)"
    )


class DatasetInfoOut(BaseModel):
    name: str = Field(..., description="a name for people")
    n_samples: int = Field(..., description="number of samples")
    n_features: int = Field(..., description="inputs per sample")
    n_classes: int = Field(..., description="number of classes (outputs)")
    description: str = Field(..., description="one line on what it is")
    source: str = Field(..., description="where it comes from, with its licence")
    kind: str = Field(..., description="generated or real")


class DatasetOut(DatasetInfoOut):
    offset: int = Field(..., description="index of the first sample returned")
    x: list[list[float]] = Field(..., description="inputs, one row per sample")
    y: list[list[float]] = Field(..., description="one-hot")
    labels: list[int] = Field(..., description="class index per sample")
    class_names: list[str] | None = Field(None, description="a name per class")


class ShareOut(BaseModel):
    token: str = Field(..., description="the unguessable token of the share link")
    url: str = Field(..., description="the network, read-only, for anyone who has this link")
