"""The hot routes (stateless compute, the list of networks) answered straight from ASGI,
before FastAPI's routing.

A 2-2-2 backprop is ~80 µs of work; FastAPI's way to it (matching the path against the
route list, the Request and dependency machinery, the response-model pass, its JSON
encoder) cost more than the work. `DirectRoutes` looks the method and path up in a
table, validates the body with the route's own body field, calls the route's own
endpoint and writes the dict the services built (to the response model, which still
documents it in /openapi.json; the tests check answers against that schema) with orjson.

It answers only what it can answer exactly as FastAPI would. A body that fails
validation, or an empty one, goes through FastAPI unchanged, so every refusal keeps its
fields and wording; a refusal raised by the work (caps, shapes) is answered by the app's
own exception handler for it, and a bug propagates to the app's last-resort handler.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .json_body import answer_bytes, parse_body, replaying

# The answer's bytes and status; a Response the endpoint made itself; or None (refused).
Direct = Callable[[Request, Any], Awaitable[tuple[bytes, int] | Response | None]]


class DirectRoutes:
    """ASGI middleware inside the guards, around the app's GZip: `gzip` is that GZip's
    configuration, with which the answers that may be big are compressed as it would."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute], gzip: Mapping[str, Any]):
        self.app = app
        self.gzip = dict(gzip)
        self.small = self.gzip["minimum_size"]  # GZip passes a smaller answer as it is
        self.table: dict[tuple[str, str], tuple[Direct, bool]] = {}
        # Each route as the app serves it: included routers' routes with their full path.
        for route in iter_route_contexts(routes):
            direct = direct_handler(route)
            if direct is not None and route.methods and route.path:
                (method,) = route.methods
                self.table[method, route.path] = (direct, route.body_field is not None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = (
            self.table.get((scope["method"], scope["path"])) if scope["type"] == "http" else None
        )
        if found is None or scope["app"].dependency_overrides:
            await self.app(scope, receive, send)
            return
        direct, takes_body = found
        body = await _read(receive) if takes_body else b""
        if takes_body and not body:  # FastAPI's "Field required" for the body
            await self.app(scope, replaying(body, receive), send)
            return
        request = Request(scope, receive)
        try:
            answer = await direct(request, await parse_body(body) if takes_body else None)
        except Exception as exc:
            handler = _refusal_handler(scope["app"].exception_handlers, exc)
            if handler is None:
                raise  # a bug: the app's last-resort handler answers it
            await self._respond(await handler(request, exc), scope, receive, send)
            return
        if answer is None:  # refused by validation: FastAPI words it
            await self.app(scope, replaying(body, receive), send)
            return
        if not isinstance(answer, Response):
            content, status = answer
            answer = Response(content, status, media_type="application/json")
        await self._respond(answer, scope, receive, send)

    async def _respond(
        self, response: Response, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """As the app's GZip would send it; an answer below its minimum size, which it would
        pass untouched, skips its set-up (which costs more than a small answer's JSON)."""
        body = getattr(response, "body", None)  # a streamed answer has none
        if body is not None and len(body) < self.small:
            await response(scope, receive, send)
        else:
            await GZipMiddleware(response, **self.gzip)(scope, receive, send)


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message: Message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _refusal_handler(handlers: Mapping[Any, Callable], exc: Exception) -> Callable | None:
    """The app's handler for this exception's nearest class, as Starlette picks it; None
    for the catch-all (Exception) handler, which belongs to the outermost middleware."""
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None


def direct_handler(route: RouteContext) -> Direct | None:
    """For a route of one method that is nothing but an `async def` endpoint taking at
    most the JSON body and request-only async dependencies (settings, the store, the
    owner), answering a dict whose unset fields stay out (`response_model_exclude_unset`)
    or a Response it made, with no path or query parameters: a call that skips FastAPI's
    per-request machinery. None for any other route."""
    if not isinstance(route.original_route, APIRoute) or len(route.methods or ()) != 1:
        return None
    d = route.dependant
    if (
        d.call is None
        or not inspect.iscoroutinefunction(d.call)
        or len(d.body_params) > 1
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
    body_name = d.body_params[0].name if d.body_params else ""
    needs: list[tuple[str, Callable[..., Awaitable[Any]], str]] = [
        (sub.name, sub.call, sub.request_param_name)  # _request_only checked them
        for sub in d.dependencies
    ]
    status = route.status_code or 200

    async def direct(request: Request, parsed: Any) -> tuple[bytes, int] | Response | None:
        kwargs = {}
        if field is not None:
            value, errors = field.validate(parsed, {}, loc=("body",))
            if errors:
                return None
            kwargs[body_name] = value
        for name, call, request_name in needs:
            kwargs[name] = await call(**{request_name: request})
        result = await endpoint(**kwargs)
        return result if isinstance(result, Response) else (answer_bytes(result), status)

    return direct


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
