"""Lesson files and the lessons API: the one model both are checked against
(the source paths are described in app/lessons/__init__.py)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from .schemas import NetworkIn, Strict

SOURCES = (
    "backprop",
    "each",
    "batch",
    "paths",
    "nudge",
    "gradcheck",
    "tree",
    "train",
    "norms",
    "net",
    "input",
)
SOURCE = re.compile(rf"^({'|'.join(SOURCES)})(\.(-?\d+|[A-Za-z_][A-Za-z0-9_]*))+$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TEX = re.compile(r"\$[^$]*\$")
SELECTION = r"^(n:\d+:\d+|b:\d+:\d+|w:\d+:\d+:\d+)$"

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Placeholder = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=40)]
Notation = Literal["3b1b", "nielsen", "deeplizard"]
Tab = Literal["inspector", "paths", "nudge", "batch", "tree"]


class Sample(Strict):
    x: list[float] = Field(..., min_length=1, description="the input")
    y: list[float] = Field(..., min_length=1, description="the desired output")

    def fits(self, sizes: list[int]) -> bool:
        return len(self.x) == sizes[0] and len(self.y) == sizes[-1]


class Nudge(Strict):
    kind: Literal["nudge"] = Field("nudge", description="nudge the selection, as the Nudge tab")
    delta: float = Field(..., ge=-10, le=10, description="the change made to the selection")


class Train(Strict):
    kind: Literal["train"] = Field("train", description="train copies through /api/train")
    networks: list[Name] = Field(..., min_length=1, max_length=3, description="run each")
    steps: int = Field(..., ge=1, le=2000, description="gradient steps (on all the samples)")
    learning_rate: float = Field(..., gt=0, le=100, description="eta, the same for each")


class Gradcheck(Strict):
    kind: Literal["gradcheck"] = Field("gradcheck", description="run /api/gradcheck")


Action = Annotated[Nudge | Train | Gradcheck, Field(discriminator="kind")]


class Step(Strict):
    title: str = Field(..., min_length=1, max_length=120, description="the step's heading")
    text: str = Field(
        ...,
        min_length=1,
        max_length=3000,
        description="paragraphs split by blank lines; $TeX$ inline; {name} a live value",
    )
    equation: str | None = Field(
        None, max_length=1500, description="display TeX; {name} is a live value"
    )
    network: Name = Field("main", description="which of the lesson's networks to show")
    sample: int = Field(0, ge=0, description="which of the lesson's samples is the input")
    select: str | None = Field(None, pattern=SELECTION, description="n:l:j, b:l:j or w:l:j:k")
    tab: Tab = Field("inspector", description="the right-hand panel to open")
    highlight: Literal["top_path"] | None = Field(
        None, description="top_path: draw the largest path of the selection on the diagram"
    )
    action: Action | None = Field(None, description="what the step does on arrival")
    stepper: int | None = Field(
        None, ge=0, description="the step-by-step bar's position to show (0 = the input)"
    )
    figure: Literal["curves", "bars"] | None = Field(
        None, description="curves: the train action's costs; bars: |dC/dW^l| per layer"
    )
    values: dict[Placeholder, str] = Field(
        default_factory=dict, description="placeholder -> source path (see module doc)"
    )
    digits: int = Field(4, ge=2, le=8, description="significant digits of the live values")

    @field_validator("values")
    @classmethod
    def _sources(cls, values: dict[str, str]) -> dict[str, str]:
        for name, src in values.items():
            if not SOURCE.match(src):
                raise ValueError(f"{name}: {src!r} is not a known source path")
        return values

    @model_validator(mode="after")
    def _placeholders(self) -> Step:
        # In TeX, {j} is a group, not a placeholder: only names in `values` are filled
        # there, so only the prose outside $...$ is checked for names with no value.
        prose = TEX.sub("", self.text)
        if missing := set(PLACEHOLDER.findall(prose)) - set(self.values):
            raise ValueError(f"placeholders without a value: {sorted(missing)}")
        used = set(PLACEHOLDER.findall(self.text + (self.equation or "")))
        if unused := set(self.values) - used:
            raise ValueError(f"values never shown: {sorted(unused)}")
        needs_sel = {"paths", "nudge", "tree"} & {v.split(".")[0] for v in self.values.values()}
        if needs_sel and self.select is None:
            raise ValueError(f"{sorted(needs_sel)} values need a selection")
        if any(v.startswith("nudge.") for v in self.values.values()) and not isinstance(
            self.action, Nudge
        ):
            raise ValueError("nudge values need a nudge action")
        if self.figure == "curves" and not isinstance(self.action, Train):
            raise ValueError("the curves figure needs a train action")
        return self


class LessonSummary(BaseModel):
    id: str = Field(..., description="used in ?lesson=<id>")
    title: str = Field(..., description="a name for people")
    summary: str = Field(..., description="one or two sentences on what it shows")
    seed: str = Field(..., description="the text it follows")
    steps: int = Field(..., description="how many steps it has")
    notation: Notation = Field(..., description="whose symbols it writes")


class Lesson(Strict):
    id: str = Field(..., pattern=r"^[a-z][a-z0-9-]{0,39}$", description="used in the URL")
    title: str = Field(..., min_length=1, max_length=80, description="a name for people")
    summary: str = Field(..., min_length=1, max_length=300, description="what it shows")
    seed: str = Field(..., min_length=1, max_length=200, description="the text it follows")
    notation: Notation = Field(..., description="the symbols the notation strip shows")
    networks: dict[Name, NetworkIn] = Field(..., description="'main' and any variants")
    samples: list[Sample] = Field(
        ...,
        min_length=1,
        max_length=16,
        description="each network uses those that fit it (each.i and batch count only those)",
    )
    steps: list[Step] = Field(..., min_length=1, max_length=30, description="in order")

    @model_validator(mode="after")
    def _fits(self) -> Lesson:
        if "main" not in self.networks:
            raise ValueError("networks needs a 'main'")
        for i, step in enumerate(self.steps):
            net = self.networks.get(step.network)
            if net is None:
                raise ValueError(f"steps[{i}].network: no network {step.network!r}")
            if step.sample >= len(self.samples):
                raise ValueError(f"steps[{i}].sample: there are {len(self.samples)} samples")
            positions = 2 * (len(net.sizes) - 1) + 2  # input, L forward, BP1, L-1 BP2, gradient
            if step.stepper is not None and step.stepper >= positions:
                raise ValueError(f"steps[{i}].stepper: the stepper has {positions} positions")
            if step.select and not _fits(step.select, net.sizes):
                raise ValueError(f"steps[{i}].select: {step.select} is not in {net.sizes}")
            if isinstance(step.action, Train):
                for name in step.action.networks:
                    if name not in self.networks:
                        raise ValueError(f"steps[{i}].action.networks: no network {name!r}")
            sample = self.samples[step.sample]
            if not sample.fits(net.sizes):
                raise ValueError(
                    f"steps[{i}].sample: sample {step.sample} does not fit {net.sizes}"
                )
        for name, net in self.networks.items():
            if not any(s.fits(net.sizes) for s in self.samples):
                raise ValueError(f"no sample fits network {name!r} ({net.sizes})")
        return self

    def summarise(self) -> LessonSummary:
        return LessonSummary(
            id=self.id,
            title=self.title,
            summary=self.summary,
            seed=self.seed,
            steps=len(self.steps),
            notation=self.notation,
        )


def _fits(sel: str, sizes: list[int]) -> bool:
    kind, *nums = sel.split(":")
    layer, j = int(nums[0]), int(nums[1])
    L = len(sizes) - 1
    if layer > L or j >= sizes[layer] or (kind != "n" and layer < 1):
        return False
    return kind != "w" or int(nums[2]) < sizes[layer - 1]
