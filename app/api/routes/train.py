"""Training without the store: a copy of the body's network is trained and returned."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import SettingsDep
from app.api.json_body import JsonRoute
from app.api.train_schemas import TrainStatelessRequest, TrainStatelessResponse
from app.services import compute, training

router = APIRouter(tags=["compute"], route_class=JsonRoute)


@router.post("/train", response_model=TrainStatelessResponse)
def train(body: TrainStatelessRequest, settings: SettingsDep):
    """Mini-batch SGD on a copy of the network, as `POST /api/networks/{id}/train` does,
    but nothing is saved: the answer holds the loss per step, the per-layer gradient
    norms and the trained network. The lessons compare costs side by side with it."""
    net = compute.build_network(body.network.model_dump(), settings)
    _, out = training.fit(net, body, settings)
    return JSONResponse({"version": None, **out})
