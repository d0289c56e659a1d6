"""One error shape for every refusal: `{"detail", "errors": [{"field", "message"}], "code"}`.

`detail` is the errors joined for a quick read, `errors` names each field at fault and
`code` is one of the strings agreed across the team (`CODES`), so a client can branch on
it without reading English. Messages are clipped: a refused value is never echoed whole.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

from app.nn.network import SpecError
from app.services.compute import TooMuchWork
from app.services.training import TrainingFailed
from app.store import Conflict, NotFound, StoreError, StoreFull
from app.store.networks import ReadOnly

MAX_MESSAGE = 300  # characters of one message; a 6 MB value must not come back in an error

# HTTP status -> code, for refusals raised as plain HTTPExceptions (Starlette's own too).
STATUS_CODES = {
    400: "malformed_body",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    412: "version_conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    503: "store_unavailable",
    507: "store_full",
}


class FieldError(BaseModel):
    field: str = Field(..., description="where: a dotted path into the body, a header or 'body'")
    message: str = Field(..., description="what is wrong and what is expected")


class Problem(BaseModel):
    """The body of every 4xx and 5xx answer."""

    detail: str = Field(..., description="every error as 'field: message', joined by '; '")
    errors: list[FieldError] = Field(..., description="one entry per field at fault")
    code: str = Field(
        ...,
        description="what kind of refusal: validation_error, malformed_body, not_found, "
        "method_not_allowed, version_conflict, body_too_large, unsupported_media_type, "
        "too_much_work, diverged, host_not_allowed, foreign_origin, store_unavailable, "
        "store_full, forbidden, request_timeout",
    )


class MalformedBody(Exception):
    """The body is not JSON we can read (syntax, UTF-8, nesting): 400 before validation."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def field_name(loc: tuple | list) -> str:
    """('body', 'network', 'weights', 1, 0) -> 'network.weights[1][0]'."""
    out = ""
    for part in loc:
        if part == "body" and not out:
            continue
        if part in ("explorer", "network2") and not out:
            continue  # the import file's kind, a tag of the union, not a field
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("weight", "bias", "activation") and out.endswith("target"):
            continue  # the discriminated union's tag adds nothing for a reader
        else:
            out += f".{part}" if out else str(part)
    return clip(out) or "body"


def problem_body(errors: list[dict], code: str) -> dict:
    errors = [{"field": clip(e["field"]), "message": clip(e["message"])} for e in errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return {"detail": detail, "errors": errors, "code": code}


def problem(
    status: int, errors: list[dict], code: str, headers: dict | None = None
) -> JSONResponse:
    return JSONResponse(problem_body(errors, code), status_code=status, headers=headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path (Starlette's own 405 names only the
    first route's, though GET, PUT and DELETE of /networks/{id} are three routes)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


def _split(detail: str) -> dict:
    """'name: unknown dataset' -> field 'name'; anything else is about the request."""
    field, sep, message = detail.partition(": ")
    if sep and field.isidentifier():
        return {"field": field, "message": message}
    return {"field": "request", "message": detail}


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors, seen = [], set()
        for e in exc.errors():
            if e.get("type") == "json_invalid":
                error = e.get("ctx", {}).get("error")
                return problem(
                    400, [{"field": "body", "message": f"is not JSON ({error})"}], "malformed_body"
                )
            field = field_name(e.get("loc", ()))
            message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
            if (field, message) not in seen:
                seen.add((field, message))
                errors.append({"field": field, "message": message})
        return problem(422, errors, "validation_error")

    @app.exception_handler(MalformedBody)
    async def _malformed(_: Request, exc: MalformedBody) -> JSONResponse:
        return problem(400, [{"field": "body", "message": exc.message}], "malformed_body")

    @app.exception_handler(SpecError)
    async def _spec(_: Request, exc: SpecError) -> JSONResponse:
        if isinstance(exc, TooMuchWork):
            code = "too_much_work"
        elif isinstance(exc, TrainingFailed):
            code = "diverged"
        else:
            code = "validation_error"
        return problem(422, [{"field": exc.field, "message": exc.message}], code)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return problem(404, [{"field": "id", "message": str(exc)}], "not_found")

    @app.exception_handler(ReadOnly)
    async def _read_only(_: Request, exc: ReadOnly) -> JSONResponse:
        return problem(403, [{"field": "id", "message": str(exc)}], "forbidden")

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        message = f"{exc}; another change was saved first. Reload it, then retry"
        return problem(412, [{"field": "If-Match", "message": message}], "version_conflict")

    @app.exception_handler(StoreFull)
    async def _full(_: Request, exc: StoreFull) -> JSONResponse:
        return problem(507, [{"field": "store", "message": str(exc)}], "store_full")

    @app.exception_handler(StoreError)
    async def _unavailable(_: Request, exc: StoreError) -> JSONResponse:
        # StoreUnavailable, or a start-up refusal met by a lazy open (no lifespan ran).
        return problem(503, [{"field": "store", "message": str(exc)}], "store_unavailable")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allow = allowed_methods(request)
            headers["Allow"] = ", ".join(allow)
            message = f"{request.method} is not allowed here; use {', '.join(allow)}"
            error = {"field": "method", "message": message}
        elif exc.status_code == 404 and exc.detail == "Not Found":
            error = {"field": "path", "message": f"nothing at {request.url.path}"}
        else:
            error = _split(str(exc.detail))
        # Every status this app raises is in STATUS_CODES; any other is a refusal too.
        code = STATUS_CODES.get(exc.status_code, "forbidden")
        return problem(exc.status_code, [error], code, headers)

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        # A bug, not a refusal: still JSON in the one shape (the traceback goes to the log).
        message = f"the server failed on this request ({type(exc).__name__}); please report it"
        return problem(500, [{"field": "request", "message": message}], "internal_error")
