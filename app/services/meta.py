"""What the page must know before it can offer a choice: the caps in force, the
activations, costs and init schemes the engine has, and training defaults.

Everything here is read from where it is defined (Settings, the engine's registries,
the request models' bounds), so the page never keeps a copy of a server fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from app.api.meta_schemas import SETTINGS_SHOWN
from app.api.store_schemas import TrainRequest
from app.config import Settings
from app.datasets import list_datasets
from app.nn.activations import ACTIVATIONS
from app.nn.costs import COSTS
from app.nn.network import INIT_SCHEMES

from .training import EVAL_SAMPLES

# A learning rate that trains a network at a watchable pace, by kind: the first rule whose
# conditions all hold wins. A rule may ask that any activation is one of `any_activation`,
# that every activation is one of `all_activations`, and that the cost is one of `costs`.
LEARNING_RATE_RULES: list[dict[str, Any]] = [
    {"any_activation": ["relu", "leaky_relu", "linear"], "learning_rate": 0.1},
    {"costs": ["cross_entropy", "log_likelihood"], "learning_rate": 0.5},
    {"all_activations": ["sigmoid"], "costs": ["sse"], "learning_rate": 1.5},
    {"all_activations": ["sigmoid"], "learning_rate": 3.0},  # Nielsen's eta = 3
    {"costs": ["sse"], "learning_rate": 0.5},
    {"learning_rate": 1.0},
]
DEFAULT_BATCH_SIZE = 10
# The network the editor proposes for a dataset: one sigmoid hidden layer, quadratic cost.
DEFAULT_ACTIVATIONS, DEFAULT_COST = ["sigmoid", "sigmoid"], "quadratic"


def _rule_holds(rule: dict[str, Any], activations: Sequence[str], cost: str) -> bool:
    if "any_activation" in rule and not any(a in rule["any_activation"] for a in activations):
        return False
    if "all_activations" in rule and not all(a in rule["all_activations"] for a in activations):
        return False
    return "costs" not in rule or cost in rule["costs"]


def suggested_learning_rate(activations: Sequence[str], cost: str) -> float:
    return next(
        r["learning_rate"] for r in LEARNING_RATE_RULES if _rule_holds(r, activations, cost)
    )


def _upper_bound(model: type[BaseModel], field: str) -> Any:
    """The `le` a request model declares on a field, so the page reads the same number."""
    for m in model.model_fields[field].metadata:
        if getattr(m, "le", None) is not None:
            return m.le
    raise LookupError(f"{model.__name__}.{field} has no upper bound")


def meta(settings: Settings) -> dict:
    limits = {name: getattr(settings, name) for name in SETTINGS_SHOWN}
    unit_outputs = [a.name for a in ACTIVATIONS.values() if a.log_parts is not None]
    rate = suggested_learning_rate(DEFAULT_ACTIVATIONS, DEFAULT_COST)
    return {
        "limits": limits,
        "activations": [
            {
                "name": a.name,
                "last_layer_only": a.last_layer_only,
                "min_neurons": a.min_neurons,
                "output_in_unit_interval": a.log_parts is not None,
            }
            for a in ACTIVATIONS.values()
        ],
        "costs": [
            {
                "name": c.name,
                "formula": c.formula,
                "needs_unit_interval": c.needs_unit_interval,
                "output_activations": unit_outputs if c.needs_unit_interval else list(ACTIVATIONS),
            }
            for c in COSTS.values()
        ],
        "init_schemes": [{"name": k, "draws": v} for k, v in INIT_SCHEMES.items()],
        "training": {
            "eval_samples": EVAL_SAMPLES,
            "max_steps": int(_upper_bound(TrainRequest, "steps")),
            "max_batch_size": int(_upper_bound(TrainRequest, "batch_size")),
            "max_learning_rate": float(_upper_bound(TrainRequest, "learning_rate")),
            "learning_rate_rules": LEARNING_RATE_RULES,
        },
        "datasets": {
            d.name: {"learning_rate": rate, "batch_size": min(DEFAULT_BATCH_SIZE, d.n_samples)}
            for d in list_datasets()
        },
    }
