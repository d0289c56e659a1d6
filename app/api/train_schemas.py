"""Stateless training: the network in the body, the trained copy in the answer."""

from __future__ import annotations

from pydantic import Field

from .schemas import NetworkIn
from .store_schemas import TrainRequest, TrainResponse


class TrainStatelessRequest(TrainRequest):
    network: NetworkIn = Field(..., description="the network to train a copy of")
    if_version: None = Field(None, description="not used: nothing is saved")


class TrainStatelessResponse(TrainResponse):
    version: None = Field(None, description="always null: nothing is saved")  # type: ignore[assignment]
