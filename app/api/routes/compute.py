"""Stateless compute: the network travels in the body. NumPy work runs in the thread pool,
off the event loop, except for work so small (a 2-2-2 network, a few samples) that the hop
to a thread would cost more than the work itself.

The services build each answer to its response model, which documents it; fields a report
leaves out (z of layer 0, the cost of a forward pass without y, anything `include` does not
name) stay out (`response_model_exclude_unset`). These routes are usually answered before
FastAPI's routing, by app/api/direct.py, which calls the same endpoints."""

from __future__ import annotations

import itertools

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.api import schemas as s
from app.api.deps import SettingsDep
from app.api.json_body import JsonRoute
from app.api.store_schemas import NetworkJson
from app.services import compute

router = APIRouter(tags=["compute"], route_class=JsonRoute)

# Parameters x samples done on the event loop: ~20 µs of NumPy calls, less than a thread hop.
# Paths and gradcheck do many passes per request, so their bound is far lower.
INLINE_WORK = 2_000


def _work(body) -> int:
    sizes = body.network.sizes
    parameters = sum(b * (a + 1) for a, b in itertools.pairwise(sizes))
    x = body.x
    samples = len(x) if x and isinstance(x[0], list) else 1
    return parameters * samples


def _report(report, body, settings) -> dict:
    return report(compute.build_network(body.network, settings), body, settings)


async def _run(report, body, settings, inline_work: int = INLINE_WORK) -> dict:
    if _work(body) <= inline_work:
        return _report(report, body, settings)
    return await run_in_threadpool(_report, report, body, settings)


@router.post("/forward", response_model=s.ForwardResponse, response_model_exclude_unset=True)
async def forward(body: s.ForwardRequest, settings: SettingsDep):
    """Push x through the network: z^l and a^l for every layer, and C when y is given."""
    return await _run(compute.forward, body, settings)


@router.post("/backprop", response_model=s.BackpropResponse, response_model_exclude_unset=True)
async def backprop(body: s.BackpropRequest, settings: SettingsDep):
    """One forward and one backward pass: z, a, sigma'(z), dC/da, delta (BP1, BP2) and
    the gradients dC/db (BP3) and dC/dw (BP4) of every layer."""
    return await _run(compute.backprop, body, settings)


@router.post("/paths", response_model=s.PathsResponse, response_model_exclude_unset=True)
async def paths(body: s.PathsRequest, settings: SettingsDep):
    """Nielsen's sum over paths: every path from the target to the cost, its rate factors
    and their product; the sum over all paths equals backprop's gradient."""
    return await _run(compute.paths, body, settings, INLINE_WORK // 100)


@router.post("/nudge", response_model=s.NudgeResponse, response_model_exclude_unset=True)
async def nudge(body: s.NudgeRequest, settings: SettingsDep):
    """Change one weight or bias by delta: the actual change of C and of every activation
    against the first-order estimate dC/d(target) * delta."""
    return await _run(compute.nudge_report, body, settings)


@router.post("/gradcheck", response_model=s.GradcheckResponse, response_model_exclude_unset=True)
async def gradcheck(body: s.GradcheckRequest, settings: SettingsDep):
    """Central differences over every parameter (2P forward passes) against backprop
    (one forward and one backward pass), with both timings."""
    return await _run(compute.gradcheck_report, body, settings, INLINE_WORK // 100)


@router.post("/initialise", response_model=NetworkJson)
async def initialise(body: s.InitRequest, settings: SettingsDep):
    """Fresh weights drawn by the server: the network with `init` (scheme and seed) comes
    back with the weights and biases it stands for, exactly as a save would store them.
    Nothing is saved."""
    return await run_in_threadpool(lambda: compute.build_network(body.network, settings).to_dict())
