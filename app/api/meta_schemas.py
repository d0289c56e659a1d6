"""The answer of GET /api/meta: what the page must know, from the server that knows it."""

from __future__ import annotations

from typing import get_type_hints

from pydantic import BaseModel, Field, create_model

from app.config import Settings

# What each Settings field bounds, for /docs; a field added to Settings later still reaches
# the page (the model below is built from Settings itself) with a generic description.
_LIMITS = {
    "max_layers": "layers 1..L a network may have",
    "max_neurons": "neurons in any one layer",
    "max_parameters": "weights and biases of one network",
    "max_batch": "samples in one request",
    "max_work": "parameters x samples for one pass",
    "max_paths_all": "paths mode 'all' pages through at most",
    "max_path_limit": "paths one answer lists at most",
    "max_top_expansions": "best-first steps for 'top' over a batch",
    "max_top_batch_work": "samples x step factors of a batch 'top'",
    "max_gradcheck_parameters": "parameters a gradcheck takes",
    "max_gradcheck_work": "parameters^2 x samples of a gradcheck",
    "max_train_work": "steps x (3 batch + evaluation samples) x parameters per train request",
    "keep_training_versions": "training checkpoints kept per network",
    "max_train_steps": "SGD steps one train request may ask for",
    "train_answer_points": "per-step points one train answer holds (longer runs are thinned)",
}
# The caps are the integer settings; where the store lives (and any other setting that is
# not a number to stay under) is no business of the page.
SETTINGS_SHOWN = {name: kind for name, kind in get_type_hints(Settings).items() if kind is int}

Limits = create_model(
    "Limits",
    __doc__="Every field of app.config.Settings but the store's path, as in force "
    "(EXPLORER_<NAME> environment variables included).",
    **{
        name: (
            kind,
            Field(..., description=_LIMITS.get(name, f"Settings.{name} (EXPLORER_{name.upper()})")),
        )
        for name, kind in SETTINGS_SHOWN.items()
    },
)  # type: ignore[call-overload]


class ActivationInfo(BaseModel):
    name: str = Field(..., description="as in `activations`")
    last_layer_only: bool = Field(..., description="allowed on layer L only (softmax)")
    min_neurons: int = Field(..., description="the fewest neurons a layer with it may have")
    output_in_unit_interval: bool = Field(..., description="every output lies in (0, 1)")


class CostInfo(BaseModel):
    name: str = Field(..., description="as in `cost`")
    formula: str = Field(..., description="the cost of one sample")
    needs_unit_interval: bool = Field(
        ..., description="outputs must lie in (0, 1) and targets in [0, 1]"
    )
    output_activations: list[str] = Field(..., description="last-layer activations it accepts")


class InitSchemeInfo(BaseModel):
    name: str = Field(..., description="as in `init.scheme`")
    draws: str = Field(..., description="the distribution of w^l_jk; biases start at 0")


class LearningRateRule(BaseModel):
    any_activation: list[str] | None = Field(
        None, description="holds if any layer has one of these"
    )
    all_activations: list[str] | None = Field(
        None, description="holds if every layer has one of these"
    )
    costs: list[str] | None = Field(None, description="holds if the cost is one of these")
    datasets: list[str] | None = Field(
        None, description="holds if the network is meant for one of these datasets"
    )
    learning_rate: float = Field(..., description="suggested eta when every condition holds")


class TrainingInfo(BaseModel):
    eval_samples: int = Field(..., description="loss and accuracy are measured on at most this")
    max_steps: int = Field(..., description="steps one train request may ask for")
    max_batch_size: int = Field(..., description="the largest batch_size")
    max_learning_rate: float = Field(..., description="the largest learning_rate")
    learning_rate_rules: list[LearningRateRule] = Field(
        ..., description="the first rule that holds for a network gives its suggested rate"
    )


class DatasetDefaults(BaseModel):
    learning_rate: float = Field(..., description="suggested for the editor's default network")
    batch_size: int = Field(..., description="suggested mini-batch size")


class MetaResponse(BaseModel):
    limits: Limits = Field(..., description="the caps in force")  # type: ignore[valid-type]
    activations: list[ActivationInfo] = Field(..., description="every activation")
    costs: list[CostInfo] = Field(..., description="every cost")
    init_schemes: list[InitSchemeInfo] = Field(..., description="every way to draw weights")
    max_dataset_page: int = Field(
        ..., description="most samples one GET /api/datasets/{name} gives"
    )
    training: TrainingInfo = Field(..., description="bounds and defaults of training")
    datasets: dict[str, DatasetDefaults] = Field(..., description="defaults per dataset")
    shared: bool = Field(
        ...,
        description="a hosted server with owners (--shared): each client sees its own networks "
        "and the read-only demos, and may give share links",
    )
