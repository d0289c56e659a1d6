"""Saved networks and their history: every accepted change is a new version.

The head row in `networks` says which version is current; `network_versions`
keeps each version's architecture (JSON) and parameters (raw float64 bytes, so
a save and load is exact to the bit).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from app.nn.network import Network

from . import training_log
from .db import Store
from .training_log import TrainingRun


class NotFound(LookupError):
    pass


class Conflict(Exception):
    """The network moved on: `current` is its version now."""

    def __init__(self, current: int, expected: int):
        super().__init__(f"network is at version {current}, not {expected}")
        self.current = current
        self.expected = expected


@dataclass
class SavedNetwork:
    id: int
    name: str
    dataset: str | None
    version: int
    network: Network
    created_at: str
    updated_at: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "dataset": self.dataset,
            "version": self.version,
            "network": self.network.to_dict(),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


SQLITE_MAX_INT = 2**63 - 1


def _known(nid: int, version: int | None = None) -> None:
    """Ids and versions SQLite cannot even hold cannot exist: 404, not an overflow."""
    if not 0 < nid <= SQLITE_MAX_INT:
        raise NotFound(f"no network with id {nid}")
    if version is not None and not 0 < version <= SQLITE_MAX_INT:
        raise NotFound(f"network {nid} has no version {version}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _pack(net: Network) -> tuple[str, bytes]:
    arch = {"sizes": net.sizes, "activations": net.activation_names, "cost": net.cost_name}
    flat = [p.ravel() for l in range(1, net.L + 1) for p in (net.weights[l], net.biases[l])]
    return json.dumps(arch), np.concatenate(flat).astype("<f8").tobytes()


def _unpack(architecture: str, blob: bytes) -> Network:
    arch = json.loads(architecture)
    sizes = arch["sizes"]
    flat = np.frombuffer(blob, dtype="<f8").astype(np.float64)
    weights, biases, at = [], [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        weights.append(flat[at : at + n_out * n_in].reshape(n_out, n_in))
        at += n_out * n_in
        biases.append(flat[at : at + n_out])
        at += n_out
    return Network(sizes, arch["activations"], arch["cost"], weights, biases)


TRAIN = "train"  # the source of versions written by training: pruned checkpoints


class Networks:
    def __init__(
        self, store: Store, keep_training: int = 200, keep_points: int = training_log.KEEP_POINTS
    ):
        self.store = store
        self.keep_training = max(1, keep_training)  # the head is always kept
        self.keep_points = max(2, keep_points)

    def create(self, name: str, net: Network, dataset: str | None, source: str = "create"):
        arch, blob = _pack(net)
        now = _now()
        with self.store.write() as db:
            cur = db.execute(
                "INSERT INTO networks (name, dataset, version, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?)",
                (name, dataset, now, now),
            )
            nid = cur.lastrowid
            db.execute(
                "INSERT INTO network_versions VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                (nid, name, dataset, arch, blob, source, now),
            )
            training_log.record_create(db, nid)
        return SavedNetwork(nid, name, dataset, 1, net, now, now)

    def list(self) -> list[dict]:
        with self.store.read() as db:
            rows = db.execute(
                "SELECT n.id, n.name, n.dataset, n.version, n.created_at, n.updated_at, "
                "v.architecture FROM networks n JOIN network_versions v "
                "ON v.network_id = n.id AND v.version = n.version ORDER BY n.id"
            ).fetchall()
        out = []
        for r in rows:
            arch = json.loads(r["architecture"])
            out.append(
                {k: r[k] for k in ("id", "name", "dataset", "version")}
                | arch
                | {"created_at": r["created_at"], "updated_at": r["updated_at"]}
            )
        return out

    def get(self, nid: int, version: int | None = None) -> SavedNetwork:
        _known(nid, version)
        with self.store.read() as db:
            head = db.execute("SELECT * FROM networks WHERE id = ?", (nid,)).fetchone()
            if head is None:
                raise NotFound(f"no network with id {nid}")
            v = head["version"] if version is None else version
            row = db.execute(
                "SELECT * FROM network_versions WHERE network_id = ? AND version = ?", (nid, v)
            ).fetchone()
        if row is None:
            pruned = 1 <= v < head["version"]
            why = f" (training keeps its newest {self.keep_training} versions)" if pruned else ""
            raise NotFound(f"network {nid} has no version {v}{why}")
        return SavedNetwork(
            nid,
            row["name"],
            row["dataset"],
            v,
            _unpack(row["architecture"], row["parameters"]),
            head["created_at"],
            row["created_at"],
        )

    def versions(self, nid: int) -> list[dict]:
        _known(nid)
        with self.store.read() as db:
            if db.execute("SELECT 1 FROM networks WHERE id = ?", (nid,)).fetchone() is None:
                raise NotFound(f"no network with id {nid}")
            rows = db.execute(
                "SELECT v.version, v.name, v.dataset, v.source, v.created_at, t.steps, t.loss, "
                "t.accuracy, t.held_out_accuracy FROM network_versions v "
                "LEFT JOIN version_training t "
                "ON t.network_id = v.network_id AND t.version = v.version "
                "WHERE v.network_id = ? ORDER BY v.version",
                (nid,),
            ).fetchall()
        return [dict(r) for r in rows]

    def training(self, nid: int, last: int | None = None) -> dict:
        """The head's version, its step count and the charts of its run (see training_log),
        or only their `last` points."""
        _known(nid)
        with self.store.read() as db:
            head = db.execute("SELECT version FROM networks WHERE id = ?", (nid,)).fetchone()
            if head is None:
                raise NotFound(f"no network with id {nid}")
            stats = training_log.steps_of(db, nid, head["version"])
            kept = training_log.points(db, nid, last)
        return {"version": head["version"], **stats, "points": kept}

    def update(
        self,
        nid: int,
        name: str,
        net: Network,
        dataset: str | None,
        if_version: int | None = None,
        source: str = "update",
        run: TrainingRun | None = None,
        restored_from: int | None = None,
    ) -> SavedNetwork:
        """Save a new version; with if_version, only if the network is still there. `run` is
        the training that made it (source train); `restored_from` the version it copies."""
        _known(nid)
        arch, blob = _pack(net)
        now = _now()
        with self.store.write() as db:
            head = db.execute(
                "SELECT version, dataset, created_at FROM networks WHERE id = ?", (nid,)
            ).fetchone()
            if head is None:
                raise NotFound(f"no network with id {nid}")
            if if_version is not None and head["version"] != if_version:
                raise Conflict(head["version"], if_version)
            version = head["version"] + 1
            db.execute(
                "UPDATE networks SET name = ?, dataset = ?, version = ?, updated_at = ? "
                "WHERE id = ?",
                (name, dataset, version, now, nid),
            )
            db.execute(
                "INSERT INTO network_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (nid, version, name, dataset, arch, blob, source, now),
            )
            self._record(db, nid, head, version, run, restored_from, (arch, blob, dataset))
            if source == TRAIN:
                self._prune(db, nid)
        return SavedNetwork(nid, name, dataset, version, net, head["created_at"], now)

    def _record(self, db, nid, head, version, run, restored_from, saved) -> None:
        """Training's record follows the weights: see training_log."""
        if run is not None:
            training_log.record_train(db, nid, head["version"], version, run, self.keep_points)
        elif restored_from is not None:
            training_log.record_restore(db, nid, version, restored_from)
        else:
            before = db.execute(
                "SELECT architecture, parameters, dataset FROM network_versions "
                "WHERE network_id = ? AND version = ?",
                (nid, head["version"]),
            ).fetchone()
            same = (
                before is not None
                and (
                    before["architecture"],
                    bytes(before["parameters"]),
                    before["dataset"],
                )
                == saved
            )
            training_log.record_change(db, nid, head["version"], version, same)

    def _prune(self, db, nid: int) -> None:
        """Drop training versions older than the newest `keep_training` of them, in the
        transaction that wrote the new one; the head and every other version stay."""
        oldest_kept = db.execute(
            "SELECT version FROM network_versions WHERE network_id = ? AND source = ? "
            "ORDER BY version DESC LIMIT 1 OFFSET ?",
            (nid, TRAIN, self.keep_training - 1),
        ).fetchone()
        if oldest_kept is not None:
            db.execute(
                "DELETE FROM network_versions WHERE network_id = ? AND source = ? AND version < ?",
                (nid, TRAIN, oldest_kept["version"]),
            )

    def delete(self, nid: int) -> None:
        _known(nid)
        with self.store.write() as db:
            if db.execute("DELETE FROM networks WHERE id = ?", (nid,)).rowcount == 0:
                raise NotFound(f"no network with id {nid}")
