"""Messages of the live-training stream (`WS /api/networks/{id}/live`), page to server.

The first message is a `start`; after it the page sends `drawn` once it has drawn a frame
(the server sends the next frame only then: frames never pile up), `sample` and `params`
when the learner changes them, and `pause`. The server answers with binary frames (see
app/services/live.py) and JSON messages: `started`, `paused`, `error`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .schemas import Samples, Strict
from .store_schemas import SamplesIn


class SampleIn(Strict):
    x: Samples = Field(..., description="the input in view, one sample")
    y: Samples = Field(..., description="its target")


class GridIn(Strict):
    n: int = Field(40, ge=2, le=100, description="grid points per side")
    extent: list[float] = Field(
        ..., min_length=4, max_length=4, description="x0, x1, y0, y1 of the plane drawn"
    )


class LiveStart(Strict):
    type: Literal["start"]
    dataset: str | None = Field(None, description="a dataset name (see /api/datasets)")
    dataset_seed: int = Field(0, ge=0, le=2**32 - 1, description="for generated datasets")
    samples: SamplesIn | None = Field(None, description="or your own samples")
    learning_rate: float = Field(..., gt=0, le=1000, description="eta in w -> w - eta dC/dw")
    batch_size: int = Field(10, ge=1, le=10_000, description="samples per mini-batch")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="shuffling of the mini-batches")
    if_version: int | None = Field(None, ge=1, description="train only if still this version")
    sample: SampleIn | None = Field(None, description="the sample whose pass each frame carries")
    grid: GridIn | None = Field(None, description="the decision boundary's grid, if drawn")
    fps: int = Field(60, ge=1, le=60, description="frames per second at most")


class Drawn(Strict):
    type: Literal["drawn"]


class Pause(Strict):
    type: Literal["pause"]


class SampleChange(SampleIn):
    type: Literal["sample"]


class Params(Strict):
    type: Literal["params"]
    learning_rate: float | None = Field(None, gt=0, le=1000)
    batch_size: int | None = Field(None, ge=1, le=10_000)


LiveMessage = Annotated[Drawn | Pause | SampleChange | Params, Field(discriminator="type")]
