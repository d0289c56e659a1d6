"""The PyTorch export: the generated script, run in its own process with torch, gives the
cost and gradients /api/backprop gives, to 1e-12, for every activation and every cost."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
from networks_helpers import create

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
# (output activation, cost): every cost, each with outputs it accepts.
OUTPUTS = [
    ("sigmoid", "quadratic"),
    ("linear", "sse"),
    ("sigmoid", "cross_entropy"),
    ("softmax", "cross_entropy"),
    ("softmax", "log_likelihood"),
    ("sigmoid", "log_likelihood"),
    ("tanh", "quadratic"),
]

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="torch is not installed: it comes with the bench extra (pip install -e '.[bench]'), "
    "which make test installs",
)


def _script(client, activations, cost, tmp_path, seed=0):
    spec = {
        "sizes": [3, 4, 4, 3],
        "activations": activations,
        "cost": cost,
        "init": {"scheme": "normal", "seed": seed},
    }
    nid = create(client, spec, name="torch me")["id"]
    r = client.get(f"/api/networks/{nid}/export", params={"format": "pytorch"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/x-python")
    assert r.headers["Content-Disposition"].endswith('_torch.py"')
    path = tmp_path / "exported_torch.py"
    path.write_bytes(r.content)
    return nid, path


def test_the_script_imports_nothing_but_torch_and_the_standard_library(client, tmp_path):
    _, path = _script(client, ["sigmoid", "sigmoid", "sigmoid"], "quadratic", tmp_path)
    source = path.read_text()
    imports = sorted(
        line.split()[1] for line in source.splitlines() if line.startswith(("import ", "from "))
    )
    assert imports == ["json", "sys", "torch"]
    compile(source, str(path), "exec")  # valid Python even where torch is absent


# Run every exported script in one subprocess: importing torch takes seconds on a busy
# machine, so one process imports each script as a module and calls its gradients().
DRIVER = """
import importlib.util, json, sys
out = []
for job in json.loads(sys.stdin.read()):
    spec = importlib.util.spec_from_file_location("exported", job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out.append([module.gradients(x, y) for x, y in job["samples"]])
print(json.dumps(out))
"""


def _samples(output):
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (5, 3))
    y = rng.dirichlet(np.ones(3), 5) if output == "softmax" else rng.uniform(0.05, 0.95, (5, 3))
    return [(x.tolist(), y.tolist()), (x[0].tolist(), y[0].tolist())]


def _assert_same(got, want):
    assert got["cost"] == pytest.approx(want["cost"], rel=1e-12, abs=1e-12)
    for l in range(1, len(want["layers"])):
        for key in ("grad_w", "grad_b"):
            np.testing.assert_allclose(
                got[key][l - 1], want["layers"][l][key], rtol=1e-12, atol=1e-13
            )


@needs_torch
def test_torch_gradients_equal_backprop_for_every_activation_and_cost(client, tmp_path):
    jobs, cases = [], []
    for hidden in HIDDEN:
        for output, cost in OUTPUTS:
            folder = tmp_path / f"{hidden}-{output}-{cost}"
            folder.mkdir()
            nid, path = _script(client, [hidden, hidden, output], cost, folder, seed=len(jobs))
            jobs.append({"path": str(path), "samples": _samples(output)})
            cases.append((nid, hidden, output, cost))
    run = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == len(cases) == len(HIDDEN) * len(OUTPUTS)
    for (nid, *case), job, got in zip(cases, jobs, results, strict=True):
        for (xs, ys), g in zip(job["samples"], got, strict=True):
            want = client.post(f"/api/networks/{nid}/backprop", json={"x": xs, "y": ys}).json()
            try:
                _assert_same(g, want)
            except AssertionError as e:
                raise AssertionError(f"{case}: {e}") from None


@needs_torch
def test_the_script_prints_gradients_as_json_for_a_sample_on_the_command_line(client, tmp_path):
    nid, path = _script(client, ["tanh", "relu", "softmax"], "log_likelihood", tmp_path)
    (xs, ys) = _samples("softmax")[1]
    run = subprocess.run(
        [sys.executable, str(path), json.dumps(xs), json.dumps(ys)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert sorted(got) == ["cost", "grad_b", "grad_w"]
    _assert_same(got, client.post(f"/api/networks/{nid}/backprop", json={"x": xs, "y": ys}).json())
