"""What the page must know before it can offer a choice: the caps in force, the
activations, costs and init schemes the engine has, and training defaults.

Everything here is read from where it is defined (Settings, the engine's registries,
the request models' bounds), so the page never keeps a copy of a server fact.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.api.meta_schemas import SETTINGS_SHOWN
from app.api.store_schemas import TrainRequest
from app.config import Settings
from app.datasets import list_datasets
from app.datasets.registry import MAX_PAGE
from app.nn.activations import ACTIVATIONS
from app.nn.costs import COSTS
from app.nn.network import INIT_SCHEMES

from .rates import LEARNING_RATE_RULES, suggested_learning_rate
from .training import EVAL_SAMPLES

DEFAULT_BATCH_SIZE = 10
# The network the editor proposes for a dataset: one sigmoid hidden layer, quadratic cost.
DEFAULT_ACTIVATIONS, DEFAULT_COST = ["sigmoid", "sigmoid"], "quadratic"


def _upper_bound(model: type[BaseModel], field: str) -> Any:
    """The `le` a request model declares on a field, so the page reads the same number."""
    for m in model.model_fields[field].metadata:
        if getattr(m, "le", None) is not None:
            return m.le
    raise LookupError(f"{model.__name__}.{field} has no upper bound")


def meta(settings: Settings) -> dict:
    limits = {name: getattr(settings, name) for name in SETTINGS_SHOWN}
    unit_outputs = [a.name for a in ACTIVATIONS.values() if a.log_parts is not None]
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
        "max_dataset_page": MAX_PAGE,
        "training": {
            "eval_samples": EVAL_SAMPLES,
            "max_steps": int(_upper_bound(TrainRequest, "steps")),
            "max_batch_size": int(_upper_bound(TrainRequest, "batch_size")),
            "max_learning_rate": float(_upper_bound(TrainRequest, "learning_rate")),
            "learning_rate_rules": LEARNING_RATE_RULES,
        },
        "datasets": {
            d.name: {
                "learning_rate": suggested_learning_rate(DEFAULT_ACTIVATIONS, DEFAULT_COST, d.name),
                "batch_size": min(DEFAULT_BATCH_SIZE, d.n_samples),
            }
            for d in list_datasets()
        },
        "shared": settings.shared,
    }
