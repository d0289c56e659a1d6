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

from .base import Backend


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


SQLITE_MAX_INT = 2**63 - 1  # also PostgreSQL's BIGINT


def _known(nid: int, version: int | None = None) -> None:
    """Ids and versions the store cannot even hold cannot exist: 404, not an overflow."""
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
    def __init__(self, store: Backend, keep_training: int = 200):
        self.store = store
        self.keep_training = max(1, keep_training)  # the head is always kept

    def create(self, name: str, net: Network, dataset: str | None, source: str = "create"):
        arch, blob = _pack(net)
        now = _now()
        with self.store.write() as db:
            nid = db.execute(
                "INSERT INTO networks (name, dataset, version, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?) RETURNING id",
                (name, dataset, now, now),
            ).fetchone()["id"]
            db.execute(
                "INSERT INTO network_versions VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                (nid, name, dataset, arch, blob, source, now),
            )
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
                "SELECT version, name, dataset, source, created_at FROM network_versions "
                "WHERE network_id = ? ORDER BY version",
                (nid,),
            ).fetchall()
        return [dict(r) for r in rows]

    def update(
        self,
        nid: int,
        name: str,
        net: Network,
        dataset: str | None,
        if_version: int | None = None,
        source: str = "update",
    ) -> SavedNetwork:
        """Save a new version; with if_version, only if the network is still there."""
        _known(nid)
        arch, blob = _pack(net)
        now = _now()
        with self.store.write() as db:
            head = db.execute(
                "SELECT version, created_at FROM networks WHERE id = ?" + self.store.for_update,
                (nid,),
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
            if source == TRAIN:
                self._prune(db, nid)
        return SavedNetwork(nid, name, dataset, version, net, head["created_at"], now)

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
