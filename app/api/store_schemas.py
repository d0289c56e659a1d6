"""Models for saved networks, datasets and training."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag

from .schemas import Matrices, NetworkIn, Samples, Strict, one_of

# Control characters (NUL, newlines, C1) and the bidi controls that can make a name read
# differently from what it is; emoji joiners and other format characters stay allowed.
NOT_IN_NAMES = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_bad_name_char = re.compile(f"[{NOT_IN_NAMES}]")


def _clean_name(value: str) -> str:
    """Trimmed, 1 to 200 characters, no control characters; the refusal names the position
    and code point, never the value (it may be long or unprintable)."""
    bad = _bad_name_char.search(value)
    if bad:
        raise ValueError(
            f"has the control character U+{ord(bad.group()):04X} at position {bad.start()}; "
            "names are plain text"
        )
    value = value.strip()
    if not value:
        raise ValueError("is empty once spaces are trimmed")
    return value


Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="a name for people: 1 to 200 characters, trimmed, no control characters",
        json_schema_extra={"pattern": f"^[^{NOT_IN_NAMES}]*$"},
    ),
    AfterValidator(_clean_name),
]


class NetworkCreate(Strict):
    name: Name
    network: NetworkIn = Field(..., description="the network, as JSON")
    dataset: str | None = Field(None, description="the dataset it is meant for, if any")


class NetworkReplace(NetworkCreate):
    restored_from: int | None = Field(
        None,
        ge=1,
        description="set when these are a kept version's weights, restored: that version's "
        "step count and its part of the training charts carry over",
    )


class NetworkFile(Strict):
    """The export file: what `GET /api/networks/{id}/export` gives and import takes."""

    format: str = Field("backprop-explorer/network", description="always this string")
    format_version: int = Field(1, ge=1, le=1, description="1")
    name: Name
    dataset: str | None = Field(None, description="the dataset it is meant for, if any")
    network: NetworkIn = Field(..., description="the network, as JSON")
    exported_from: dict[str, Any] | None = Field(None, description="id and version, for reference")


class NetworkJson(BaseModel):
    """A network as the API gives it back: always with its weights and biases."""

    sizes: list[int] = Field(..., description="neurons per layer, layer 0 (the input) first")
    activations: list[str] = Field(..., description="one per layer 1..L")
    cost: str = Field(..., description="the cost of one sample; C is their mean")
    weights: list[list[list[float]]] = Field(
        ..., description="weights[l-1][j][k] = w^l_jk, from neuron k of layer l-1 to j of l"
    )
    biases: list[list[float]] = Field(..., description="biases[l-1][j] = b^l_j")


class ExportedFrom(BaseModel):
    id: int = Field(..., description="the network's id where it was exported")
    version: int = Field(..., description="the version exported")


class NetworkFileOut(BaseModel):
    """The export file, as `GET /api/networks/{id}/export` writes it."""

    format: str = Field(..., description="always 'backprop-explorer/network'")
    format_version: int = Field(..., description="1")
    name: str = Field(..., description="a name for people")
    dataset: str | None = Field(..., description="the dataset it is meant for, if any")
    network: NetworkJson = Field(..., description="the network, as JSON")
    exported_from: ExportedFrom = Field(..., description="id and version, for reference")


class Network2FileOut(BaseModel):
    """The `network2` export: what network2.py's `save()` would write."""

    sizes: list[int] = Field(..., description="neurons per layer, input first")
    weights: list[list[list[float]]] = Field(..., description="weights[l-1][j][k] = w^l_jk")
    biases: list[list[list[float]]] = Field(
        ..., description="column vectors: biases[l-1][j] = [b^l_j]"
    )
    cost: Literal["QuadraticCost", "CrossEntropyCost"] = Field(
        ..., description="the cost class's name"
    )


class Network2File(Strict):
    """A file written by network2.py's `save()` (Nielsen, chapter 3), exactly as it is."""

    sizes: list[int] = Field(..., min_length=2, description="neurons per layer, input first")
    weights: Matrices = Field(..., description="weights[l-1][j][k] = w^l_jk")
    biases: list[list[list[Any]]] = Field(
        ..., description="column vectors: biases[l-1][j] = [b^l_j]"
    )
    cost: Literal["QuadraticCost", "CrossEntropyCost"] = Field(
        ..., description="the cost class's name"
    )


def _file_kind(value: Any) -> str | None:
    # Recognised by shape: our export names its format (or at least holds a network);
    # network2.py's has sizes and a cost class name at the top.
    if isinstance(value, dict):
        if "format" in value or "network" in value:
            return "explorer"
        if "sizes" in value and "cost" in value:
            return "network2"
    return None


ImportFile = Annotated[
    Annotated[NetworkFile, Tag("explorer")] | Annotated[Network2File, Tag("network2")],
    Discriminator(
        _file_kind,
        custom_error_type="unknown_format",
        custom_error_message="not a network file this API understands; it reads "
        "a Backprop Explorer export ({format: 'backprop-explorer/network', name, network}) "
        "or a file written by network2.py's save() ({sizes, weights, biases, cost: "
        "'QuadraticCost' or 'CrossEntropyCost'})",
    ),
]


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
    network: NetworkJson = Field(..., description="the network, as JSON")
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
    source: str = Field(..., description="create, update, train, import, copy or restore")
    created_at: str = Field(..., description="when it was created (UTC, ISO 8601)")
    steps: int | None = Field(
        None, description="SGD steps behind these weights since they were drawn (if recorded)"
    )
    loss: float | None = Field(None, description="after the last of those steps")
    accuracy: float | None = Field(None, description="after the last step, evaluation samples")
    held_out_accuracy: float | None = Field(None, description="after the last step, held out")


class SamplesIn(Strict):
    x: Samples = Field(..., description="inputs, one row per sample")
    y: Samples


class TrainRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                one_of((("dataset", {"type": "string"}),), (("samples", {"type": "object"}),)),
                one_of((("steps", {"type": "integer"}),), (("epochs", {"type": "integer"}),)),
            ]
        }
    )

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


class Stall(BaseModel):
    kind: str = Field(..., description="vanishing, saturated or chance")
    message: str = Field(..., description="what is wrong, in words")
    fix: str = Field(..., description="what to try")


class TrainingPoints(BaseModel):
    step: list[int] = Field(..., description="step number since the weights were drawn")
    version: list[int] = Field(..., description="the version whose request took the step")
    loss: list[float] = Field(..., description="on the evaluation samples, after the step")
    accuracy: list[float | None] | None = Field(None, description="evaluation samples")
    held_out_accuracy: list[float | None] | None = Field(None, description="held-out samples")
    saturated: list[float | None] | None = Field(None, description="share of outputs at a bound")
    grad_norms: list[list[float]] = Field(..., description="|dC/dW^l| per step, l = 1..L")


class TrainingOut(BaseModel):
    version: int = Field(..., description="the head version these figures lead to")
    steps: int = Field(..., description="SGD steps behind its weights since they were drawn")
    loss: float | None = Field(None, description="after the last step")
    accuracy: float | None = Field(None, description="after the last step")
    held_out_accuracy: float | None = Field(None, description="after the last step, held out")
    points: TrainingPoints = Field(..., description="the kept steps (older ones thinned)")
    stall: Stall | None = Field(None, description="set when training has stopped learning")
    suggested_learning_rate: float | None = Field(
        None, description="an eta measured to train this kind of network on its dataset"
    )


class TrainResponse(BaseModel):
    version: int = Field(..., description="increases by one with every saved change")
    steps: int = Field(..., description="mini-batches trained (one loss entry each)")
    loss: list[float] = Field(..., description="cost on the evaluation samples after each step")
    at: list[int] | None = Field(
        None,
        description="set when the run was longer than train_answer_points (GET /api/meta): the "
        "per-step series are then thinned to that many evenly spaced steps, the last included, "
        "and `at` gives each point's step, 1..steps. The saved record keeps every step.",
    )
    accuracy: list[float] | None = Field(None, description="for class data, after each step")
    train_accuracy: float | None = Field(None, description="on every training sample, at the end")
    held_out_accuracy: float | None = Field(
        None, description="on the dataset's held-out samples, at the end (datasets that hold out)"
    )
    grad_norms: list[list[float]] = Field(..., description="|dC/dW^l| per step, l = 1..L")
    held_out_accuracies: list[float] | None = Field(
        None, description="after each step, on (up to 512 of) the held-out samples"
    )
    saturated: list[float] | None = Field(
        None, description="after each step, share of output activations within 1e-3 of a bound"
    )
    total_steps: int | None = Field(
        None, description="steps behind the new version's weights in all (saved networks)"
    )
    stall: Stall | None = Field(None, description="set when training has stopped learning")
    eval_samples: int = Field(..., description="how many samples loss and accuracy are measured on")
    network: NetworkJson = Field(..., description="the trained network, as saved")


class DatasetInfoOut(BaseModel):
    name: str = Field(..., description="a name for people")
    n_samples: int = Field(..., description="number of samples")
    n_features: int = Field(..., description="inputs per sample")
    n_classes: int = Field(..., description="number of classes (outputs)")
    description: str = Field(..., description="one line on what it is")
    source: str = Field(..., description="where it comes from, with its licence")
    kind: str = Field(..., description="generated or real")
    n_held_out: int = Field(
        ..., description="samples held out from training (a fixed stratified split); 0 for none"
    )


class DatasetOut(DatasetInfoOut):
    offset: int = Field(..., description="index of the first sample returned, within the part")
    part: str = Field(..., description="all, train or held_out")
    index: list[int] = Field(..., description="each sample's row in the whole dataset")
    x: list[list[float]] = Field(..., description="inputs, one row per sample")
    y: list[list[float]] = Field(..., description="one-hot")
    labels: list[int] = Field(..., description="class index per sample")
    class_names: list[str] | None = Field(None, description="a name per class")


class ShareOut(BaseModel):
    token: str = Field(..., description="the unguessable token of the share link")
    url: str = Field(..., description="the network, read-only, for anyone who has this link")
    page: str = Field(
        ...,
        description="the explorer page opened on it (read-only; Step or Play "
        "trains the visitor's own copy)",
    )
