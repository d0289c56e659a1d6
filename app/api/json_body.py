"""JSON request bodies parsed by us: big ones off the event loop, and every failure a 400
that says what is wrong (bad UTF-8, bad syntax, nesting too deep) instead of FastAPI's
"There was an error parsing the body". Used as the route class of every API router.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

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


class JsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler
        direct = _direct_call(self)

        async def parse_first(request: Request) -> Response:
            body = await request.body()
            if body and _is_json(request):
                if len(body) > OFF_LOOP_BYTES:
                    parsed = await run_in_threadpool(parse_json, body)
                else:
                    parsed = parse_json(body)
                request._json = parsed  # Request.json() returns this; FastAPI calls it next
                # JSON has no other spelling of a boolean, even escaped: without these bytes,
                # no array in the body holds one (the context reaches the worker threads).
                booleans_possible.set(b"true" in body or b"false" in body)
                if direct is not None and not request.app.dependency_overrides:
                    answer = await direct(request, parsed)
                    if answer is not None:
                        return answer
            return await handler(request)

        return parse_first


def _direct_call(route: APIRoute) -> Callable[[Request, Any], Awaitable[Response | None]] | None:
    """The hot compute routes without FastAPI's per-request machinery (dependency solving,
    response-model validation, its JSON encoder): ~100 µs of a 2-2-2 backprop's ~300.

    Only for routes that are nothing but an async endpoint taking the JSON body and
    request-only async dependencies (settings, the store), answering a dict whose unset
    fields stay out (`response_model_exclude_unset`). The answer is written by orjson as
    it is: the services build it field by field to the response model, which still
    documents it in /openapi.json (the tests check answers against that schema). A body
    that fails validation returns None, and FastAPI's own handler answers with its errors,
    so every refusal is exactly as before. Any other route returns None here."""
    d = route.dependant
    if (
        d.call is None
        or not inspect.iscoroutinefunction(d.call)
        or len(d.body_params) != 1
        or d.path_params
        or d.query_params
        or d.header_params
        or d.cookie_params
        or d.request_param_name
        or d.response_param_name
        or d.background_tasks_param_name
        or d.security_scopes_param_name
        or getattr(route, "_embed_body_fields", False)
        or (route.response_model is not None and not route.response_model_exclude_unset)
        or not all(_request_only(sub) for sub in d.dependencies)
    ):
        return None
    endpoint = d.call
    field = route.body_field
    assert field is not None
    body_name = d.body_params[0].name
    needs: list[tuple[str, Callable[..., Awaitable[Any]], str]] = [
        (sub.name, sub.call, sub.request_param_name)  # type: ignore[misc]  # _request_only
        for sub in d.dependencies
    ]
    status = route.status_code or 200

    async def direct(request: Request, parsed: Any) -> Response | None:
        value, errors = field.validate(parsed, {}, loc=("body",))
        if errors:
            return None
        kwargs = {body_name: value}
        for name, call, request_name in needs:
            kwargs[name] = await call(**{request_name: request})
        result = await endpoint(**kwargs)
        if isinstance(result, Response):
            return result
        return json_answer(result, status)

    return direct


def json_answer(answer: Any, status: int = 200) -> Response:
    """A dict the services built to their response model, written as it is (FastAPI sends
    a returned Response without its response-model pass)."""
    try:
        body = orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:  # an integer past 64 bits (a deep network's count of paths)
        body = json.dumps(answer, separators=(",", ":"), allow_nan=False).encode()
    return Response(body, status_code=status, media_type="application/json")


def _request_only(sub: Dependant) -> bool:
    """An `async def dep(request: Request)` with nothing else to solve."""
    return (
        sub.call is not None
        and sub.name is not None
        and inspect.iscoroutinefunction(sub.call)
        and sub.request_param_name is not None
        and not (
            sub.dependencies
            or sub.path_params
            or sub.query_params
            or sub.header_params
            or sub.cookie_params
            or sub.body_params
            or sub.response_param_name
            or sub.background_tasks_param_name
            or sub.security_scopes_param_name
        )
    )
