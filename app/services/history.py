"""A network's training record as the page reads it, and restoring a kept version."""

from __future__ import annotations

from app.datasets import DATASETS, dataset_parts, load_dataset
from app.nn.network import Network, SpecError
from app.store.networks import Networks, _pack

from .rates import suggested_rate
from .stalls import STALL_WINDOW, diagnose


def training_record(networks: Networks, nid: int, owner: str | None = None) -> dict:
    """The head's step count, its kept per-step figures, a stall if there is one, and the
    learning rate suggested for it."""
    saved = networks.get(nid, owner=owner)
    record = networks.training(nid, owner=owner)
    net, Y = saved.network, None
    if saved.dataset is not None and saved.dataset in DATASETS:
        (_, Y), _ = dataset_parts(load_dataset(saved.dataset))
    tail = {k: (v[-STALL_WINDOW:] if v is not None else None) for k, v in record["points"].items()}
    return record | {
        "stall": diagnose(tail, net, Y),
        "suggested_learning_rate": suggested_rate(
            net.sizes, net.activation_names, net.cost_name, saved.dataset
        ),
    }


def check_restore(
    networks: Networks, nid: int, version: int, net: Network, owner: str | None = None
) -> None:
    """A restore must carry that version's weights exactly, or its step count would lie."""
    kept = networks.get(nid, version, owner=owner).network
    if _pack(kept) != _pack(net):
        raise SpecError(
            "restored_from", f"the network sent is not version {version}'s; send its weights"
        )
