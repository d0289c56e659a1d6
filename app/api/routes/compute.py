"""Stateless compute: the network travels in the body. Handlers are plain `def`
so FastAPI runs the NumPy work in its thread pool, off the event loop.

Answers go through their response models; fields a report leaves out (z of layer 0,
the cost of a forward pass without y) stay out (`response_model_exclude_unset`)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import schemas as s
from app.api.deps import SettingsDep
from app.api.store_schemas import NetworkJson
from app.services import compute

router = APIRouter(tags=["compute"])


def _run(report, body, settings) -> dict:
    return report(compute.build_network(body.network, settings), body, settings)


@router.post("/forward", response_model=s.ForwardResponse, response_model_exclude_unset=True)
def forward(body: s.ForwardRequest, settings: SettingsDep):
    """Push x through the network: z^l and a^l for every layer, and C when y is given."""
    return _run(compute.forward, body, settings)


@router.post("/backprop", response_model=s.BackpropResponse, response_model_exclude_unset=True)
def backprop(body: s.BackpropRequest, settings: SettingsDep):
    """One forward and one backward pass: z, a, sigma'(z), dC/da, delta (BP1, BP2) and
    the gradients dC/db (BP3) and dC/dw (BP4) of every layer."""
    return _run(compute.backprop, body, settings)


@router.post("/paths", response_model=s.PathsResponse, response_model_exclude_unset=True)
def paths(body: s.PathsRequest, settings: SettingsDep):
    """Nielsen's sum over paths: every path from the target to the cost, its rate factors
    and their product; the sum over all paths equals backprop's gradient."""
    return _run(compute.paths, body, settings)


@router.post("/nudge", response_model=s.NudgeResponse, response_model_exclude_unset=True)
def nudge(body: s.NudgeRequest, settings: SettingsDep):
    """Change one weight or bias by delta: the actual change of C and of every activation
    against the first-order estimate dC/d(target) * delta."""
    return _run(compute.nudge_report, body, settings)


@router.post("/gradcheck", response_model=s.GradcheckResponse, response_model_exclude_unset=True)
def gradcheck(body: s.GradcheckRequest, settings: SettingsDep):
    """Central differences over every parameter (2P forward passes) against backprop
    (one forward and one backward pass), with both timings."""
    return _run(compute.gradcheck_report, body, settings)


@router.post("/initialise", response_model=NetworkJson)
def initialise(body: s.InitRequest, settings: SettingsDep):
    """Fresh weights drawn by the server: the network with `init` (scheme and seed) comes
    back with the weights and biases it stands for, exactly as a save would store them.
    Nothing is saved."""
    return compute.build_network(body.network, settings).to_dict()
