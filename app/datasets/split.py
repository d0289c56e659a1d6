"""Training and held-out parts of a dataset: one seeded, stratified split for every dataset.

A network is judged on samples it never trained on. ``split_indices`` takes the same share of
every class (so a 20% held-out part of MNIST holds ~20% of each digit) and is a pure function of
the labels, the fraction and the seed, so the split is the same in every process and release.
The registry says which datasets hold samples out (``HELD_OUT`` in registry.py); training uses
``training_part`` and reports accuracy on ``held_out_part``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPLIT_SEED = 20_260  # fixed: changing it would move samples between the parts


@dataclass(frozen=True, slots=True, eq=False)
class Split:
    """Row indices into the dataset, each sorted ascending; together they cover every row once."""

    train: np.ndarray
    held_out: np.ndarray


def split_indices(labels: np.ndarray, held_out_fraction: float, seed: int = SPLIT_SEED) -> Split:
    """Hold out round(fraction * n_c) samples of each class c, chosen by a seeded permutation.

    A fraction of 0 holds nothing out. Raises ValueError for a fraction outside [0, 1).
    """
    if not 0.0 <= held_out_fraction < 1.0:
        raise ValueError(f"held_out_fraction must be in [0, 1), got {held_out_fraction}")
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    held: list[np.ndarray] = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        k = round(held_out_fraction * members.size)
        held.append(rng.permutation(members)[:k])
    held_out = np.sort(np.concatenate(held)) if held else np.empty(0, dtype=np.int64)
    mask = np.ones(labels.shape[0], dtype=bool)
    mask[held_out] = False
    out = Split(train=np.flatnonzero(mask), held_out=held_out.astype(np.int64))
    out.train.flags.writeable = out.held_out.flags.writeable = False
    return out
