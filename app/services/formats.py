"""Network files in and out: our own JSON, the book's network2.py JSON, NumPy .npz and a
PyTorch script. Free of HTTP; every refusal is a SpecError naming the field.

network2.py (Nielsen, chapter 3) saves ``{"sizes", "weights", "biases", "cost"}`` with
``json.dump``: weights as nested lists, biases as column vectors (a list of one-element lists
per layer), the cost as its class name, and no activations because every layer is sigmoid.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np

from app.datasets import DATASETS
from app.nn.network import Network, SpecError

from .torch_script import pytorch_script

EXPLORER_FORMAT = "backprop-explorer/network"
EXPORT_FORMATS = ("explorer", "network2", "pytorch", "numpy")
# network2.py's cost classes and ours: both take 1/2 for quadratic, both sum over outputs.
NETWORK2_COSTS = {"QuadraticCost": "quadratic", "CrossEntropyCost": "cross_entropy"}


def network2_spec(sizes: list[int], weights: list, biases: list, cost: str) -> dict:
    """The JSON network a network2.py file describes: sigmoid everywhere, the cost mapped,
    each column bias [b] flattened to b. The floats are passed on untouched."""
    flat = []
    for l, layer in enumerate(biases):
        if not isinstance(layer, list):
            raise SpecError(f"biases[{l}]", "must be a column vector: a list of [b] entries")
        row = []
        for j, b in enumerate(layer):
            if not (isinstance(b, list) and len(b) == 1):
                raise SpecError(f"biases[{l}][{j}]", "must be a one-element list [b], as save()")
            row.append(b[0])
        flat.append(row)
    return {
        "sizes": sizes,
        "activations": ["sigmoid"] * (len(sizes) - 1),
        "cost": NETWORK2_COSTS[cost],
        "weights": weights,
        "biases": flat,
    }


def fitting_dataset(net: Network) -> str | None:
    """The one dataset whose input and output sizes fit, if exactly one does."""
    ends = (net.sizes[0], net.sizes[-1])
    fits = [name for name, i in DATASETS.items() if (i.n_features, i.n_classes) == ends]
    return fits[0] if len(fits) == 1 else None


def default_name(net: Network) -> str:
    return f"network2 {'-'.join(map(str, net.sizes))}"


def explorer_file(saved) -> dict:
    return {
        "format": EXPLORER_FORMAT,
        "format_version": 1,
        "name": saved.name,
        "dataset": saved.dataset,
        "network": saved.network.to_dict(),
        "exported_from": {"id": saved.id, "version": saved.version},
    }


def network2_file(net: Network) -> dict:
    """What network2.py's save() would write for this network; only sigmoid networks with a
    quadratic or cross-entropy cost are network2 networks."""
    others = sorted({a for a in net.activation_names if a != "sigmoid"})
    if others:
        raise SpecError(
            "format",
            f"network2 networks are sigmoid on every layer; this one uses {', '.join(others)}",
        )
    back = {ours: theirs for theirs, ours in NETWORK2_COSTS.items()}
    if net.cost_name not in back:
        raise SpecError(
            "format",
            f"network2 has QuadraticCost and CrossEntropyCost only; this network's cost is "
            f"{net.cost_name}",
        )
    return {
        "sizes": net.sizes,
        "weights": [w.tolist() for w in net.weights[1:]],
        "biases": [b[:, None].tolist() for b in net.biases[1:]],
        "cost": back[net.cost_name],
    }


def numpy_file(net: Network) -> bytes:
    """An .npz: sizes, activations and cost, then W1..WL and b1..bL as float64 arrays."""
    arrays: dict[str, np.ndarray] = {
        "sizes": np.array(net.sizes, dtype=np.int64),
        "activations": np.array(net.activation_names, dtype=np.str_),
        "cost": np.array(net.cost_name, dtype=np.str_),
    }
    for l in range(1, net.L + 1):
        arrays[f"W{l}"] = net.weights[l]
        arrays[f"b{l}"] = net.biases[l]
    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "network"


def export(saved, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a saved network in one of EXPORT_FORMATS."""
    base = f"{slug(saved.name)}-v{saved.version}"
    net = saved.network
    if fmt == "explorer":
        return json.dumps(explorer_file(saved)).encode(), "application/json", f"{base}.json"
    if fmt == "network2":
        return json.dumps(network2_file(net)).encode(), "application/json", f"{base}.network2.json"
    if fmt == "numpy":
        return numpy_file(net), "application/octet-stream", f"{base}.npz"
    if fmt == "pytorch":
        source = pytorch_script(net, saved.name, saved.version)
        return source.encode(), "text/x-python; charset=utf-8", f"{base}_torch.py"
    raise SpecError("format", f"unknown format {fmt!r}; one of {list(EXPORT_FORMATS)}")
