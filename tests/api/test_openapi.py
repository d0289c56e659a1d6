"""/docs describes every field of every request and response model."""

from __future__ import annotations


def test_every_schema_field_has_a_description(client):
    spec = client.get("/openapi.json").json()
    missing = [
        f"{name}.{field}"
        for name, schema in spec["components"]["schemas"].items()
        if not name.startswith(("HTTPValidationError", "ValidationError"))
        for field, prop in schema.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []


def test_every_route_is_documented(client):
    spec = client.get("/openapi.json").json()
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if not op.get("description")
    ]
    assert undocumented == []
    assert client.get("/docs").status_code == 200
