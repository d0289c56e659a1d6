"""Training's own record, kept with the network (schema version 2, see db.py).

`version_training` says, for every version, how many SGD steps are behind its weights
(since they were drawn or edited) and the loss and accuracies after the last of them: the
version list shows them. `training_points` holds the charts of the head's run, one row per
step, thinned beyond `keep_points` rows so a long run stays a few hundred kB.

The points always belong to the head's line of descent: a training request first drops
points past the head's step count (a future a restore abandoned), a restore keeps only
points of versions up to the one restored, and new weights (reset, an edit, an import) drop
them all. Every function here runs inside the caller's write transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

KEEP_POINTS = 4000  # per network; older points are thinned to every other one past this


@dataclass
class TrainingRun:
    """What one training request adds: one entry per step, in order."""

    loss: list[float]
    grad_norms: list[list[float]]
    accuracy: list[float] | None = None
    held_out_accuracy: list[float] | None = None
    saturated: list[float] | None = field(default=None)
    # The live stream measures some steps only: each point's step within this run (1-based)
    # and how many steps the run took in all. None: every step, one point each.
    at: list[int] | None = None
    taken: int | None = None

    @property
    def steps(self) -> int:
        return self.taken if self.taken is not None else len(self.loss)


NONE = {"steps": 0, "loss": None, "accuracy": None, "held_out_accuracy": None}  # fresh weights
COLUMNS = ("step", "version", "loss", "accuracy", "held_out_accuracy", "saturated", "grad_norms")


def _at(values: list | None, i: int):
    return None if values is None else values[i]


def steps_of(db, nid: int, version: int) -> dict:
    """The training behind one version's weights (zero steps when none was recorded)."""
    row = db.execute(
        "SELECT steps, loss, accuracy, held_out_accuracy FROM version_training "
        "WHERE network_id = ? AND version = ?",
        (nid, version),
    ).fetchone()
    return dict(NONE) if row is None else dict(row)


def _set(db, nid: int, version: int, stats: dict) -> None:
    db.execute(
        "INSERT INTO version_training VALUES (?, ?, ?, ?, ?, ?)",
        (
            nid,
            version,
            stats["steps"],
            stats["loss"],
            stats["accuracy"],
            stats["held_out_accuracy"],
        ),
    )


def record_create(db, nid: int) -> None:
    _set(db, nid, 1, NONE)


def record_train(db, nid: int, head: int, version: int, run: TrainingRun, keep: int) -> None:
    """`version` is `head` trained for `run.steps` more steps."""
    before = steps_of(db, nid, head)["steps"]
    db.execute("DELETE FROM training_points WHERE network_id = ? AND step > ?", (nid, before))
    at = run.at or list(range(1, len(run.loss) + 1))
    rows = [
        (
            nid,
            before + at[i],
            version,
            run.loss[i],
            _at(run.accuracy, i),
            _at(run.held_out_accuracy, i),
            _at(run.saturated, i),
            json.dumps(run.grad_norms[i]),
        )
        for i in range(len(run.loss))
    ]
    for row in rows:
        db.execute("INSERT INTO training_points VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    last = len(run.loss) - 1
    measured = last >= 0
    stats = {
        "steps": before + run.steps,
        "loss": run.loss[last] if measured else None,
        "accuracy": _at(run.accuracy, last) if measured else None,
        "held_out_accuracy": _at(run.held_out_accuracy, last) if measured else None,
    }
    _set(db, nid, version, stats)
    _thin(db, nid, keep)


def record_restore(db, nid: int, version: int, restored: int) -> None:
    """`version` holds the weights of `restored`: its step count, and its part of the charts."""
    stats = steps_of(db, nid, restored)
    db.execute(
        "DELETE FROM training_points WHERE network_id = ? AND (version > ? OR step > ?)",
        (nid, restored, stats["steps"]),
    )
    _set(db, nid, version, stats)


def record_change(db, nid: int, head: int, version: int, same_weights: bool) -> None:
    """A saved change that is not training: a rename keeps the run, new weights start over."""
    if same_weights:
        _set(db, nid, version, steps_of(db, nid, head))
        return
    db.execute("DELETE FROM training_points WHERE network_id = ?", (nid,))
    _set(db, nid, version, NONE)


def _thin(db, nid: int, keep: int) -> None:
    """Past `keep` points, drop every other one of the older ones; the newest keep/2 stay
    at full resolution, so the recent curve is exact and the distant past keeps its shape."""
    steps = [
        r["step"]
        for r in db.execute(
            "SELECT step FROM training_points WHERE network_id = ? ORDER BY step", (nid,)
        ).fetchall()
    ]
    drop: list[int] = []
    while len(steps) > keep:
        old, new = steps[: len(steps) - keep // 2], steps[len(steps) - keep // 2 :]
        drop += old[1::2]
        steps = old[0::2] + new
    for step in drop:
        db.execute("DELETE FROM training_points WHERE network_id = ? AND step = ?", (nid, step))


def points(db, nid: int, last: int | None = None) -> dict:
    """The head's run as columns: step, loss, accuracy, ... and grad_norms (a list per step);
    with `last`, only the newest that many."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM training_points WHERE network_id = ?"
    if last is None:
        rows = db.execute(sql + " ORDER BY step", (nid,)).fetchall()
    else:
        rows = db.execute(sql + " ORDER BY step DESC LIMIT ?", (nid, last)).fetchall()[::-1]
    out: dict[str, list | None] = {c: [r[c] for r in rows] for c in COLUMNS}
    out["grad_norms"] = [json.loads(g) for g in out["grad_norms"] or []]
    for c in ("accuracy", "held_out_accuracy", "saturated"):
        if all(v is None for v in out[c] or []):
            out[c] = None
    return out
