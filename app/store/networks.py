"""Saved networks and their history: every accepted change is a new version.

The head row in `networks` says which version is current; `network_versions`
keeps each version's architecture (JSON) and parameters (raw float64 bytes, so
a save and load is exact to the bit).
"""

from __future__ import annotations

import itertools
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from app.nn.network import Network

from . import training_log
from .base import Backend
from .training_log import TrainingRun


class NotFound(LookupError):
    pass


class ReadOnly(Exception):
    """A shared network (a demo or lesson in shared mode): readable by all, changed by none."""


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
    read_only: bool = False  # a shared demo or lesson in shared mode, or opened by a link

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "dataset": self.dataset,
            "version": self.version,
            "network": self.network.to_dict(),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "read_only": self.read_only,
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


Rows = list[dict]  # `list` below is a method: the builtin is named once, here

TRAIN = "train"  # the source of versions written by training: thinned checkpoints


def thinned(train_versions: list[int], keep: int) -> list[int]:
    """The training versions to drop: the newest `keep` stay, and of the older ones the
    oldest in each band of ages [2^b, 2^(b+1)) behind the newest version, so a long run
    keeps `keep` + about log2(versions) checkpoints reaching back to its start."""
    if len(train_versions) <= keep:
        return []
    ordered = sorted(train_versions)
    newest = ordered[-1]
    drop, bands = [], set()
    for v in ordered[: len(ordered) - keep]:  # oldest first: the first in a band is kept
        band = (newest - v).bit_length()
        if band in bands:
            drop.append(v)
        else:
            bands.add(band)
    return drop


class Networks:
    """Saved networks, seen by one owner at a time.

    `owner` is None in the local (single-user) mode: every network is the user's. In
    shared mode (`shared=True`) each call names the owner it acts for (a hash of the
    client's key): a network with an owner is visible only to that owner (anyone else gets
    NotFound, as if it did not exist), and one without (a demo or lesson) is visible to all
    and changed by none (ReadOnly).
    """

    def __init__(
        self,
        store: Backend,
        keep_training: int = 200,
        keep_points: int = training_log.KEEP_POINTS,
        shared: bool = False,
    ):
        self.store = store
        self.keep_training = max(1, keep_training)  # the head is always kept
        self.keep_points = max(2, keep_points)
        self.shared = shared

    def _head(self, db, nid: int, owner: str | None, write: bool = False, lock: bool = False):
        """The head row if `owner` may see it (and change it, with write); else raise.
        lock: inside a write transaction, hold the row until it commits."""
        sql = "SELECT * FROM networks WHERE id = ?" + (self.store.for_update if lock else "")
        head = db.execute(sql, (nid,)).fetchone()
        if head is None or (self.shared and head["owner"] not in (None, owner)):
            raise NotFound(f"no network with id {nid}")
        if write and self.shared and head["owner"] is None:
            raise ReadOnly(
                f"network {nid} is shared and read-only; copy it "
                f"(POST /api/networks/{nid}/copy) to change or train your own"
            )
        return head

    def _read_only(self, head) -> bool:
        return self.shared and head["owner"] is None

    def create(
        self,
        name: str,
        net: Network,
        dataset: str | None,
        source: str = "create",
        owner: str | None = None,
    ):
        arch, blob = _pack(net)
        now = _now()
        owner = owner if self.shared else None
        with self.store.write() as db:
            row = db.execute(
                "INSERT INTO networks (name, dataset, version, created_at, updated_at, owner) "
                "VALUES (?, ?, 1, ?, ?, ?) RETURNING id",
                (name, dataset, now, now, owner),
            ).fetchone()
            assert row is not None  # RETURNING gives the new row
            nid = row["id"]
            db.execute(
                "INSERT INTO network_versions VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                (nid, name, dataset, arch, blob, source, now),
            )
            training_log.record_create(db, nid)
        return SavedNetwork(nid, name, dataset, 1, net, now, now)

    def list(self, owner: str | None = None) -> Rows:
        mine = " WHERE n.owner IS NULL OR n.owner = ?" if self.shared else ""
        with self.store.read() as db:
            rows = db.execute(
                "SELECT n.id, n.name, n.dataset, n.version, n.created_at, n.updated_at, "
                "n.owner, v.architecture FROM networks n JOIN network_versions v "
                "ON v.network_id = n.id AND v.version = n.version" + mine + " ORDER BY n.id",
                (owner,) if self.shared else (),
            ).fetchall()
        out = []
        for r in rows:
            arch = json.loads(r["architecture"])
            out.append(
                {k: r[k] for k in ("id", "name", "dataset", "version")}
                | arch
                | {"created_at": r["created_at"], "updated_at": r["updated_at"]}
                | {"read_only": self._read_only(r)}
            )
        return out

    def get(
        self,
        nid: int,
        version: int | None = None,
        owner: str | None = None,
        write: bool = False,
    ) -> SavedNetwork:
        """One version (the head by default); write=True also checks it may be changed."""
        _known(nid, version)
        with self.store.read() as db:
            head = self._head(db, nid, owner, write)
            return self._version(db, head, version)

    def _version(self, db, head, version: int | None) -> SavedNetwork:
        nid = head["id"]
        v = head["version"] if version is None else version
        row = db.execute(
            "SELECT * FROM network_versions WHERE network_id = ? AND version = ?", (nid, v)
        ).fetchone()
        if row is None:
            pruned = 1 <= v < head["version"]
            why = (
                f" (training keeps its newest {self.keep_training} checkpoints and thins "
                "older ones)"
                if pruned
                else ""
            )
            raise NotFound(f"network {nid} has no version {v}{why}")
        return SavedNetwork(
            nid,
            row["name"],
            row["dataset"],
            v,
            _unpack(row["architecture"], row["parameters"]),
            head["created_at"],
            row["created_at"],
            self._read_only(head),
        )

    def versions(self, nid: int, owner: str | None = None) -> Rows:
        _known(nid)
        with self.store.read() as db:
            self._head(db, nid, owner)
            rows = db.execute(
                "SELECT v.version, v.name, v.dataset, v.source, v.created_at, t.steps, t.loss, "
                "t.accuracy, t.held_out_accuracy FROM network_versions v "
                "LEFT JOIN version_training t "
                "ON t.network_id = v.network_id AND t.version = v.version "
                "WHERE v.network_id = ? ORDER BY v.version",
                (nid,),
            ).fetchall()
        return [dict(r) for r in rows]

    def training(self, nid: int, last: int | None = None, owner: str | None = None) -> dict:
        """The head's version, its step count and the charts of its run (see training_log),
        or only their `last` points."""
        _known(nid)
        with self.store.read() as db:
            head = self._head(db, nid, owner)
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
        owner: str | None = None,
        run: TrainingRun | None = None,
        restored_from: int | None = None,
    ) -> SavedNetwork:
        """Save a new version; with if_version, only if the network is still there. `run` is
        the training that made it (source train); `restored_from` the version it copies."""
        _known(nid)
        arch, blob = _pack(net)
        now = _now()
        with self.store.write() as db:
            head = self._head(db, nid, owner, write=True, lock=True)
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
        """Thin this network's training checkpoints in the transaction that wrote the
        newest (see `thinned`); created, edited, imported and copied versions all stay."""
        rows = db.execute(
            "SELECT version FROM network_versions WHERE network_id = ? AND source = ?",
            (nid, TRAIN),
        ).fetchall()
        for v in thinned([r["version"] for r in rows], self.keep_training):
            db.execute(
                "DELETE FROM network_versions WHERE network_id = ? AND version = ?", (nid, v)
            )

    def delete(self, nid: int, owner: str | None = None) -> None:
        _known(nid)
        with self.store.write() as db:
            self._head(db, nid, owner, write=True, lock=True)
            db.execute("DELETE FROM networks WHERE id = ?", (nid,))

    # --- share links: read-only access to one network through an unguessable token --------

    def share(self, nid: int, owner: str | None = None) -> str:
        """The network's share token (made on first asking; the same one after that)."""
        _known(nid)
        with self.store.write() as db:
            head = self._head(db, nid, owner, write=True, lock=True)
            if head["share_token"]:
                return head["share_token"]
            token = secrets.token_urlsafe(24)  # 192 random bits
            db.execute("UPDATE networks SET share_token = ? WHERE id = ?", (token, nid))
            return token

    def unshare(self, nid: int, owner: str | None = None) -> None:
        """Revoke the share link: the old token answers 404 from now on."""
        _known(nid)
        with self.store.write() as db:
            self._head(db, nid, owner, write=True, lock=True)
            db.execute("UPDATE networks SET share_token = NULL WHERE id = ?", (nid,))

    def by_token(self, token: str) -> SavedNetwork:
        with self.store.read() as db:
            head = db.execute("SELECT * FROM networks WHERE share_token = ?", (token,)).fetchone()
            if head is None:
                raise NotFound("no network is shared under this link")
            saved = self._version(db, head, None)
        saved.read_only = True
        return saved
