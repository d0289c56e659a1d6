"""Datasets for the explorer: four generated 2-D toys and two small real sets, NumPy only.

    >>> ds = load_dataset("xor", seed=1)
    >>> ds.x.shape, ds.y.shape
    ((200, 2), (200, 2))

Nothing here imports web code or scikit-learn; ``extract_real.py`` (run by hand) is the only
module that does, and the package never imports it.
"""

from app.datasets.core import (
    Dataset,
    DatasetInfo,
    UnknownDatasetError,
    slice_dataset,
)
from app.datasets.registry import (
    DATASETS,
    HELD_OUT,
    dataset_parts,
    dataset_split,
    list_datasets,
    load_dataset,
)
from app.datasets.split import Split, split_indices

__all__ = [
    "DATASETS",
    "HELD_OUT",
    "Dataset",
    "DatasetInfo",
    "Split",
    "UnknownDatasetError",
    "dataset_parts",
    "dataset_split",
    "list_datasets",
    "load_dataset",
    "slice_dataset",
    "split_indices",
]
