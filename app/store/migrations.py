"""The migrations both backends run as they are (db.py for SQLite, postgres.py): after
version 1, whose types differ, every statement is spelt the same in both dialects."""

SHARED_MIGRATIONS = [
    # 2: training's own record (see networks.py).
    """
    CREATE TABLE version_training (  -- the weights' training so far, one row per version
        network_id BIGINT NOT NULL,
        version BIGINT NOT NULL,
        steps BIGINT NOT NULL,        -- SGD steps behind these weights since they were drawn
        loss DOUBLE PRECISION,        -- after the last of them, on the evaluation samples
        accuracy DOUBLE PRECISION,
        held_out_accuracy DOUBLE PRECISION,
        PRIMARY KEY (network_id, version),
        FOREIGN KEY (network_id, version) REFERENCES network_versions(network_id, version)
            ON DELETE CASCADE
    );
    CREATE TABLE training_points (  -- the charts of the head's run, one row per kept step
        network_id BIGINT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        step BIGINT NOT NULL,
        version BIGINT NOT NULL,      -- the version whose training request took this step
        loss DOUBLE PRECISION NOT NULL,
        accuracy DOUBLE PRECISION,
        held_out_accuracy DOUBLE PRECISION,
        saturated DOUBLE PRECISION,   -- share of output activations within 1e-3 of a bound
        grad_norms TEXT NOT NULL,     -- JSON: |dC/dW^l|, l = 1..L
        PRIMARY KEY (network_id, step)
    );
    """,
    # 3: owners and share links (shared mode). NULL owner: a demo, a lesson, or a network
    # saved in the local mode, which every client of a shared server may read.
    """
    ALTER TABLE networks ADD COLUMN owner TEXT;
    ALTER TABLE networks ADD COLUMN share_token TEXT;
    CREATE INDEX networks_owner ON networks (owner);
    CREATE UNIQUE INDEX networks_share_token ON networks (share_token);
    """,
]
