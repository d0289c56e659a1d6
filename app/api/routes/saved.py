"""Compute and training on a saved network: the stateless bodies minus `network`."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api import schemas as s
from app.api.deps import NetworkId, NetworksDep, OwnerDep, SettingsDep, training_pool
from app.api.json_body import JsonRoute, json_answer
from app.api.store_schemas import TrainingOut, TrainRequest, TrainResponse
from app.services import compute, history, training

router = APIRouter(prefix="/networks/{nid:int}", tags=["saved networks"], route_class=JsonRoute)


async def _run(report, nid: int, body, networks, settings, owner) -> Response:
    """One hop to a thread for the store read, the work and the JSON: a plain `def` route
    took two (FastAPI checks a sync route's answer against its model in the pool as well).
    The answer is written as the stateless routes write theirs (json_answer)."""
    return await run_in_threadpool(_answer, report, nid, body, networks, settings, owner)


def _answer(report, nid: int, body, networks, settings, owner) -> Response:
    return json_answer(report(networks.get(nid, owner=owner).network, body, settings))


@router.post("/forward", response_model=s.ForwardResponse, response_model_exclude_unset=True)
async def forward(
    nid: NetworkId,
    body: s.ForwardBody,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
):
    """As `POST /api/forward`, on the saved network's current version."""
    return await _run(compute.forward, nid, body, networks, settings, owner)


@router.post("/backprop", response_model=s.BackpropResponse, response_model_exclude_unset=True)
async def backprop(
    nid: NetworkId,
    body: s.BackpropBody,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
):
    """As `POST /api/backprop`, on the saved network's current version."""
    return await _run(compute.backprop, nid, body, networks, settings, owner)


@router.post("/paths", response_model=s.PathsResponse, response_model_exclude_unset=True)
async def paths(
    nid: NetworkId, body: s.PathsBody, networks: NetworksDep, settings: SettingsDep, owner: OwnerDep
):
    """As `POST /api/paths`, on the saved network's current version."""
    return await _run(compute.paths, nid, body, networks, settings, owner)


@router.post("/nudge", response_model=s.NudgeResponse, response_model_exclude_unset=True)
async def nudge(
    nid: NetworkId, body: s.NudgeBody, networks: NetworksDep, settings: SettingsDep, owner: OwnerDep
):
    """As `POST /api/nudge`, on the saved network's current version (nothing is saved)."""
    return await _run(compute.nudge_report, nid, body, networks, settings, owner)


@router.post("/gradcheck", response_model=s.GradcheckResponse, response_model_exclude_unset=True)
async def gradcheck(
    nid: NetworkId,
    body: s.GradcheckBody,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
):
    """As `POST /api/gradcheck`, on the saved network's current version."""
    return await _run(compute.gradcheck_report, nid, body, networks, settings, owner)


@router.post("/train", response_model=TrainResponse, response_model_exclude_unset=True)
async def train(
    nid: NetworkId,
    body: TrainRequest,
    request: Request,
    networks: NetworksDep,
    settings: SettingsDep,
    owner: OwnerDep,
):
    """Mini-batch SGD with the batch-averaged backprop gradient; the result is saved as
    one new version. A diverging run saves nothing and answers 422. The work waits for
    its owner's turn in this worker's training pool (app/services/pool.py)."""
    pool = training_pool(request.app)
    steps = training.planned_steps(body)
    return await pool.run(owner, steps, _train, networks, nid, body, settings, owner)


def _train(networks, nid, body, settings, owner) -> Response:
    # Checked against the response model and encoded in the pool's thread: 784-30-10's
    # weights are ~0.5 MB of JSON, too long to encode on the event loop.
    out = TrainResponse.model_validate(training.train(networks, nid, body, settings, owner))
    return Response(out.model_dump_json(exclude_unset=True), media_type="application/json")


@router.get("/training", response_model=TrainingOut)
def training_record(nid: NetworkId, networks: NetworksDep, owner: OwnerDep):
    """The figures of the current weights' training, step by step (kept with the network,
    thinned beyond a few thousand steps), whether it has stalled, and a learning rate that
    trains this kind of network."""
    return history.training_record(networks, nid, owner)
