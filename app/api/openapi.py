"""The OpenAPI document says, for every operation, which refusals it can answer, all in
the one Problem shape (FastAPI's default 422 schema does not match what we send)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .errors import FieldError, Problem

WHY = {
    "400": "Malformed body (not JSON, bad UTF-8, nested too deep), or a Host header this "
    "server does not answer to",
    "403": "A change sent by another site's page (its Origin is not this server)",
    "404": "No such network, version or dataset",
    "408": "The body did not arrive in time",
    "412": "The network moved on: If-Match (or if_version) names an older version; "
    "nothing was changed",
    "413": "The body is over the size limit",
    "415": "The body is not application/json",
    "422": "A field is invalid (each is named), the work is over a cap (too_much_work) or "
    "training diverged (diverged)",
    "503": "The store cannot be read or written just now (the cause is named)",
    "507": "The disk holding the store is full; nothing was saved",
}


def statuses(path: str, method: str, op: dict) -> list[str]:
    """Which refusals this operation can give, from what it is: its method, whether it has
    a body or parameters, whether it reads or writes the store."""
    out = {"400"}  # an unknown Host, on any operation
    has_body = "requestBody" in op
    store = path.startswith("/api/networks")
    writes = method in ("post", "put", "delete") and store and not _stateless(path)
    if method in ("post", "put", "patch", "delete"):
        out.add("403")
    if has_body:
        out |= {"408", "413", "415", "422"}
    if op.get("parameters"):
        out.add("422")
    if "{" in path:
        out.add("404")
    if method == "put" or path.endswith("/train"):
        out.add("412")
    if store:
        out.add("503")
    if writes:
        out.add("507")
    return sorted(out)


def _stateless(path: str) -> bool:
    """Compute on a saved network reads it but saves nothing (train does save)."""
    return path.rsplit("/", 1)[-1] in ("forward", "backprop", "paths", "nudge", "gradcheck")


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for model in (FieldError, Problem):
            schemas[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        ref = {"$ref": "#/components/schemas/Problem"}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                responses = op.setdefault("responses", {})
                for status in statuses(path, method, op):
                    responses[status] = {
                        "description": WHY[status],
                        "content": {"application/json": {"schema": ref}},
                    }
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
