"""Bytes the store writes for one minute of play on 784-30-10, before and after bounding.

Before: the page's play loop saved one training version per train request, about 4.2 a
second (README, "Training in the page"): 252 versions a minute. After: the live stream
writes a checkpoint every 3 s and on pause (20 a minute), and older checkpoints are thinned.
Each version of 784-30-10 holds 23,860 float64 parameters (190,880 bytes).

The writes are made through the real store at those counts (not timed: the count per
minute is the policy, the bytes are measured). SQLite: bytes passed to write() by this
process (/proc/self/io wchar: the WAL, and the main file when the WAL is checkpointed).
PostgreSQL: WAL bytes the server generated (the WAL position moved), on a throwaway server.

    .venv/bin/python bench/bench_writes.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.nn.network import Network
from app.store import open_store
from app.store.networks import TRAIN, Networks
from app.testing_postgres import postgres_server

BEFORE_PER_MINUTE = 252  # 4.2 train requests a second, one version each
AFTER_PER_MINUTE = 20  # one checkpoint every 3 s
SIZES = [784, 30, 10]


def wchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise RuntimeError("no wchar in /proc/self/io")


def play(networks: Networks, versions: int) -> None:
    net = Network.initialised(SIZES, ["sigmoid", "sigmoid"], "quadratic", "xavier", 0)
    nid = networks.create("bench", net, None).id
    for i in range(versions):
        net.weights[1][0, 0] += 1e-3 * (i + 1)  # a different network each time
        networks.update(nid, "bench", net, None, source=TRAIN)


def sqlite_bytes(versions: int, keep: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "w.sqlite3")
        networks = Networks(store, keep_training=keep)
        before = wchar()
        play(networks, versions)
        spent = wchar() - before
        store.close()
        return spent


def postgres_bytes(server, versions: int, keep: int) -> int:
    import psycopg

    url = server.create_database("bench")
    store = open_store(url)
    networks = Networks(store, keep_training=keep)

    def wal() -> int:
        with psycopg.connect(url, autocommit=True) as c:
            lsn = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"
            return int(c.execute(lsn).fetchone()[0])

    before = wal()
    play(networks, versions)
    spent = wal() - before
    store.close()
    server.drop_database(url)
    return spent


def main() -> None:
    rows = []
    sq_before = sqlite_bytes(BEFORE_PER_MINUTE, 200)
    sq_after = sqlite_bytes(AFTER_PER_MINUTE, 20)
    with postgres_server() as pg:
        pg_before = postgres_bytes(pg, BEFORE_PER_MINUTE, 200)
        pg_after = postgres_bytes(pg, AFTER_PER_MINUTE, 20)
    rows.append(("SQLite (WAL + checkpoints)", sq_before, sq_after))
    rows.append(("PostgreSQL (WAL)", pg_before, pg_after))
    print()
    print("| store | before: 252 versions/min | after: 20 checkpoints/min | ratio |")
    print("|---|---:|---:|---:|")
    for name, b, a in rows:
        print(f"| {name} | {b / 1e6:.1f} MB | {a / 1e6:.1f} MB | {b / a:.0f}x |")


if __name__ == "__main__":
    main()
