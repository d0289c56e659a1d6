"""Lessons as data: the files load and check at start-up, the API lists and serves them,
a bad file is refused with the reason, and the slowdown lesson's claim holds on real
training through the API."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from app.lessons import DATA, LessonError, load_lessons

SEVEN = ["chain", "tree", "indices", "four-equations", "big-picture", "slowdown", "vanishing"]


def test_list_names_every_lesson_in_order(shared_client):
    r = shared_client.get("/api/lessons")
    assert r.status_code == 200
    listed = r.json()
    assert [x["id"] for x in listed] == SEVEN
    files = {
        json.loads(p.read_text())["id"]: json.loads(p.read_text()) for p in DATA.glob("*.json")
    }
    for item in listed:
        assert set(item) == {"id", "title", "summary", "seed", "steps", "notation"}
        assert item["steps"] == len(files[item["id"]]["steps"]) >= 4
        assert item["seed"] and item["summary"]


def test_one_lesson_whole(shared_client):
    r = shared_client.get("/api/lessons/chain")
    assert r.status_code == 200
    lesson = r.json()
    assert lesson["networks"]["main"]["sizes"] == [1, 1, 1, 1]
    assert lesson["notation"] == "3b1b" and len(lesson["samples"]) == 3
    step = lesson["steps"][3]
    assert "{grad}" in step["equation"] and step["values"]["grad"].startswith("backprop.")


def test_unknown_lesson_is_404_naming_the_known_ones(shared_client):
    r = shared_client.get("/api/lessons/nope")
    assert r.status_code == 404
    body = r.json()
    assert body["errors"][0]["field"] == "id" and "chain" in body["detail"]
    assert shared_client.get("/api/lessons/" + "x" * 41).status_code == 422


def lesson_file(tmp_path, **change):
    lesson = json.loads((DATA / "1-chain.json").read_text())
    step = change.pop("step", None)
    if step:
        lesson["steps"][0] |= step
    lesson |= change
    (tmp_path / "bad.json").write_text(json.dumps(lesson))
    return tmp_path


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"step": {"text": "cost {nope}"}}, "placeholders without a value"),
        (
            {"step": {"text": "{cost}", "values": {"cost": "backprop.cost", "x": "input.x.0"}}},
            "never",
        ),
        ({"step": {"values": {"cost": "magic.cost"}}}, "not a known source"),
        ({"step": {"select": "w:9:0:0"}}, "is not in"),
        ({"step": {"network": "other"}}, "no network"),
        ({"step": {"values": {"c": "paths.count"}, "text": "{c}", "select": None}}, "selection"),
        ({"networks": {"main": {"sizes": [1, 1], "activations": ["nope"], "cost": "sse"}}}, "nope"),
        ({"id": "Bad Id"}, "id"),
        ({"step": {"stepper": 8}}, "the stepper has 8 positions"),
    ],
)
def test_a_bad_lesson_file_stops_start_up(tmp_path, change, says):
    with pytest.raises(LessonError, match=r"bad\.json") as e:
        load_lessons(lesson_file(tmp_path, **change))
    assert says in str(e.value)


def test_shipped_lessons_pass_the_checks():
    lessons = load_lessons()
    assert list(lessons) == SEVEN


def test_slowdown_quadratic_learns_slower_from_the_saturated_start(shared_client):
    """The two curves the lesson draws, trained through the API as the page does."""
    lesson = shared_client.get("/api/lessons/slowdown").json()
    step = next(s for s in lesson["steps"] if s.get("figure") == "curves")
    action = step["action"]
    sample = lesson["samples"][0]
    curves = {}
    for name in action["networks"]:
        r = shared_client.post(
            "/api/train",
            json={
                "network": lesson["networks"][name],
                "samples": {"x": [sample["x"]], "y": [sample["y"]]},
                "learning_rate": action["learning_rate"],
                "batch_size": 1,
                "steps": action["steps"],
            },
        )
        assert r.status_code == 200, r.text
        assert r.json()["version"] is None
        curves[name] = r.json()["loss"]
    quad, xent = curves["main"], curves["xent"]
    assert len(quad) == len(xent) == action["steps"]
    # Over the first 50 steps the quadratic cost keeps > 95% of itself; cross-entropy < 10%.
    assert quad[49] / quad[0] > 0.95
    assert xent[49] / xent[0] < 0.1
    # Both do learn in the end: the output moves towards y = 0.
    assert quad[-1] < 0.1 * quad[0] and xent[-1] < 0.01 * xent[0]


def test_stateless_train_saves_nothing_and_refuses_clearly(shared_client):
    before = shared_client.get("/api/networks").json()
    net = {"sizes": [1, 1], "activations": ["sigmoid"], "cost": "quadratic"}
    net |= {"weights": [[[2.0]]], "biases": [[2.0]]}
    body = {"network": net, "samples": {"x": [[1]], "y": [[0]]}, "learning_rate": 0.5, "steps": 3}
    r = shared_client.post("/api/train", json=body)
    assert r.status_code == 200 and len(r.json()["loss"]) == 3
    assert r.json()["network"]["weights"][0][0][0] < 2.0
    assert shared_client.get("/api/networks").json() == before
    r = shared_client.post("/api/train", json={**body, "steps": None, "epochs": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "steps"
    r = shared_client.post("/api/train", json={**body, "if_version": 3})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "if_version"


def _post(client):
    def post(path, body):
        r = client.post(path, json=body)
        assert r.status_code == 200, r.text
        return r.json()

    return post


def test_every_equation_adds_up(shared_client):
    """Where a step's equation ends in arithmetic on its live values (a product of factors,
    a sum of branches), that arithmetic gives the result it claims, to float precision: the
    lessons cannot point a placeholder at the wrong number."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
    from lesson_expect import expected

    checked = 0
    for lesson_id in SEVEN:
        lesson = shared_client.get(f"/api/lessons/{lesson_id}").json()
        for i, step in enumerate(lesson["steps"]):
            if not step.get("equation"):
                continue
            *_, expr, result = step["equation"].split(" = ")
            arithmetic = re.fullmatch(r"[{}\w\s+()\\cdot]+", expr)
            if not arithmetic or not re.fullmatch(r"\{\w+\}", result):
                continue
            values = expected(_post(shared_client), lesson, i)["values"]
            got = _evaluate(expr, values)
            assert got == pytest.approx(values[result.strip("{}")], rel=1e-9), (lesson_id, i)
            checked += 1
    assert checked >= 10


def _evaluate(expr: str, values: dict) -> float:
    python = re.sub(r"\{(\w+)\}", lambda m: repr(values[m[1]]), expr).replace("\\cdot", "*")
    return eval(python, {"__builtins__": {}})  # only numbers, + * and brackets
