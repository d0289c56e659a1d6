"""Stateless compute: the network travels in the body. Handlers are plain `def`
so FastAPI runs the NumPy work in its thread pool, off the event loop."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api import schemas as s
from app.api.deps import SettingsDep
from app.api.json_body import JsonRoute
from app.services import compute

router = APIRouter(tags=["compute"], route_class=JsonRoute)


def _run(report, body, settings) -> JSONResponse:
    net = compute.build_network(body.network.model_dump(), settings)
    return JSONResponse(report(net, body, settings))


@router.post("/forward", response_model=s.ForwardResponse)
def forward(body: s.ForwardRequest, settings: SettingsDep):
    """Push x through the network: z^l and a^l for every layer, and C when y is given."""
    return _run(compute.forward, body, settings)


@router.post("/backprop", response_model=s.BackpropResponse)
def backprop(body: s.BackpropRequest, settings: SettingsDep):
    """One forward and one backward pass: z, a, sigma'(z), dC/da, delta (BP1, BP2) and
    the gradients dC/db (BP3) and dC/dw (BP4) of every layer."""
    return _run(compute.backprop, body, settings)


@router.post("/paths", response_model=s.PathsResponse)
def paths(body: s.PathsRequest, settings: SettingsDep):
    """Nielsen's sum over paths: every path from the target to the cost, its rate factors
    and their product; the sum over all paths equals backprop's gradient."""
    return _run(compute.paths, body, settings)


@router.post("/nudge", response_model=s.NudgeResponse)
def nudge(body: s.NudgeRequest, settings: SettingsDep):
    """Change one weight or bias by delta: the actual change of C and of every activation
    against the first-order estimate dC/d(target) * delta."""
    return _run(compute.nudge_report, body, settings)


@router.post("/gradcheck", response_model=s.GradcheckResponse)
def gradcheck(body: s.GradcheckRequest, settings: SettingsDep):
    """Central differences over every parameter (2P forward passes) against backprop
    (one forward and one backward pass), with both timings."""
    return _run(compute.gradcheck_report, body, settings)
