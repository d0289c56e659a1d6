"""JSON request bodies parsed by us: big ones off the event loop, and every failure a 400
that says what is wrong (bad UTF-8, bad syntax, nesting too deep) instead of FastAPI's
"There was an error parsing the body". Used as the route class of every API router.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Message, Receive

from .arrays import booleans_possible
from .errors import MalformedBody

OFF_LOOP_BYTES = 64 * 1024  # parsing 64 kB takes ~0.5 ms; bigger bodies go to a thread


def parse_json(body: bytes) -> Any:
    """orjson reads a 5.5 MB batch in ~35 ms where json takes ~160 ms. What orjson refuses
    (NaN and Infinity tokens, 1e400, lone surrogates, syntax errors) is read again by
    json, whose answers are the API's: NaN is refused later naming its field, and a
    syntax error's message gives json's line and column."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return _parse_json_stdlib(body)


def _parse_json_stdlib(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedBody(f"is not valid UTF-8 (byte {e.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise MalformedBody(f"is not JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise MalformedBody("nests arrays or objects too deeply to be a request") from None


def _is_json(request: Request) -> bool:
    ctype = request.headers.get("content-type")
    if ctype is None:
        return True  # FastAPI reads a body without a type as JSON
    media = ctype.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


async def parse_body(body: bytes) -> Any:
    """A request's JSON, parsed off the event loop when it is big."""
    parsed = (
        await run_in_threadpool(parse_json, body)
        if len(body) > OFF_LOOP_BYTES
        else parse_json(body)
    )
    # JSON has no other spelling of a boolean, even escaped: without these bytes, no array
    # in the body holds one (the context reaches the worker threads).
    booleans_possible.set(b"true" in body or b"false" in body)
    return parsed


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body, already read, once; then waits on the real one
    (for the disconnect), as the server's receive would."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class JsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def parse_first(request: Request) -> Response:
            body = await request.body()
            if body and _is_json(request):
                request._json = await parse_body(body)  # FastAPI's Request.json() returns it
            return await handler(request)

        return parse_first


def answer_bytes(answer: Any) -> bytes:
    """A dict the services built to their response model, as JSON bytes."""
    try:
        return orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:  # an integer past 64 bits (a deep network's count of paths)
        return json.dumps(answer, separators=(",", ":"), allow_nan=False).encode()


def json_answer(answer: Any, status: int = 200) -> Response:
    """The dict written as it is (FastAPI sends a returned Response without its
    response-model pass)."""
    return Response(answer_bytes(answer), status_code=status, media_type="application/json")
