"""Training a saved network: pick the data, bound the work, run SGD off the event
loop, and save the result as one new version (or nothing at all)."""

from __future__ import annotations

import math

import numpy as np

from app.api import arrays
from app.api.store_schemas import TrainRequest
from app.config import Settings
from app.datasets import DATASETS, dataset_parts, load_dataset
from app.nn.network import Network, SpecError
from app.nn.train import Diverged, accuracy, sgd
from app.store.networks import TRAIN, Conflict, Networks
from app.store.training_log import TrainingRun

from .compute import TooMuchWork
from .networks import check_dataset_fits
from .stalls import STALL_WINDOW, diagnose

EVAL_SAMPLES = 512  # loss and accuracy after each step are measured on at most this many


class TrainingFailed(SpecError):
    """The run itself went wrong (it diverged); nothing was saved."""


def training_data(net: Network, body: TrainRequest, settings: Settings):
    """The samples to train on and whether they are one-hot classes (accuracy applies)."""
    if (body.dataset is None) == (body.samples is None):
        raise SpecError("dataset", "give exactly one of dataset or samples")
    if body.dataset is not None:
        check_dataset_fits(body.dataset, net.sizes)
        ds = load_dataset(body.dataset, body.dataset_seed)
        # Training sees only the training part; the held-out part measures the result.
        (X, Y), _ = dataset_parts(ds)
        return X, arrays.targets(net, Y, X.shape[0], "dataset"), True
    assert body.samples is not None
    X, _ = arrays.inputs(net, body.samples.x, "samples.x")
    if X.shape[0] > settings.max_batch:
        raise TooMuchWork("samples.x", f"has {X.shape[0]} samples, the cap is {settings.max_batch}")
    Y = arrays.targets(net, body.samples.y, X.shape[0], "samples.y")
    one_hot = bool(np.all((Y == 0) | (Y == 1)) and np.all(Y.sum(axis=1) == 1))
    return X, Y, one_hot and Y.shape[1] > 1


def planned_steps(body: TrainRequest) -> int:
    """The SGD steps a request asks for, before any data is loaded (for the step budget)."""
    if body.steps is not None:
        return body.steps
    if body.epochs is None:
        return 0  # refused later, with the field named
    if body.samples is not None:
        n = len(body.samples.x)
    else:
        info = DATASETS.get(body.dataset or "")
        # trains on the training part only (see training_data)
        n = info.n_samples - info.n_held_out if info is not None else 0
    return body.epochs * math.ceil(n / max(1, min(body.batch_size, max(n, 1))))


def held_out_set(body: TrainRequest, seed: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The dataset's held-out samples measured after every step (all, or EVAL_SAMPLES of
    them drawn once from `seed`), or None for own samples and datasets without one."""
    if body.dataset is None:
        return None
    _, held = dataset_parts(load_dataset(body.dataset, body.dataset_seed))
    return None if held is None else evaluation_set(*held, seed + 7)


def evaluation_set(X: np.ndarray, Y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The samples loss and accuracy are measured on: all of them, or EVAL_SAMPLES drawn
    once from `seed`, so every point of a run's curve is measured on the same ones."""
    n = X.shape[0]
    if n <= EVAL_SAMPLES:
        return X, Y
    idx = np.sort(np.random.default_rng(seed + 1).choice(n, EVAL_SAMPLES, replace=False))
    return X[idx], Y[idx]


def train(
    networks: Networks, nid: int, body: TrainRequest, settings: Settings, owner: str | None = None
) -> dict:
    saved = networks.get(nid, owner=owner, write=True)
    if body.if_version is not None and body.if_version != saved.version:
        raise Conflict(saved.version, body.if_version)
    trained, out = fit(saved.network, body, settings, f"version {saved.version} is kept")
    run = TrainingRun(
        out["loss"],
        out["grad_norms"],
        out.get("accuracy"),
        out["held_out_accuracies"],
        out["saturated"],
    )
    new = networks.update(
        nid,
        saved.name,
        trained,
        saved.dataset,
        if_version=saved.version,
        source=TRAIN,
        owner=owner,
        run=run,
    )
    record = networks.training(nid, last=STALL_WINDOW, owner=owner)
    stall = diagnose(record["points"], trained, training_data(trained, body, settings)[1])
    answer = thinned_answer(out, settings.train_answer_points)
    return {"version": new.version, **answer, "total_steps": record["steps"], "stall": stall}


SERIES = ("loss", "accuracy", "grad_norms", "held_out_accuracies", "saturated")


def thinned_answer(out: dict, points: int) -> dict:
    """`out` with its per-step series cut to `points` evenly spaced steps (the last kept)
    and `at` naming them, when the run is longer; else `out` as it is."""
    steps = out["steps"]
    if steps <= points:
        return out
    at = np.unique(np.linspace(1, steps, points).round().astype(int))
    idx = at - 1
    thin = {k: [out[k][i] for i in idx] for k in SERIES if out.get(k) is not None}
    return {**out, **thin, "at": at.tolist()}


def fit(
    net: Network, body: TrainRequest, settings: Settings, kept: str = "the network is unchanged"
) -> tuple[Network, dict]:
    """Train a copy of `net` as `body` asks: (trained network, the answer minus version).
    Saves nothing; a diverging run raises TrainingFailed."""
    X, Y, classify = training_data(net, body, settings)
    n = X.shape[0]
    batch = min(body.batch_size, n)
    if (body.epochs is None) == (body.steps is None):
        raise SpecError("steps", "give exactly one of epochs or steps")
    steps = body.steps if body.steps is not None else body.epochs * math.ceil(n / batch)
    eval_set = evaluation_set(X, Y, body.seed)
    if steps > settings.max_train_steps:
        field = "steps" if body.steps is not None else "epochs"
        raise TooMuchWork(
            field,
            f"{steps} steps is over the cap of {settings.max_train_steps} per request; "
            "send several requests",
        )
    held = held_out_set(body, body.seed) if classify else None
    evaluated = eval_set[0].shape[0] + (0 if held is None else held[0].shape[0])
    per_step = (3 * batch + evaluated) * net.n_parameters
    work = steps * (per_step + net.L * settings.train_layer_overhead)
    if work > settings.max_train_work:
        field = "steps" if body.steps is not None else "epochs"
        raise TooMuchWork(
            field,
            f"{steps} steps of {batch} samples on {net.n_parameters} "
            f"parameters is over the work cap ({work:.3g} > "
            f"{settings.max_train_work:.3g}); ask for fewer steps",
        )
    with np.errstate(all="ignore"):
        try:
            trained, log = sgd(
                net, X, Y, body.learning_rate, batch, steps, body.seed, eval_set, classify, held
            )
        except Diverged as e:
            raise TrainingFailed(
                "learning_rate",
                f"training diverged: {e}; nothing was saved, {kept}. Try a smaller learning rate.",
            ) from None
    out = {
        "steps": log.steps,
        "loss": log.loss,
        "grad_norms": log.grad_norms,
        "eval_samples": eval_set[0].shape[0],
        "network": trained.to_dict(),
        "held_out_accuracies": log.held_out_accuracy,
        "saturated": log.saturated,
    }
    if classify:
        out["accuracy"] = log.accuracy
        with np.errstate(all="ignore"):
            out["train_accuracy"] = accuracy(trained.feedforward(X).output, Y)
            if body.dataset is not None:
                _, held_all = dataset_parts(load_dataset(body.dataset, body.dataset_seed))
                if held_all is not None:
                    a = trained.feedforward(held_all[0]).output
                    out["held_out_accuracy"] = accuracy(a, held_all[1])
    return trained, out
