"""Request and response models: the JSON shapes, documented field by field.

Numeric arrays are declared loosely here and checked by the engine, which
names the exact entry at fault ("weights[1][0] has 3 columns, sizes need 2").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from app.nn.activations import ACTIVATIONS
from app.nn.costs import COSTS
from app.nn.network import INIT_SCHEMES

if TYPE_CHECKING:  # a type checker cannot read names built at run time
    ActivationName: TypeAlias = str
    CostName: TypeAlias = str
    InitScheme: TypeAlias = str
else:  # enums in /openapi.json, read from the engine's registries
    ActivationName = Literal[tuple(ACTIVATIONS)]
    CostName = Literal[tuple(COSTS)]
    InitScheme = Literal[tuple(INIT_SCHEMES)]

_number = {"type": "number"}
_vector = {"type": "array", "items": _number, "minItems": 1}
_matrix = {"type": "array", "items": _vector, "minItems": 1}
Samples = Annotated[
    list[Any],
    WithJsonSchema({"oneOf": [_vector, _matrix], "description": "one sample or a batch"}),
]
Matrices = Annotated[list[Any], WithJsonSchema({"type": "array", "items": _matrix, "minItems": 1})]
Vectors = Annotated[list[Any], WithJsonSchema({"type": "array", "items": _vector, "minItems": 1})]


def one_of(*choices: tuple[tuple[str, dict], ...]) -> dict:
    """JSON Schema for "exactly one of these groups of fields": each branch requires its
    fields with their types and lets the other groups' fields be absent or null (the server
    reads null as absent)."""
    every = {name for group in choices for name, _ in group}
    branches = []
    for group in choices:
        mine = {name for name, _ in group}
        props = {name: schema for name, schema in group}
        props |= {name: {"type": "null"} for name in every - mine}
        branches.append({"required": sorted(mine), "properties": props})
    return {"oneOf": branches}


class Strict(BaseModel):
    # strict: "2" and true are not numbers; JSON integers still fill float fields.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class InitSpec(Strict):
    scheme: InitScheme = Field(
        "xavier", description="; ".join(f"{k}: {v}" for k, v in INIT_SCHEMES.items())
    )
    seed: int = Field(0, ge=0, le=2**32 - 1, description="the same seed gives the same weights")


class NetworkIn(Strict):
    model_config = ConfigDict(
        json_schema_extra=one_of(
            (("weights", {"type": "array"}), ("biases", {"type": "array"})),
            (("init", {"type": "object"}),),
        )
    )

    sizes: list[Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1})]] = Field(
        ..., min_length=2, description="neurons per layer, layer 0 (the input) first"
    )
    activations: list[ActivationName] = Field(
        ..., description="one per layer 1..L", json_schema_extra={"minItems": 1}
    )
    cost: CostName = Field(..., description="the cost of one sample; C is their mean")
    weights: Matrices | None = Field(
        None, description="weights[l-1][j][k] = w^l_jk, from neuron k of layer l-1 to j of l"
    )
    biases: Vectors | None = Field(None, description="biases[l-1][j] = b^l_j")
    init: InitSpec | None = Field(None, description="random weights instead of given ones")

    @model_validator(mode="after")
    def _weights_or_init(self) -> NetworkIn:
        given = (self.weights is not None, self.biases is not None)
        if self.init is not None and any(given):
            raise ValueError("give either weights and biases, or init, not both")
        if self.init is None and not all(given):
            missing = "biases" if given[0] else "weights"
            raise ValueError(f"{missing} missing: give weights and biases, or init")
        return self


class WeightTarget(Strict):
    kind: Literal["weight"] = Field(..., description="the weight w^l_jk")
    layer: int = Field(..., ge=1, description="l in w^l_jk (1..L)")
    j: int = Field(..., ge=0, description="neuron in layer l")
    k: int = Field(..., ge=0, description="neuron in layer l-1")


class BiasTarget(Strict):
    kind: Literal["bias"] = Field(..., description="the bias b^l_j")
    layer: int = Field(..., ge=1, description="l in b^l_j (1..L)")
    j: int = Field(..., ge=0, description="neuron in layer l")


class ActivationTarget(Strict):
    kind: Literal["activation"] = Field(..., description="the activation a^l_j")
    layer: int = Field(..., ge=0, description="l in a^l_j (0..L; 0 is the input layer)")
    j: int = Field(..., ge=0, description="neuron in layer l")


PathTarget = Annotated[WeightTarget | BiasTarget | ActivationTarget, Field(discriminator="kind")]
ParamTarget = Annotated[WeightTarget | BiasTarget, Field(discriminator="kind")]


# What `include` may name, per endpoint: top-level fields and, where an answer has layers, the
# per-layer fields (kept in every layer that has them). `notes` always comes back.
FORWARD_FIELDS = ("cost", "output", "z", "a")
BACKPROP_FIELDS = ("cost", "a", "z", "sigma_prime", "dC_da", "delta", "grad_w", "grad_b")
PATHS_FIELDS = ("count", "gradient", "sum", "paths")
NUDGE_FIELDS = (
    "cost_before",
    "cost_after",
    "delta_cost",
    "delta_cost_linear",
    "gradient",
    "delta_a",
    "delta_a_linear",
)
GRADCHECK_FIELDS = (
    "parameters",
    "max_abs_error",
    "max_rel_error",
    "epsilon",
    "forward_passes",
    "seconds",
)


def _include(names: tuple[str, ...]):
    return Field(
        None,
        min_length=1,
        description="only these fields in the answer (per-layer names apply to every layer; "
        "`notes` always comes back); without it, every field. For a batch, "
        '`["cost", "grad_w", "grad_b"]` skips every per-sample intermediate. '
        f"One or more of: {', '.join(names)}",
    )


class Inputs(Strict):
    x: Samples = Field(..., description="one sample (a list) or a batch (a list of lists)")


class WithTargets(Inputs):
    y: Samples = Field(..., description="desired output(s), as many samples as x")


class ForwardBody(Inputs):
    y: Samples | None = Field(None, description="if given, the cost is computed too")
    include: list[Literal[FORWARD_FIELDS]] | None = _include(FORWARD_FIELDS)  # type: ignore[valid-type]


class BackpropBody(WithTargets):
    include: list[Literal[BACKPROP_FIELDS]] | None = _include(BACKPROP_FIELDS)  # type: ignore[valid-type]


class PathsBody(WithTargets):
    target: PathTarget = Field(
        ..., description="where the paths start: a weight, bias or activation"
    )
    mode: Literal["top", "all"] = Field(
        "top", description="top: the limit paths of largest |product|; all: page in order"
    )
    limit: int = Field(20, ge=1, le=1000, description="how many paths to return")
    offset: int = Field(0, ge=0, description="mode all only: the first path number")
    include: list[Literal[PATHS_FIELDS]] | None = _include(PATHS_FIELDS)  # type: ignore[valid-type]


class NudgeBody(WithTargets):
    target: ParamTarget = Field(..., description="the weight or bias to change")
    delta: float = Field(..., ge=-1e6, le=1e6, description="the change made to the target")
    include: list[Literal[NUDGE_FIELDS]] | None = _include(NUDGE_FIELDS)  # type: ignore[valid-type]


class GradcheckBody(WithTargets):
    epsilon: float = Field(1e-6, gt=0, le=0.1, description="central difference step")
    include: list[Literal[GRADCHECK_FIELDS]] | None = _include(GRADCHECK_FIELDS)  # type: ignore[valid-type]


# Stateless requests carry the network in the body.
class ForwardRequest(ForwardBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


class BackpropRequest(BackpropBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


class PathsRequest(PathsBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


class NudgeRequest(NudgeBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


class GradcheckRequest(GradcheckBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


# --- responses: every answer is validated against these before it is sent ----------------
# Every field is present unless the request's `include` left it out; `notes` always is.
Num = float | None  # null where a value overflowed float64 (named in `notes`)
# One sample gives a list (one value per neuron); a batch a list of such lists, one per sample.
Per = list[Num] | list[list[Num]]


class Noted(BaseModel):
    notes: list[str] = Field(
        default_factory=list, description="where a value overflowed float64 and is null"
    )


class ForwardLayer(BaseModel):
    z: Per | None = Field(None, description="weighted input z^l (absent for layer 0)")
    a: Per | None = Field(None, description="activation a^l")


class ForwardResponse(Noted):
    layers: list[ForwardLayer] | None = Field(
        None, description="layers[l] is layer l; layers[0] the input"
    )
    output: Per | None = Field(None, description="a^L, the network's output")
    cost: Num = Field(None, description="mean cost, when y was given")


class BackpropLayer(BaseModel):
    a: Per | None = Field(None, description="activation a^l")
    z: Per | None = Field(None, description="weighted input z^l (absent for layer 0)")
    sigma_prime: Per | None = Field(
        None, description="sigma'(z^l); softmax: the Jacobian's diagonal"
    )
    dC_da: Per | None = Field(None, description="dC/da^l")
    delta: Per | None = Field(None, description="dC/dz^l: BP1 at L, BP2 below")
    grad_w: list[list[Num]] | None = Field(
        None, description="BP4: dC/dw^l_jk as grad_w[j][k], batch-averaged"
    )
    grad_b: list[Num] | None = Field(None, description="BP3: dC/db^l_j, batch-averaged")


class BackpropResponse(Noted):
    cost: Num = Field(None, description="mean cost C over the samples")
    layers: list[BackpropLayer] | None = Field(
        None, description="layers[l] is layer l; [0] the input"
    )


class PathOut(BaseModel):
    neurons: list[int] | None = Field(None, description="neuron index in each layer, target's to L")
    factors: Per | None = Field(
        None, description="rate factors in order (a list per sample for a batch)"
    )
    product: Num = Field(None, description="their product (mean over samples for a batch)")


class PathsResponse(Noted):
    count: int | None = Field(None, description="exact number of paths")
    gradient: Num = Field(None, description="backprop's dC/d(target)")
    sum: Num = Field(None, description="sum of the products over ALL paths")
    paths: list[PathOut] | None = Field(None, description="the paths asked for, in order")


class NudgeLayer(BaseModel):
    delta_a: Per | None = Field(None, description="actual change of a^l")
    delta_a_linear: Per | None = Field(
        None, description="first-order estimate: da^l/d(target) * delta"
    )


class NudgeResponse(Noted):
    cost_before: Num = Field(None, description="C before the change")
    cost_after: Num = Field(None, description="C after the change")
    delta_cost: Num = Field(None, description="actual change of C")
    delta_cost_linear: Num = Field(None, description="dC/d(target) * delta")
    gradient: Num = Field(None, description="dC/d(target), batch-averaged")
    layers: list[NudgeLayer] | None = Field(None, description="layers[l]: the change of a^l")


class MethodCounts(BaseModel):
    backprop: int = Field(..., description="forward passes backprop needs (one, plus a backward)")
    numerical: int = Field(..., description="forward passes central differences need (2P)")


class MethodSeconds(BaseModel):
    backprop: float = Field(..., description="seconds for one forward and backward pass")
    numerical: float = Field(..., description="seconds for the 2P forward passes")


class GradcheckResponse(Noted):
    parameters: int | None = Field(None, description="P, the number of weights and biases")
    max_abs_error: Num = Field(None, description="max |backprop - central difference|")
    max_rel_error: Num = Field(
        None,
        description="max relative error; gradients below ~1e-10 |C| / epsilon are "
        "compared against that floor",
    )
    epsilon: float | None = Field(None, description="the central difference step used")
    forward_passes: MethodCounts | None = Field(
        None, description="backprop: 1 (and one backward pass); numerical: 2P"
    )
    seconds: MethodSeconds | None = Field(None, description="wall time of each method")


class InitNetwork(Strict):
    sizes: list[int] = Field(
        ..., min_length=2, description="neurons per layer, layer 0 (the input) first"
    )
    activations: list[ActivationName] = Field(..., description="one per layer 1..L")
    cost: CostName = Field(..., description="the cost of one sample; C is their mean")
    init: InitSpec = Field(..., description="how to draw the weights; biases start at 0")


class InitRequest(Strict):
    network: InitNetwork = Field(..., description="the architecture and how to initialise it")
