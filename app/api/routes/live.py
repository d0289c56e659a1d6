"""`WS /api/networks/{id}/live`: training streamed to the page at its display rate.

The server trains in short slices off the event loop; between slices it sends a frame
when the page has drawn the last one and the frame interval has passed, and writes a
checkpoint version every CHECKPOINT_S seconds. Pause stops the loop after the slice under
way (at most SLICE_S plus one frame), writes the checkpoint and answers `paused`.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError

from app.api.deps import training_pool
from app.api.errors import field_name
from app.api.live_schemas import Drawn, LiveMessage, LiveStart, Params, Pause, SampleChange
from app.nn.network import SpecError
from app.services.compute import TooMuchWork
from app.services.live import LiveError, LiveRun
from app.store import Conflict, NotFound
from app.store.networks import ReadOnly

router = APIRouter(tags=["live training"])

SLICE_S = 0.008  # one slice of SGD between two looks at the page's messages
CHECKPOINT_S = 3.0  # a training version at most this often while playing (and on pause)
messages = TypeAdapter(LiveMessage)


def _refusal(code: str, errors: list[dict], **extra) -> dict:
    """The REST error shape (detail, errors, code) as a stream message."""
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return {"type": "error", "code": code, "detail": detail, "errors": errors, **extra}


def _one(code: str, field: str, message: str, **extra) -> dict:
    return _refusal(code, [{"field": field, "message": message}], **extra)


def _invalid(e: ValidationError) -> dict:
    errors = [
        {"field": field_name(err.get("loc", ())), "message": err.get("msg", "invalid")}
        for err in e.errors()
    ]
    return _refusal("validation_error", errors)


def _owner(ws: WebSocket) -> str | None:
    """In shared mode, the owner the connection's cookie or header names (app/api/owners.py)."""
    if not ws.app.state.settings.shared:
        return None
    return ws.scope["state"]["owner"]


async def _open(ws: WebSocket, nid: int) -> LiveRun | None:
    settings, networks = ws.app.state.settings, ws.app.state.networks
    try:
        start = LiveStart.model_validate_json(await ws.receive_text())
        run = await asyncio.to_thread(LiveRun, networks, nid, start, settings, _owner(ws))
        if start.sample is not None:
            run.set_sample(start.sample.x, start.sample.y)
        if start.grid is not None:
            run.set_grid(start.grid.n, start.grid.extent)
        run.fps = start.fps
    except ValidationError as e:
        await ws.send_json(_invalid(e))
        return None
    except NotFound as e:
        await ws.send_json(_one("not_found", "id", str(e)))
        return None
    except ReadOnly as e:
        await ws.send_json(_one("forbidden", "id", str(e)))
        return None
    except Conflict as e:
        message = f"{e}; another change was saved first. Reload it, then retry"
        await ws.send_json(_one("version_conflict", "if_version", message, version=e.current))
        return None
    except SpecError as e:
        code = "too_much_work" if isinstance(e, TooMuchWork) else "validation_error"
        await ws.send_json(_one(code, e.field, e.message))
        return None
    await ws.send_json({"type": "started", "version": run.version, "step": 0})
    return run


@router.websocket("/networks/{nid}/live")
async def live(ws: WebSocket, nid: int) -> None:
    """Play training: see the module docstring and app/services/live.py for the protocol."""
    await ws.accept()
    run = await _open(ws, nid)
    if run is None:
        await ws.close()
        return
    settings = ws.app.state.settings
    pool = training_pool(ws.app)
    ready = asyncio.Event()  # the page has drawn the last frame
    ready.set()
    stop = asyncio.Event()  # pause, or the page went away
    paused_at: list[float] = []  # when the pause arrived, to report how soon training stopped

    async def listen() -> None:
        try:
            while True:
                try:
                    msg = messages.validate_json(await ws.receive_text())
                except ValidationError as e:
                    await ws.send_json(_invalid(e))
                    continue
                if isinstance(msg, Drawn):
                    ready.set()
                elif isinstance(msg, Pause):
                    paused_at.append(time.perf_counter())
                    break
                elif isinstance(msg, SampleChange):
                    try:
                        run.set_sample(msg.x, msg.y)
                    except SpecError as e:
                        await ws.send_json(_one("validation_error", e.field, e.message))
                elif isinstance(msg, Params):
                    run.set_params(msg.learning_rate, msg.batch_size)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass
        finally:
            stop.set()

    listener = asyncio.create_task(listen())
    gap = 1 / run.fps
    last_frame = last_checkpoint = time.perf_counter()
    started = last_frame
    try:
        while not stop.is_set():
            # A slice is one turn in this worker's training pool: fair over owners, after
            # interactive requests, within the owner's step budget (app/services/pool.py).
            work = settings.max_train_work
            if pool.steps_per_second > 0:
                # Budgeted: a slice takes one frame's share of the budget, so frames keep
                # coming at the display rate (fewer steps each) instead of in bursts.
                work = min(work, math.ceil(pool.steps_per_second / run.fps) * run.step_work)
            done = await pool.run(run.owner, 0, run.train_for, SLICE_S, work)
            pool.charge(run.owner, done)
            now = time.perf_counter()
            if ready.is_set() and now - last_frame >= gap:
                ready.clear()
                last_frame = now
                await ws.send_bytes(await asyncio.to_thread(run.frame))
            if now - last_checkpoint >= CHECKPOINT_S:
                last_checkpoint = now
                await asyncio.to_thread(run.checkpoint)
            if now - started >= settings.max_live_seconds:
                break
            await asyncio.sleep(0)  # let the listener see a pause between slices
        stop_ms = (time.perf_counter() - paused_at[0]) * 1000 if paused_at else None
        version = await asyncio.to_thread(run.checkpoint)
        await ws.send_bytes(await asyncio.to_thread(run.frame))
        await ws.send_json(
            {"type": "paused", "version": version, "step": run.run.steps, "stop_ms": stop_ms}
        )
    except LiveError as e:
        kept = await asyncio.to_thread(_save_what_is_good, run, e)
        await _send_quietly(ws, _one(e.code, e.field, e.detail, version=kept))
    except (WebSocketDisconnect, RuntimeError, OSError):
        await asyncio.to_thread(_save_what_is_good, run, None)
    finally:
        listener.cancel()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await ws.close()


def _save_what_is_good(run: LiveRun, error: LiveError | None) -> int | None:
    """On divergence the run went back to its last finite weights: keep them. On a
    conflict nothing may be written."""
    if error is not None and error.code == "version_conflict":
        return error.version
    try:
        return run.checkpoint()
    except LiveError:
        return None


async def _send_quietly(ws: WebSocket, message: dict) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        await ws.send_json(message)
