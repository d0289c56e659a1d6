"""One Settings object: where the store lives and how much work one request may ask for."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def store_target(value: str | Path) -> Path | str:
    """A postgresql:// URL stays a string (Path would fold its '//'); anything else is a file."""
    if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
        return value
    return Path(value)


def _default_db() -> Path | str:
    return store_target(os.environ.get("EXPLORER_DB", "var/explorer.sqlite3"))


@dataclass(frozen=True)
class Settings:
    db_path: Path | str = field(default_factory=_default_db)  # SQLite file or postgresql:// URL
    # The default folder is created; an explicit --db must name an existing folder (a
    # postgresql:// URL has none).
    create_db_folder: bool = True
    # Caps sized so a laptop answers any accepted request well under a second.
    max_layers: int = 16  # layers 1..L
    max_neurons: int = 1024  # in any one layer
    max_parameters: int = 250_000
    max_batch: int = 2_000  # samples in one request
    max_work: int = 100_000_000  # parameters x samples for one pass
    max_paths_all: int = 100_000  # mode "all" pages through at most this many paths
    max_path_limit: int = 1_000
    max_top_expansions: int = 20_000  # best-first steps for "top" over a batch
    max_top_batch_work: int = 20_000_000  # samples x step factors held for a batch "top"
    max_gradcheck_parameters: int = 30_000  # 2P forward passes
    # 2P forward passes of about P + L x gradcheck_layer_overhead each, per sample: ~a second.
    max_gradcheck_work: int = 1_000_000_000
    # steps x ((3 batch + eval samples) x parameters + L x train_layer_overhead): ~a second.
    max_train_work: int = 2_000_000_000
    # Versions written by training are checkpoints: each network keeps the newest this many
    # (a minute of play writes ~250), and of older ones one per power-of-two age
    # (app/store/networks.thinned). Versions saved any other way are all kept.
    keep_training_versions: int = 200
    # The NumPy calls of one layer cost as much as this many parameter-samples of arithmetic:
    # a training step of a 1-1 net is ~100 µs of calls however small its arrays.
    train_layer_overhead: int = 150_000
    gradcheck_layer_overhead: int = 6_000
    max_train_steps: int = 100_000  # a backstop: max_train_work binds first on every network
    # One train answer's per-step series hold at most this many points (evenly spaced, the
    # last step always among them; `at` names their steps), so a long run answers small.
    # The network's stored record keeps every step (thinned past keep_training_points).
    train_answer_points: int = 1_000
    # HTTP: the largest body accepted (a 250,000-parameter network is ~6 MB of JSON), how
    # long a client may take to send its request head and its body, and who may call.
    max_body_bytes: int = 8_000_000
    header_timeout: int = 10
    body_timeout: int = 30
    # Hosts the server answers to (DNS rebinding); --allow-host / EXPLORER_ALLOWED_HOSTS add.
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")
    # Training's per-step figures (the charts) kept per network; older ones are thinned.
    keep_training_points: int = 4000
    # A hosted server for many learners: owner keys, per-owner networks, shared read-only
    # demos, share links (app/api/owners.py). Off: one local user, no keys.
    shared: bool = False
    # Training in each worker process (app/services/pool.py): at most this many pieces at
    # once, and (when > 0) each owner held to this many SGD steps a second.
    training_threads: int = 1
    train_steps_per_second: int = 0
    training_nice: int = 0  # >0: the pool's threads run this much nicer than request threads
    # A live-training stream pauses itself after this long (a forgotten tab stops training).
    max_live_seconds: int = 600
    # FastAPI's native OpenTelemetry (request spans, metrics, logs), for an operator who sets
    # up providers. Off by default: even with none set up, FastAPI looks for them on every
    # request, ~8 µs (5% of a small backprop).
    telemetry: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """EXPLORER_<FIELD> environment variables override the defaults."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"EXPLORER_{f.name.upper()}")
            if raw is None or f.name in ("db_path", "create_db_folder"):
                continue
            if f.name == "allowed_hosts":
                extra = tuple(h.strip().lower() for h in raw.split(",") if h.strip())
                values[f.name] = cls.allowed_hosts + extra
            elif f.type in (bool, "bool"):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = int(raw)
        values.update(overrides)
        return cls(**values)
