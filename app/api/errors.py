"""Every refusal is a 4xx whose `detail` names the field and what was expected."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.nn.network import SpecError
from app.store import Conflict, NotFound
from app.store.networks import ReadOnly


def field_name(loc: tuple | list) -> str:
    """('body', 'network', 'weights', 1, 0) -> 'network.weights[1][0]'."""
    out = ""
    for part in loc:
        if part == "body" and not out:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("weight", "bias", "activation") and out.endswith("target"):
            continue  # the discriminated union's tag adds nothing for a reader
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


def problem(status: int, errors: list[dict], code: str | None = None) -> JSONResponse:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    body = {"detail": detail, "errors": errors}
    if code is not None:
        body["code"] = code
    return JSONResponse(body, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors, seen = [], set()
        for e in exc.errors():
            field = field_name(e.get("loc", ()))
            message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
            if e.get("type") == "json_invalid":
                field, message = "body", f"is not valid JSON ({e.get('ctx', {}).get('error')})"
            if (field, message) not in seen:
                seen.add((field, message))
                errors.append({"field": field, "message": message})
        return problem(422, errors)

    @app.exception_handler(SpecError)
    async def _spec(_: Request, exc: SpecError) -> JSONResponse:
        return problem(422, [{"field": exc.field, "message": exc.message}])

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return problem(404, [{"field": "id", "message": str(exc)}])

    @app.exception_handler(ReadOnly)
    async def _read_only(_: Request, exc: ReadOnly) -> JSONResponse:
        return problem(403, [{"field": "id", "message": str(exc)}], "forbidden")

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        message = f"{exc}; another change was saved first. Reload it, then retry"
        return problem(412, [{"field": "If-Match", "message": message}])
