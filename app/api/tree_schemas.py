"""The dependency tree's request and answer (app/services/tree.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .schemas import NetworkIn, Noted, Num, PathTarget, WithTargets


class TreeBody(WithTargets):
    target: PathTarget = Field(..., description="the root: a weight, bias or activation")
    max_branches: int = Field(
        4, ge=1, le=16, description="neurons drawn per later layer; the rest are folded"
    )


class TreeRequest(TreeBody):
    network: NetworkIn = Field(..., description="the network, as JSON")


class TreeNode(BaseModel):
    id: str = Field(..., description="unique within the answer, e.g. z2_0")
    kind: Literal["weight", "bias", "z", "a", "cost"] = Field(..., description="what it is")
    layer: int | None = Field(None, description="l (null for the cost)")
    j: int | None = Field(None, description="neuron in layer l (null for the cost)")
    k: int | None = Field(None, description="for a weight: neuron in layer l-1")
    value: Num = Field(..., description="its value for this sample (C for the cost)")
    grad: Num = Field(..., description="dC/d(node): the sum over its branches")
    share: Num = Field(
        ...,
        description="d(node)/d(target) * dC/d(node); one later layer's shares sum to the gradient",
    )


class TreeEdge(BaseModel):
    source: str = Field(..., description="node id it leaves")
    target: str = Field(..., description="node id it enters")
    local: Num = Field(..., description="d(target node)/d(source node) at this sample")


class TreeFold(BaseModel):
    layer: int = Field(..., description="the layer folded")
    kind: Literal["z", "a"] = Field(..., description="which row of that layer")
    shown: int = Field(..., description="neurons drawn")
    hidden: int = Field(..., description="neurons folded away")
    hidden_share: Num = Field(..., description="the part of the gradient the hidden ones carry")
    hidden_edges: int = Field(..., description="edges into this row not drawn")


class TreeResponse(Noted):
    nodes: list[TreeNode] = Field(..., description="target first, the cost last")
    edges: list[TreeEdge] = Field(..., description="each with its local derivative")
    folded: list[TreeFold] = Field(..., description="layers wider than max_branches")
    gradient: Num = Field(..., description="dC/d(target), as /api/backprop gives it")
    cost: Num = Field(..., description="C for this sample")
    paths: int = Field(..., description="how many paths the full tree has, as /api/paths counts")
