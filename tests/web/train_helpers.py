"""What the training browser tests share."""

from __future__ import annotations

IDLE = "#train-dock[data-busy=false][data-playing=false]"


def idle(page) -> None:
    """Wait until the Train dock neither plays nor waits for an answer."""
    page.wait_for_selector(IDLE, timeout=20_000)
