"""Live training: SGD that runs on the server while a page watches, one frame per redraw.

A `LiveRun` holds one network being trained. The stream (app/api/routes/live.py) calls
`train_for` between frames, `frame` when the page has drawn the previous frame, and
`checkpoint` every few seconds and on pause, so versions are written as with the REST
train endpoint but not once per frame. Nothing here knows about WebSockets.

A frame carries only what the page draws: the weights (float64 while small, float32 for
large networks, whose exact values the page reloads on pause), the shown sample's
forward and backward pass (float64: these are the numbers the Inspector prints), the
decision boundary's a1 - a0 on the page's grid (float32), and the loss points measured
since the last frame. Binary layout: a little-endian uint32 header length, the header as
UTF-8 JSON, zero padding to a multiple of 8, then the arrays the header lists.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from app.api import arrays
from app.config import Settings
from app.nn.network import Network, SpecError
from app.nn.train import SGD, Diverged, accuracy, saturated_share
from app.store.networks import TRAIN, Conflict, Networks
from app.store.training_log import TrainingRun

from . import training
from .compute import layer_quantities

# Above this many parameters the weights travel as float32 (784-30-10: 95 kB, not 190 kB).
EXACT_PARAMETERS = 4096
# A run is measured (loss, accuracy) at most this often, on the fixed evaluation samples.
EVAL_EVERY_S = 1 / 30


class LiveError(Exception):
    """Ends a run: `code` is one of the team's error codes (diverged, version_conflict)."""

    def __init__(self, code: str, field: str, detail: str, version: int | None = None):
        super().__init__(detail)
        self.code = code
        self.field = field
        self.detail = detail
        self.version = version


@dataclass
class Grid:
    """The decision boundary's points: n x n over [x0, x1] x [y0, y1], rows from the top."""

    n: int
    extent: tuple[float, float, float, float]

    def points(self) -> np.ndarray:
        x0, x1, y0, y1 = self.extent
        c = np.arange(self.n)
        xs = x0 + c * (x1 - x0) / (self.n - 1)
        ys = y1 - c * (y1 - y0) / (self.n - 1)
        return np.stack([np.tile(xs, self.n), np.repeat(ys, self.n)], axis=1)


def pack(header: dict, arrays: list[tuple[str, np.ndarray]]) -> bytes:
    """One binary frame: header JSON (listing each array's name, dtype, shape and byte
    offset in the payload) and the arrays, each aligned to 8 bytes."""
    parts, listed, offset = [], [], 0
    for name, a in arrays:
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
        listed.append({"name": name, "dtype": a.dtype.str[1:], "shape": a.shape, "offset": offset})
        raw = a.tobytes()
        pad = -len(raw) % 8
        parts.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    head = json.dumps({**header, "arrays": listed}, separators=(",", ":"), allow_nan=False)
    head_bytes = head.encode()
    head_bytes += b" " * (-(4 + len(head_bytes)) % 8)
    return len(head_bytes).to_bytes(4, "little") + head_bytes + b"".join(parts)


def _finite(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


class LiveRun:
    def __init__(
        self, networks: Networks, nid: int, start, settings: Settings, owner: str | None = None
    ):
        saved = networks.get(nid, owner=owner, write=True)
        self.owner = owner  # in shared mode, whose network this is (app/api/owners.py)
        if start.if_version is not None and start.if_version != saved.version:
            raise Conflict(saved.version, start.if_version)
        self.networks, self.nid, self.name, self.dataset = networks, nid, saved.name, saved.dataset
        self.version = saved.version
        X, Y, self.classify = training.training_data(saved.network, start, settings)
        self.eval_X, self.eval_Y = training.evaluation_set(X, Y, start.seed)
        self.held = training.held_out_set(start, start.seed) if self.classify else None
        batch = min(start.batch_size, len(X))
        self.run = SGD(saved.network, X, Y, start.learning_rate, batch, start.seed)
        self.saved_at_step = 0  # the run's step count at the last checkpoint
        self.sample: tuple[np.ndarray, np.ndarray] | None = None
        self.grid: Grid | None = None
        self.points: dict[str, list] = self._no_points()
        self.kept: dict[str, list] = self._no_points()  # since the last checkpoint, for the record
        self.last_norms: list[float] = []
        self.last_eval = -np.inf
        self.fps = 60
        # Work per step, as the REST endpoint counts it, bounds one slice of training.
        self.step_work = 3 * self.run.batch_size * self.net.n_parameters

    @property
    def net(self) -> Network:
        return self.run.net

    def _no_points(self) -> dict[str, list]:
        keys = ("step", "loss", "accuracy", "held_out_accuracy", "saturated", "grad_norms")
        return {k: [] for k in keys}

    def set_params(self, learning_rate: float | None, batch_size: int | None) -> None:
        if learning_rate is not None:
            self.run.learning_rate = learning_rate
        if batch_size is not None:
            self.run.batch_size = min(batch_size, len(self.run.X))
            self.step_work = 3 * self.run.batch_size * self.net.n_parameters

    def set_sample(self, x, y) -> None:
        X, _ = arrays.inputs(self.net, x, "x")
        Y = arrays.targets(self.net, y, X.shape[0], "y")
        if X.shape[0] != 1:
            raise SpecError("x", "give one sample to watch")
        self.sample = (X, Y)

    def set_grid(self, n: int, extent) -> None:
        if self.net.sizes[0] != 2:
            raise SpecError("grid", "a decision boundary needs a network with 2 inputs")
        x0, x1, y0, y1 = (float(v) for v in extent)
        self.grid = Grid(n, (x0, x1, y0, y1))

    def train_for(self, seconds: float, max_work: int) -> int:
        """SGD steps for about `seconds` (at least one, at most `max_work` of work); on
        divergence the network goes back to where the slice began and LiveError says so."""
        before = self.net.copy()
        deadline = time.perf_counter() + seconds
        done, work = 0, 0
        with np.errstate(all="ignore"):
            try:
                while True:
                    self.last_norms = self.run.step()
                    done += 1
                    work += self.step_work
                    if time.perf_counter() >= deadline or work + self.step_work > max_work:
                        break
            except Diverged as e:
                self.run.net = before
                self.run.steps -= done + 1
                raise LiveError(
                    "diverged",
                    "learning_rate",
                    f"training diverged at η = {self.run.learning_rate:g} ({e}); the network is "
                    f"kept as it was {done} steps earlier. Try a smaller learning rate.",
                ) from None
            self._measure()
        return done

    def _measure(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last_eval < EVAL_EVERY_S:
            return
        self.last_eval = now
        e = self.net.evaluate(self.eval_X, self.eval_Y)
        if not np.isfinite(e.cost):
            return
        held = None
        if self.held is not None:
            held = accuracy(self.net.feedforward(self.held[0]).output, self.held[1])
        point = {
            "step": self.run.steps,
            "loss": float(e.cost),
            "accuracy": accuracy(e.output, self.eval_Y) if self.classify else None,
            "held_out_accuracy": held,
            "saturated": saturated_share(e.output, self.net.activation_names[-1]),
            "grad_norms": [_norm_or_none(v) for v in self.last_norms],
        }
        for points in (self.points, self.kept):
            for k, v in point.items():
                points[k].append(v)

    def frame(self) -> bytes:
        """What the page draws now; the loss points since the previous frame go with it."""
        net = self.net
        exact = net.n_parameters <= EXACT_PARAMETERS
        dtype = np.float64 if exact else np.float32
        arrays: list[tuple[str, np.ndarray]] = []
        for l in range(1, net.L + 1):
            arrays.append((f"W{l}", net.weights[l].astype(dtype)))
            arrays.append((f"b{l}", net.biases[l].astype(dtype)))
        header: dict = {
            "type": "frame",
            "step": self.run.steps,
            "version": self.version if self.saved_at_step == self.run.steps else None,
            "exact": exact,
            "points": self.points,
        }
        with np.errstate(all="ignore"):
            if self.sample is not None:
                X, Y = self.sample
                p = net.backprop(X, Y)
                header["cost"] = _finite(p.cost)
                for l in range(1, net.L + 1):
                    for key, values in layer_quantities(p):
                        arrays.append((f"{key}{l}", values[l][0]))
            if self.grid is not None:
                out = net.feedforward(self.grid.points()).output
                margin = out[:, 1] - out[:, 0] if out.shape[1] >= 2 else out[:, 0]
                arrays.append(("boundary", np.nan_to_num(margin).astype(np.float32)))
        self.points = self._no_points()
        return pack(header, arrays)

    def checkpoint(self) -> int:
        """Save the network as a training version (if it moved since the last one)."""
        if self.saved_at_step == self.run.steps:
            return self.version
        # The points measured since the last checkpoint go into the network's record (a
        # point whose gradient norm overflowed has no place on a log chart: left out).
        since = self.saved_at_step
        ok = [i for i, g in enumerate(self.kept["grad_norms"]) if None not in g]
        k = {key: [v[i] for i in ok] for key, v in self.kept.items()}
        run = TrainingRun(
            k["loss"],
            k["grad_norms"],
            k["accuracy"] if self.classify else None,
            k["held_out_accuracy"] if self.held is not None else None,
            k["saturated"] if any(v is not None for v in k["saturated"]) else None,
            at=[s - since for s in k["step"]],
            taken=self.run.steps - since,
        )
        try:
            new = self.networks.update(
                self.nid,
                self.name,
                self.net,
                self.dataset,
                if_version=self.version,
                source=TRAIN,
                owner=self.owner,
                run=run,
            )
        except Conflict as e:
            raise LiveError(
                "version_conflict",
                "if_version",
                f"network is at version {e.current}, not {self.version}: another tab saved it; "
                "nothing was overwritten",
                e.current,
            ) from None
        self.version = new.version
        self.saved_at_step = self.run.steps
        self.kept = self._no_points()
        return self.version


def _norm_or_none(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None
