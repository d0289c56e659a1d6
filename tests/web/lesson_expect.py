"""What a lesson step should show, computed through the API as the page would (the same
source paths as static/js/lessons/values.js), for the browser tests to compare against."""

from __future__ import annotations

import math


def target_of(sel: str | None) -> dict | None:
    if not sel:
        return None
    kind, *n = sel.split(":")
    n = [int(v) for v in n]
    if kind == "w":
        return {"kind": "weight", "layer": n[0], "j": n[1], "k": n[2]}
    if kind == "b":
        return {"kind": "bias", "layer": n[0], "j": n[1]}
    return {"kind": "activation", "layer": n[0], "j": n[1]}


def fits(sample: dict, sizes: list[int]) -> bool:
    return len(sample["x"]) == sizes[0] and len(sample["y"]) == sizes[-1]


def resolve(ctx, path: str):
    v = ctx
    for part in path.split("."):
        if v is None:
            return None
        v = v[int(part)] if isinstance(v, list) else v.get(part)
    return v


def expected(post, lesson: dict, index: int, dw: float = 0.1) -> dict:
    """Every value of step `index` (name -> number), and the answers they came from.
    `post(path, body)` posts to the API and returns the JSON answer."""
    step = lesson["steps"][index]
    net = lesson["networks"][step["network"]]
    sample = lesson["samples"][step["sample"]]
    x, y = sample["x"], sample["y"]
    target = target_of(step.get("select"))
    action = step.get("action") or {}
    if action.get("kind") == "nudge":
        dw = action["delta"]
    sources = {v.split(".")[0] for v in step["values"].values()}
    if step.get("figure"):
        sources.add("train" if action.get("kind") == "train" else "norms")
    body = {"network": net, "x": x, "y": y}
    ctx: dict = {"net": net, "input": {"x": x, "y": y, "dw": dw}}
    ctx["backprop"] = post("/api/backprop", body)
    ctx["norms"] = [
        None
        if layer.get("grad_w") is None
        else math.sqrt(sum(v * v for row in layer["grad_w"] for v in row))
        for layer in ctx["backprop"]["layers"]
    ]
    fit = [s for s in lesson["samples"] if fits(s, net["sizes"])]
    if "each" in sources:
        each = [{"network": net, "x": s["x"], "y": s["y"]} for s in fit]
        ctx["each"] = [post("/api/backprop", b) for b in each]
    if "batch" in sources:
        xs, ys = [s["x"] for s in fit], [s["y"] for s in fit]
        ctx["batch"] = post("/api/backprop", {"network": net, "x": xs, "y": ys})
    if "paths" in sources:
        ctx["paths"] = post("/api/paths", {**body, "target": target, "mode": "top", "limit": 10})
    if "nudge" in sources:
        ctx["nudge"] = post("/api/nudge", {**body, "target": target, "delta": dw})
    if "gradcheck" in sources:
        ctx["gradcheck"] = post("/api/gradcheck", body)
    if "tree" in sources:
        ctx["tree"] = post("/api/tree", {**body, "target": target, "max_branches": 4})
    if "train" in sources:
        ctx["train"] = {}
        for name in action["networks"]:
            spec = lesson["networks"][name]
            s = [v for v in lesson["samples"] if fits(v, spec["sizes"])]
            ctx["train"][name] = post(
                "/api/train",
                {
                    "network": spec,
                    "samples": {"x": [v["x"] for v in s], "y": [v["y"] for v in s]},
                    "learning_rate": action["learning_rate"],
                    "batch_size": len(s),
                    "steps": action["steps"],
                },
            )
    values = {name: resolve(ctx, path) for name, path in step["values"].items()}
    return {"values": values, "ctx": ctx}


# Wall-clock timings differ run to run: the page must show a positive number, not this one.
def timed(path: str) -> bool:
    return path.startswith("gradcheck.seconds")
