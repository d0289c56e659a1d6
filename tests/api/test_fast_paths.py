"""The shortcuts taken for speed change no answer: orjson's parse with json behind it, the
boolean scan skipped when a body has no true/false token, small arrays checked in Python,
and the compute routes answered without FastAPI's response-model pass."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from errors_helpers import BODIES, refused, send, strict

from app.api import arrays
from app.api import schemas as s
from app.api.json_body import OFF_LOOP_BYTES, parse_json
from app.config import Settings
from app.nn.network import SpecError
from app.services import compute
from app.services.jsonify import Jsonifier

RESPONSES = {
    "forward": (s.ForwardRequest, s.ForwardResponse, compute.forward),
    "backprop": (s.BackpropRequest, s.BackpropResponse, compute.backprop),
    "paths": (s.PathsRequest, s.PathsResponse, compute.paths),
    "nudge": (s.NudgeRequest, s.NudgeResponse, compute.nudge_report),
    "gradcheck": (s.GradcheckRequest, s.GradcheckResponse, compute.gradcheck_report),
}


@pytest.fixture
def client(shared_client):
    return shared_client


def _batch(n: int) -> tuple[list, list]:
    rng = np.random.default_rng(3)
    return rng.random((n, 2)).tolist(), rng.random((n, 2)).tolist()


INCLUDE = {
    "forward": ["output"],
    "backprop": ["cost", "grad_w", "grad_b"],
    "paths": ["count", "gradient"],
    "nudge": ["delta_cost", "delta_a"],
    "gradcheck": ["parameters", "max_abs_error"],
}


@pytest.mark.parametrize("endpoint", list(RESPONSES))
@pytest.mark.parametrize("include", [False, True])
def test_answer_is_what_the_response_model_would_send(client, endpoint, include):
    """The service's dict, written as it is, equals the dict FastAPI's response-model pass
    (validate, then dump without unset fields) would have made of it."""
    request_model, response_model, service = RESPONSES[endpoint]
    body = {**BODIES[endpoint], **({"include": INCLUDE[endpoint]} if include else {})}
    r = send(client, endpoint, body)
    assert r.status_code == 200, r.text
    req = request_model.model_validate(body)
    settings = Settings()
    out = service(compute.build_network(req.network, settings), req, settings)
    expected = response_model.model_validate(out).model_dump(mode="json", exclude_unset=True)
    got = strict(r)
    if endpoint == "gradcheck":  # wall times differ from run to run
        for answer in (got, expected):
            answer.get("seconds", {}).clear()
    assert got == expected
    assert set(got) == set(out)


def test_a_boolean_deep_in_a_large_batch_is_refused(client):
    """Over the size checked in Python, the boolean scan runs when the body has `true`."""
    x, y = _batch(400)
    x[250][1] = True
    refused(client, "backprop", {**BODIES["backprop"], "x": x, "y": y}, "x", "numbers only")


def test_a_large_batch_without_booleans_computes(client):
    """No `true` or `false` in the body: the scan is skipped, the numbers are the engine's."""
    x, y = _batch(400)
    r = send(client, "backprop", {**BODIES["backprop"], "x": x, "y": y, "include": ["cost"]})
    assert r.status_code == 200, r.text
    req = s.BackpropRequest.model_validate({**BODIES["backprop"], "x": x, "y": y})
    net = compute.build_network(req.network, Settings())
    assert strict(r)["cost"] == net.evaluate(np.array(x), np.array(y)).cost


def test_nan_in_a_body_parsed_off_the_event_loop_names_its_entry(client):
    """orjson refuses the NaN token; json reads it, and the field check names the entry."""
    x, y = _batch(1800)
    text = json.dumps({**BODIES["backprop"], "x": x, "y": y}).replace(
        json.dumps(x[1017][1]), "NaN", 1
    )
    assert len(text) > OFF_LOOP_BYTES and "NaN" in text
    refused(client, "backprop", text, "x[1017][1]", "finite")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"a": [1, 2.5, -0.0]}', {"a": [1, 2.5, -0.0]}),
        (b"[NaN, Infinity]", None),  # json's reading: NaN and inf, refused later by field
        (b"[1e400]", [math.inf]),
        (b'"\\ud800"', "\ud800"),
    ],
)
def test_parse_json_reads_what_json_read(text, expected):
    got = parse_json(text)
    assert json.dumps(got) == json.dumps(json.loads(text))
    if expected is not None:
        assert json.dumps(got) == json.dumps(expected)


@pytest.mark.parametrize(
    "value",
    [
        [0.05, 0.1],
        [1, 0],
        [1, 0.5, -0.0, 2**62, -(2**63), 2**53 + 1],
        [[0.15, 0.2], [0.25, 3]],
        [[1, 2, 3]],
    ],
)
def test_small_arrays_equal_the_full_conversion_bit_for_bit(value):
    fast = arrays._small(value)
    assert fast is not None
    full = np.asarray(value).astype(np.float64)
    assert fast.dtype == np.float64 and fast.shape == full.shape
    assert fast.tobytes() == full.tobytes()


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        ([True, 0.5], "x", "numbers only"),
        ([0.5, "1"], "x", "numbers only"),
        ([0.5, None], "x", ""),
        ([[1.0, 2.0], [3.0]], "x", "ragged"),
        ([2**64, 1.0], "x", "other than numbers"),
    ],
)
def test_small_arrays_refused_as_before(value, field, words):
    assert arrays._small(value) is None  # the full checks answer, with their messages
    with pytest.raises(SpecError) as e:
        arrays._as_float_array(value, field)
    assert e.value.field == field and words in e.value.message


def test_jsonifier_small_and_large_arrays_agree():
    for size in (3, 500):
        values = np.linspace(-1, 1, size)
        values[1] = np.inf
        j = Jsonifier()
        out = j.arr(values, "layers[1].z")
        assert out[1] is None and out[0] == -1.0 and len(out) == size
        assert j.notes == ["layers[1].z: value beyond float64 range, reported as null"]
        assert Jsonifier().arr(values[2:], "z") == values[2:].tolist()
