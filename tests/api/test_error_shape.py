"""Every refusal is `{"detail", "errors": [{"field", "message"}], "code"}` with an agreed code,
and the OpenAPI document says so for every operation and status."""

from __future__ import annotations

import pytest

SHAPE = {"detail", "errors", "code"}


def problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == SHAPE
    assert body["code"] == code
    assert body["errors"] and all(set(e) == {"field", "message"} for e in body["errors"])
    assert body["detail"] == "; ".join(f"{e['field']}: {e['message']}" for e in body["errors"])
    return body


def test_unknown_path_is_404_json(shared_client):
    body = problem(shared_client.get("/api/nothing-here"), 404, "not_found")
    assert "/api/nothing-here" in body["detail"]


def test_unknown_network_is_404_naming_the_id(shared_client):
    body = problem(shared_client.get("/api/networks/987654"), 404, "not_found")
    assert body["errors"][0]["field"] == "id"


def test_unknown_dataset_is_404_naming_it(shared_client):
    body = problem(shared_client.get("/api/datasets/nope"), 404, "not_found")
    assert body["errors"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/networks/import", "POST"),
        ("PATCH", "/api/networks/1", "GET, PUT, DELETE"),
        ("DELETE", "/api/backprop", "POST"),
        ("POST", "/api/datasets", "GET"),
        ("DELETE", "/api/networks", "GET, POST"),
    ],
)
def test_wrong_method_is_405_with_every_allowed_method(shared_client, method, path, allow):
    r = shared_client.request(method, path, json={})
    body = problem(r, 405, "method_not_allowed")
    assert r.headers["allow"] == allow
    assert body["errors"][0]["field"] == "method"


def test_stale_if_match_is_412_version_conflict(shared_client, small_net):
    made = shared_client.post("/api/networks", json={"name": "a", "network": small_net}).json()
    body = {"name": "b", "network": small_net}
    url = f"/api/networks/{made['id']}"
    assert shared_client.put(url, json=body, headers={"If-Match": '"1"'}).status_code == 200
    r = shared_client.put(url, json=body, headers={"If-Match": '"1"'})
    problem(r, 412, "version_conflict")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"x": [1, 2', "is not JSON"),
        (b'{"x": "\xff\xfe"}', "UTF-8"),
        (b"[" * 50_000 + b"]" * 50_000, "too deeply"),
    ],
)
def test_unreadable_bodies_are_400_malformed_body(shared_client, raw, words):
    r = shared_client.post(
        "/api/backprop", content=raw, headers={"Content-Type": "application/json"}
    )
    body = problem(r, 400, "malformed_body")
    assert body["errors"][0]["field"] == "body"
    assert words in body["detail"]


def test_work_caps_and_divergence_have_their_own_codes(shared_client):
    net = {"sizes": [2] + [42] * 15 + [2], "activations": ["tanh"] * 16, "cost": "quadratic"}
    net["init"] = {"seed": 0}
    r = shared_client.post("/api/gradcheck", json={"network": net, "x": [0, 0], "y": [0, 0]})
    problem(r, 422, "too_much_work")
    # diverged: tests/api/test_training_refusals.py checks its code on a run that diverges.


def test_a_long_refused_value_is_not_echoed_back(shared_client):
    r = shared_client.post(
        "/api/networks/1/train", json={"dataset": "z" * 100_000, "steps": 1, "learning_rate": 1}
    )
    assert r.status_code == 422
    assert len(r.text) < 2_000


def test_openapi_documents_every_refusal_in_the_problem_shape(shared_client):
    spec = shared_client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Problem"]["properties"]) == SHAPE
    assert "HTTPValidationError" not in schemas  # FastAPI's default 422 shape is not ours
    for path, item in spec["paths"].items():
        for method, op in item.items():
            errors = {s: r for s, r in op["responses"].items() if int(s) >= 400}
            assert "400" in errors, (method, path)  # a foreign Host, anywhere
            for status, response in errors.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Problem", (method, path, status)
            if "requestBody" in op:
                assert {"413", "415", "422"} <= set(errors), (method, path)
            if "{nid}" in path:
                assert {"404", "503"} <= set(errors), (method, path)
    put = spec["paths"]["/api/networks/{nid}"]["put"]["responses"]
    assert {"412", "507"} <= set(put)
    assert "412" in spec["paths"]["/api/networks/{nid}/train"]["post"]["responses"]


def test_request_schemas_say_one_of_and_min_items(shared_client):
    schemas = shared_client.get("/openapi.json").json()["components"]["schemas"]
    net = schemas["NetworkIn"]
    assert [b["required"] for b in net["oneOf"]] == [["biases", "weights"], ["init"]]
    assert net["properties"]["sizes"]["minItems"] == 2
    assert net["properties"]["sizes"]["items"]["minimum"] == 1
    assert "softmax" in net["properties"]["activations"]["items"]["enum"]
    train = schemas["TrainRequest"]
    groups = [[b["required"] for b in part["oneOf"]] for part in train["allOf"]]
    assert groups == [[["dataset"], ["samples"]], [["steps"], ["epochs"]]]
