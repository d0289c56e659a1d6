"""What the training browser tests share."""

from __future__ import annotations

# Learns circles in a few hundred steps at η = 0.5 (seed 2: the loss is down 30% by ~90).
CIRCLES = {
    "sizes": [2, 4, 4, 2],
    "activations": ["tanh", "tanh", "softmax"],
    "cost": "log_likelihood",
    "init": {"scheme": "xavier", "seed": 2},
}
IDLE = "#train-dock[data-busy=false][data-playing=false]"


def idle(page) -> None:
    """Wait until the Train dock neither plays nor waits for an answer."""
    page.wait_for_selector(IDLE, timeout=20_000)
