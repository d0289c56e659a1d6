"""Training that has stopped learning, named in words with the fix most likely to help.

Read from the newest stored points of the head's run (training_log), so a stall that built
up over several requests, or before a reload, is still seen. Three kinds, checked in order:

- vanishing: every layer's |dC/dW^l| is below VANISHED for the last few steps, so SGD no
  longer moves any weight;
- saturated: most output activations sit at a bound of their range (sigma'(z) ~ 0) for a
  whole window of steps;
- chance: the loss sits at the chance level, the cost of always answering the class shares
  (what a network that has learnt nothing about x can do), and is not falling.
"""

from __future__ import annotations

import numpy as np

from app.nn.network import Network

STALL_WINDOW = 200  # the newest steps read from the record
SATURATED_STEPS = 50  # steps most outputs must stay saturated to be named
SOLVED_ACCURACY = 0.99  # every recent accuracy at least this: learnt, whatever else is true
CHANCE_STEPS = 200  # steps the loss must sit at chance level (a start near it is normal)
VANISHED = 1e-8  # a layer's gradient norm below this moves nothing a learner could see (10⁻⁸)
VANISHED_STEPS = 5
SATURATED_SHARE = 0.9  # of the output activations, over the whole window
CHANCE_MARGIN = 0.97  # the loss is at least this share of the chance level...
FALLING = 0.01  # ...and fell by less than this share over the window


def _xlogx(p: np.ndarray) -> np.ndarray:
    return np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)


def chance_loss(cost: str, Y: np.ndarray) -> float | None:
    """C when the output is the class shares p for every x (the best answer that ignores x)."""
    p = Y.mean(axis=0)
    if cost == "quadratic":
        return float(0.5 * np.sum(np.mean((p - Y) ** 2, axis=0)))
    if cost == "sse":
        return float(np.sum(np.mean((p - Y) ** 2, axis=0)))
    if cost == "cross_entropy":
        return float(-np.sum(_xlogx(p) + _xlogx(1.0 - p)))
    if cost == "log_likelihood":
        return float(-np.sum(_xlogx(p)))
    return None


def _stall(kind: str, message: str, fix: str) -> dict:
    return {"kind": kind, "message": message, "fix": fix}


def diagnose(points: dict, net: Network, Y: np.ndarray | None) -> dict | None:
    """None, or {kind, message, fix} for the newest points of a run (columns, as stored)."""
    loss = points["loss"]
    n = len(loss)
    if n == 0:
        return None
    # A network that has learnt its data also has saturated outputs and tiny gradients:
    # that is the end of training, not a stall.
    accuracy = [a for a in (points.get("accuracy") or [])[-SATURATED_STEPS:] if a is not None]
    if accuracy and min(accuracy) >= SOLVED_ACCURACY:
        return None
    norms = points["grad_norms"][-VANISHED_STEPS:]
    if n >= VANISHED_STEPS and all(max(g) < VANISHED for g in norms):
        return _stall(
            "vanishing",
            f"The gradients have vanished: for the last {VANISHED_STEPS} steps every layer's "
            "‖∂C/∂Wˡ‖ was below 10⁻⁸, so SGD no longer changes the weights.",
            "Try new weights; if it happens again, the units are saturated: a smaller learning "
            "rate, or cross-entropy with sigmoid outputs, keeps them out of it.",
        )
    out = net.activation_names[-1]
    saturated = (points.get("saturated") or [])[-SATURATED_STEPS:]
    if len(saturated) == SATURATED_STEPS and all(
        s is not None and s > SATURATED_SHARE for s in saturated
    ):
        fix = (
            "Use cross-entropy with sigmoid outputs (its δᴸ = a − y has no σ′(z) to vanish), "
            "or a smaller learning rate, then draw New weights."
            if not (out == "sigmoid" and net.cost_name == "cross_entropy")
            else "Use a smaller learning rate and draw New weights."
        )
        return _stall(
            "saturated",
            f"The outputs are saturated: for the last {SATURATED_STEPS} steps over "
            f"{SATURATED_SHARE:.0%} of the output activations sat at a bound of {out}'s "
            "range, where σ′(z) ≈ 0 and the output error barely moves the weights.",
            fix,
        )
    if n < CHANCE_STEPS:
        return None
    chance = chance_loss(net.cost_name, Y) if Y is not None and Y.shape[1] > 1 else None
    window = loss[-CHANCE_STEPS:]
    if (
        chance is not None
        and min(window) >= CHANCE_MARGIN * chance
        and window[0] - window[-1] < FALLING * window[0]
    ):
        return _stall(
            "chance",
            f"The loss sits at chance level: C has stayed near {chance:.4g}, the cost of "
            "answering the class shares whatever the input, for the last "
            f"{CHANCE_STEPS} steps. The network has learnt nothing about x yet.",
            "Try the suggested learning rate η (measured to train this kind of network), "
            "a smaller one, or New weights; on a hard dataset it may sit here a few thousand "
            "steps before it takes off.",
        )
    return None
