"""Two-class 2-D toy problems in the style of TensorFlow Playground, scaled into [-1, 1]^2.

Each generator takes a NumPy ``Generator`` and returns ``(x, labels)``: ``N_SAMPLES`` points,
exactly half per class, shuffled so any slice of the data shows both classes.
"""

from __future__ import annotations

import numpy as np

N_SAMPLES = 200
N_PER_CLASS = N_SAMPLES // 2
FEATURE_NAMES = ("x1", "x2")

XOR_MARGIN = 0.05  # keeps points off the axes so sign(x1*x2) never sits on a boundary
CIRCLE_INNER = (0.0, 0.5)  # radius range of class 0, the inner disc
CIRCLE_OUTER = (0.7, 1.0)  # radius range of class 1, the outer ring
SPIRAL_RADIUS = (0.05, 0.9)  # arms start off the origin so the two classes don't overlap there
SPIRAL_TURNS = 1.75
SPIRAL_NOISE = 0.02
GAUSS_CENTER = 0.4  # class 0 centred at (-c, -c), class 1 at (+c, +c)
GAUSS_STD = 0.18


def _balanced_labels() -> np.ndarray:
    return np.repeat(np.arange(2, dtype=np.int64), N_PER_CLASS)


def _shuffled(rng: np.random.Generator, x: np.ndarray, labels: np.ndarray):
    order = rng.permutation(N_SAMPLES)
    return x[order], labels[order]


def xor(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where x1 and x2 share a sign (quadrants I and III), class 0 elsewhere."""
    labels = _balanced_labels()
    s1 = rng.choice([-1.0, 1.0], size=N_SAMPLES)
    # Same sign for class 1, opposite sign for class 0.
    s2 = np.where(labels == 1, s1, -s1)
    mags = XOR_MARGIN + (1.0 - XOR_MARGIN) * rng.random((N_SAMPLES, 2))
    x = mags * np.stack([s1, s2], axis=1)
    return _shuffled(rng, x, labels)


def _annulus(rng: np.random.Generator, r_lo: float, r_hi: float, n: int) -> np.ndarray:
    # sqrt of a uniform r^2 gives points uniform over the area, not bunched at the centre.
    r = np.sqrt(rng.uniform(r_lo**2, r_hi**2, size=n))
    t = rng.uniform(0.0, 2.0 * np.pi, size=n)
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def circles(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 fills the disc of radius 0.5; class 1 the ring between radii 0.7 and 1.0."""
    x = np.concatenate(
        [_annulus(rng, *CIRCLE_INNER, N_PER_CLASS), _annulus(rng, *CIRCLE_OUTER, N_PER_CLASS)]
    )
    return _shuffled(rng, x, _balanced_labels())


def spiral_angle(r: np.ndarray, arm: np.ndarray | int) -> np.ndarray:
    """Angle of the noise-free arm ``arm`` (0 or 1) at radius ``r``; arm 1 is arm 0 turned by π."""
    lo, hi = SPIRAL_RADIUS
    return SPIRAL_TURNS * 2.0 * np.pi * (r - lo) / (hi - lo) + np.pi * np.asarray(arm)


def spiral_points(r: np.ndarray, arm: np.ndarray | int) -> np.ndarray:
    """Noise-free points of an arm at radii ``r`` (also used by the tests to check the shape)."""
    t = spiral_angle(r, arm)
    return np.stack([r * np.sin(t), r * np.cos(t)], axis=-1)


def spiral(rng: np.random.Generator, noise: float = SPIRAL_NOISE) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved arms, 1.75 turns each, evenly spaced in radius, plus Gaussian noise."""
    labels = _balanced_labels()
    r = np.tile(np.linspace(*SPIRAL_RADIUS, N_PER_CLASS), 2)
    x = spiral_points(r, labels) + noise * rng.standard_normal((N_SAMPLES, 2))
    # Noise could push an outer point past 1 only by > 5 standard deviations; clip to be sure.
    return _shuffled(rng, np.clip(x, -1.0, 1.0), labels)


def gaussians(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two round blobs, class 0 around (-0.4, -0.4) and class 1 around (0.4, 0.4)."""
    labels = _balanced_labels()
    centers = np.where(labels[:, None] == 1, GAUSS_CENTER, -GAUSS_CENTER)
    x = centers + GAUSS_STD * rng.standard_normal((N_SAMPLES, 2))
    # A tail sample past 3.3 standard deviations would leave [-1, 1]; clip it to the edge.
    return _shuffled(rng, np.clip(x, -1.0, 1.0), labels)


GENERATORS = {"xor": xor, "circles": circles, "spiral": spiral, "gaussians": gaussians}
