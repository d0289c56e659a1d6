"""Owners and share tokens in the store, on both backends, and the migration that added
them (schema 3): a store at schema version 1 or 2 keeps every network, now owned by nobody
(shared), and its training record."""

from __future__ import annotations

import pytest

from app.nn.network import Network
from app.store import NotFound, open_store
from app.store.networks import Networks, ReadOnly, _pack


def tiny(seed: int = 0) -> Network:
    return Network.initialised([2, 3, 2], ["sigmoid", "sigmoid"], "quadratic", "xavier", seed)


def test_owners_see_their_own_and_the_shared_ones(store):
    nets = Networks(store, shared=True)
    demo = nets.create("demo", tiny(0), "xor", owner=None)
    a = nets.create("a", tiny(1), None, owner="A")
    b = nets.create("b", tiny(2), None, owner="B")
    assert [(n["id"], n["read_only"]) for n in nets.list("A")] == [(demo.id, True), (a.id, False)]
    assert [n["id"] for n in nets.list("B")] == [demo.id, b.id]
    # B may not see A's network at all; nobody may change a shared demo.
    refused = [
        (NotFound, lambda: nets.get(a.id, owner="B")),
        (NotFound, lambda: nets.update(a.id, "x", tiny(3), None, owner="B")),
        (NotFound, lambda: nets.delete(a.id, owner="B")),
        (NotFound, lambda: nets.versions(a.id, owner="B")),
        (ReadOnly, lambda: nets.update(demo.id, "x", tiny(3), None, owner="A")),
        (ReadOnly, lambda: nets.delete(demo.id, owner="B")),
    ]
    for error, call in refused:
        with pytest.raises(error):
            call()
    assert nets.get(demo.id, owner="B").read_only is True
    assert nets.update(a.id, "a2", tiny(4), None, owner="A", if_version=1).version == 2
    # The same store in the local mode: one user, everything visible and writable.
    local = Networks(store)
    assert [n["id"] for n in local.list()] == [demo.id, a.id, b.id]
    assert local.update(demo.id, "edited", tiny(5), "xor").version == 2


def test_share_tokens_read_one_network_until_revoked(store):
    nets = Networks(store, shared=True)
    a = nets.create("a", tiny(1), None, owner="A")
    other = nets.create("other", tiny(2), None, owner="A")
    token = nets.share(a.id, owner="A")
    assert nets.share(a.id, owner="A") == token
    assert nets.share(other.id, owner="A") != token
    with pytest.raises(NotFound):
        nets.share(a.id, owner="B")
    seen = nets.by_token(token)
    assert (seen.id, seen.read_only) == (a.id, True)
    assert seen.network.weights[1].tobytes() == tiny(1).weights[1].tobytes()
    nets.unshare(a.id, owner="A")
    with pytest.raises(NotFound):
        nets.by_token(token)
    assert nets.by_token(nets.share(other.id, owner="A")).id == other.id


@pytest.mark.parametrize("old", [1, 2])
def test_an_older_store_migrates_to_3_and_keeps_its_networks(backend, target, raw, old):
    """1 -> 3 (training tables, then owners) and 2 -> 3 (owners only): every network and
    its training record stay, owned by nobody (shared)."""
    if backend == "sqlite":
        from app.store.db import MIGRATIONS

        target.parent.mkdir(parents=True)
    else:
        from app.store.postgres import MIGRATIONS
    for migration in MIGRATIONS[:old]:  # the store as that release left it
        for statement in migration.split(";"):
            if statement.strip():
                raw.rows(statement)
    if backend == "sqlite":
        raw.rows(f"PRAGMA user_version = {old}")
    else:
        raw.rows("CREATE TABLE explorer_schema (version INTEGER NOT NULL)")
        raw.rows("INSERT INTO explorer_schema VALUES (?)", (old,))
    raw.rows(
        "INSERT INTO networks (name, dataset, version, created_at, updated_at) "
        "VALUES ('old', 'xor', 1, 't', 't')"
    )
    [(nid,)] = raw.rows("SELECT id FROM networks")
    arch, blob = _pack(tiny(7))
    raw.rows(
        "INSERT INTO network_versions VALUES (?, 1, 'old', 'xor', ?, ?, 'create', 't')",
        (nid, arch, blob),
    )
    if old == 2:  # release 2 recorded training: 5 steps behind version 1, one chart point
        raw.rows("INSERT INTO version_training VALUES (?, 1, 5, 0.25, 0.5, NULL)", (nid,))
        raw.rows(
            "INSERT INTO training_points VALUES (?, 5, 1, 0.25, 0.5, NULL, NULL, '[1.0, 2.0]')",
            (nid,),
        )
    store = open_store(target)
    try:
        assert store.created is False
        assert raw.schema_version() == 3
        nets = Networks(store, shared=True)
        got = nets.get(nid, owner="anyone")
        assert got.read_only is True  # owned by nobody: shared
        assert got.network.weights[2].tobytes() == tiny(7).weights[2].tobytes()
        record = nets.training(nid, owner="anyone")
        if old == 2:
            assert (record["steps"], record["points"]["loss"]) == (5, [0.25])
            assert record["points"]["grad_norms"] == [[1.0, 2.0]]
        else:
            assert (record["steps"], record["points"]["loss"]) == (0, [])
        assert nets.versions(nid, owner="anyone")[0]["steps"] == (5 if old == 2 else None)
        # Schema 3 works: an owner's network beside the old one, a share link for it.
        mine = nets.create("mine", tiny(8), None, owner="A")
        assert nets.by_token(nets.share(mine.id, owner="A")).id == mine.id
        assert [n["id"] for n in nets.list("A")] == [nid, mine.id]
    finally:
        store.close()
