"""Lessons are data: one JSON file per lesson in app/lessons/data/, checked at start-up.

A lesson names its network(s), its samples and its steps. A step's text holds
placeholders like {dC_dw}; its `values` say where each comes from, as a dotted path
into a live API answer the page fetches (see static/js/lessons/values.js):

    backprop.layers.3.grad_w.0.0   /api/backprop at the page's current input
    each.1.cost                    /api/backprop of the lesson's sample 1 alone
    batch.layers.3.grad_w.0.0      /api/backprop of all the lesson's samples at once
    paths.count                    /api/paths for the step's selection
    nudge.delta_cost               /api/nudge of the selection by the step's delta
    gradcheck.forward_passes.numerical
    tree.nodes.0.value             /api/tree for the selection
    train.<network>.loss.-1        /api/train of that network (the step's train action)
    norms.<l>                      |dC/dW^l| from the backprop answer
    net.weights.2.0.0              the network being shown
    input.x.0                      the page's current input and target

Adding a lesson is adding a file; `load_lessons` refuses a file that does not fit.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from app.api.lesson_schemas import Lesson
from app.config import Settings
from app.nn.network import SpecError

DATA = Path(__file__).parent / "data"


class LessonError(ValueError):
    """A lesson file that does not fit the model: the server refuses to start."""


def load_lessons(folder: Path = DATA, settings: Settings | None = None) -> dict[str, Lesson]:
    """Every *.json in `folder`, checked, by id in file-name order. Networks are checked
    against the default caps: a server run with smaller ones still starts, and refuses a
    lesson network over its caps when the page asks, as it would any other."""
    from app.services.compute import build_network  # the engine's own checks

    settings = settings or Settings()
    out: dict[str, Lesson] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            lesson = Lesson.model_validate(json.loads(path.read_text(encoding="utf-8")))
            for name, net in lesson.networks.items():
                build_network(net, settings, f"networks.{name}")
        except (ValidationError, SpecError, json.JSONDecodeError) as e:
            raise LessonError(f"{path.name}: {e}") from e
        if lesson.id in out:
            raise LessonError(f"{path.name}: id {lesson.id!r} is used twice")
        out[lesson.id] = lesson
    return out
