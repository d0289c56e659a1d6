"""Training without the store: a copy of the body's network is trained and returned."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import OwnerDep, SettingsDep, training_pool
from app.api.json_body import JsonRoute
from app.api.train_schemas import TrainStatelessRequest, TrainStatelessResponse
from app.services import compute, training

router = APIRouter(tags=["compute"], route_class=JsonRoute)


@router.post("/train", response_model=TrainStatelessResponse, response_model_exclude_unset=True)
async def train(
    body: TrainStatelessRequest, request: Request, settings: SettingsDep, owner: OwnerDep
):
    """Mini-batch SGD on a copy of the network, as `POST /api/networks/{id}/train` does,
    but nothing is saved: the answer holds the loss per step, the per-layer gradient
    norms and the trained network. The lessons compare costs side by side with it. The
    work takes its turn in this worker's training pool (app/services/pool.py)."""
    pool = training_pool(request.app)
    return await pool.run(owner, training.planned_steps(body), _train, body, settings)


def _train(body, settings) -> Response:
    # Checked and encoded in the pool's thread, as the saved network's train answer.
    _, out = training.fit(compute.build_network(body.network, settings), body, settings)
    out = training.thinned_answer(out, settings.train_answer_points)
    answer = TrainStatelessResponse.model_validate({"version": None, **out})
    return Response(answer.model_dump_json(exclude_unset=True), media_type="application/json")
