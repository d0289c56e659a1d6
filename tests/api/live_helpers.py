"""Reading the live stream's binary frames in tests (the page reads them in static/js/train)."""

from __future__ import annotations

import json

import numpy as np


def decode(frame: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    n = int.from_bytes(frame[:4], "little")
    header = json.loads(frame[4 : 4 + n])
    body = frame[4 + n :]
    arrays = {}
    for a in header["arrays"]:
        dtype = np.dtype("<" + a["dtype"])
        count = int(np.prod(a["shape"])) if a["shape"] else 1
        arrays[a["name"]] = np.frombuffer(body, dtype, count, a["offset"]).reshape(a["shape"])
    return header, arrays


def network_of(header_arrays, spec: dict) -> dict:
    """The frame's weights as a network JSON with the spec's architecture."""
    _, arrays = header_arrays
    L = len(spec["sizes"]) - 1
    return {
        "sizes": spec["sizes"],
        "activations": spec["activations"],
        "cost": spec["cost"],
        "weights": [arrays[f"W{l}"].astype(float).tolist() for l in range(1, L + 1)],
        "biases": [arrays[f"b{l}"].astype(float).tolist() for l in range(1, L + 1)],
    }


def receive(ws) -> tuple[str, object]:
    """('frame', (header, arrays)) or (message type, message)."""
    m = ws.receive()
    if m.get("bytes") is not None:
        return "frame", decode(m["bytes"])
    msg = json.loads(m["text"])
    return msg["type"], msg
