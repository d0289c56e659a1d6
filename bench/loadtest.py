"""`make loadtest`: how many learners one host serves, with locust, on loopback only.

For each store (a SQLite file, and a throwaway PostgreSQL server) it starts
`python -m app --workers 2 --shared`, then runs locust headless for a fixed time at each
number of learners in turn (a share of them playing training) and reports:
the most learners served while every interactive call's p95 stays under 200 ms with no
error, and the SGD steps per second each playing learner got. Bounded: every run has its
time limit, and the whole takes about stores x steps x seconds.

    .venv/bin/python bench/loadtest.py [--seconds 20] [--users 8,32,64,128,256]
        [--stores sqlite,postgresql] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.testing import serve_process  # noqa: E402
from app.testing_postgres import postgres_server  # noqa: E402

P95_LIMIT_MS = 200
PLAY_SHARE = 0.2  # one learner in five plays training
TRAIN_STEPS = 60


def run_locust(url: str, users: int, seconds: int, out: Path) -> dict:
    players = max(1, round(users * PLAY_SHARE))
    env = {**os.environ, "LOAD_PLAYERS": str(players), "LOAD_TRAIN_STEPS": str(TRAIN_STEPS)}
    prefix = out / f"u{users}"
    cmd = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(max(1, users // 2)),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        url,
        "--csv",
        str(prefix),
    ]
    subprocess.run(cmd, env=env, capture_output=True, timeout=seconds + 120, check=False)
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    interactive = [r for r in rows if r["Name"].startswith("interactive: ")]
    train = [r for r in rows if r["Name"] == "train"]
    failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    p95 = max(float(r["95%"]) for r in interactive) if interactive else float("nan")
    trains = int(train[0]["Request Count"]) if train else 0
    return {
        "users": users,
        "players": players,
        "p95_ms": p95,
        "failures": failures,
        "interactive_rps": sum(float(r["Requests/s"]) for r in interactive),
        "steps_per_player": trains * TRAIN_STEPS / seconds / players,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", default="8,32,64,128,256")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    args, _ = parser.parse_known_args()
    users = [int(u) for u in args.users.split(",")]
    table = []
    for store in args.stores.split(","):
        with ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="loadtest-")))
            if store == "sqlite":
                db = str(tmp / "load.sqlite3")
            else:
                db = stack.enter_context(postgres_server()).create_database("load")
            server_args = ["--workers", str(args.workers), "--shared", "--db", db]
            log = tmp / "server.log"
            url = stack.enter_context(serve_process(server_args, log, start_timeout=180))
            assert url.startswith("http://127.0.0.1:"), "loopback only"
            served = 0
            for n in users:
                r = run_locust(url, n, args.seconds, tmp)
                ok = r["failures"] == 0 and r["p95_ms"] < P95_LIMIT_MS
                print(
                    f"{store}: {n} learners ({r['players']} playing): interactive p95 "
                    f"{r['p95_ms']:.0f} ms, {r['interactive_rps']:.1f} req/s, "
                    f"{r['failures']} errors, {r['steps_per_player']:.0f} steps/s per player",
                    flush=True,
                )
                if not ok:
                    break
                served = n
                best = r
            table.append((store, served, best if served else r))
    print()
    print(
        f"| store (--workers {args.workers}) | learners served (p95 < {P95_LIMIT_MS} ms, "
        "0 errors) | interactive p95 there | SGD steps/s per playing learner |"
    )
    print("|---|---:|---:|---:|")
    for store, served, r in table:
        print(f"| {store} | {served} | {r['p95_ms']:.0f} ms | {r['steps_per_player']:.0f} |")


if __name__ == "__main__":
    main()
