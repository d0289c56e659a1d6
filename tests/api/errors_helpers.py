"""The valid body of each stateless compute endpoint, and the helpers the error tests share:
send a body (raw text allowed), read the answer as strict JSON, assert a refusal."""

from __future__ import annotations

import copy
import json

from mazur import MAZUR as NET
from mazur import MAZUR_X as X
from mazur import MAZUR_Y as Y

W100 = {"kind": "weight", "layer": 1, "j": 0, "k": 0}
BODIES = {
    "forward": {"network": NET, "x": X, "y": Y},
    "backprop": {"network": NET, "x": X, "y": Y},
    "paths": {"network": NET, "x": X, "y": Y, "target": W100},
    "nudge": {"network": NET, "x": X, "y": Y, "target": W100, "delta": 0.1},
    "gradcheck": {"network": NET, "x": X, "y": Y},
}
ALL = tuple(BODIES)


def _refuse(token):
    raise AssertionError(f"response holds the non-JSON constant {token}")


def strict(r) -> dict:
    return json.loads(r.text, parse_constant=_refuse)


def send(client, endpoint: str, body) -> object:
    text = body if isinstance(body, str) else json.dumps(body)  # json allows NaN tokens
    return client.post(
        f"/api/{endpoint}", content=text, headers={"content-type": "application/json"}
    )


def refused(client, endpoint, body, field, *words, status=422):
    r = send(client, endpoint, body)
    assert r.status_code != 500
    assert 400 <= r.status_code < 500, f"{endpoint}: {r.status_code} {r.text[:300]}"
    assert r.status_code == status, r.text
    data = strict(r)
    assert field in data["detail"], data
    assert field in [e["field"] for e in data["errors"]], data
    for w in words:
        assert w in data["detail"], data
    return data


def body_with(endpoint: str, **changes) -> dict:
    """The endpoint's valid body with changes; keys 'network.x' reach into the network."""
    b = copy.deepcopy(BODIES[endpoint])
    for key, value in changes.items():
        where, _, name = key.rpartition(".")
        target = b
        for part in filter(None, where.split(".")):
            target = target[part]
        if value is DROP:
            target.pop(name)
        else:
            target[name] = value
    return b


DROP = object()
