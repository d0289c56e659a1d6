"""Learners for `make loadtest` (bench/loadtest.py starts the server and runs this).

A Learner opens the page and its static files, then does what a student does between
reading: picks samples, inspects them (backprop), looks at paths and nudges a weight, on a
network of its own (a copy of the digits demo: on a shared server the demos are
read-only). A Player does the same set-up and then plays training: one train request
after another, each of about a quarter of a second's steps, as the page's play loop does.
Interactive calls are named "interactive: ..." so the driver can take their p95 apart
from training's.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, constant, task

STATIC = [
    "/static/js/main.js",
    "/static/css/app.css",
    "/static/vendor/katex/katex.min.js",
    "/static/vendor/katex/katex.min.css",
]
TRAIN_STEPS = int(os.environ.get("LOAD_TRAIN_STEPS", "60"))


def open_page(user) -> None:
    user.client.get("/", name="page")
    for path in STATIC:
        user.client.get(path, name="static")
    listed = user.client.get("/api/networks", name="networks").json()
    user.client.get("/api/datasets", name="datasets")
    demo = next(n for n in listed if n["dataset"] == "digits")
    copy = user.client.post(f"/api/networks/{demo['id']}/copy", name="copy")
    user.nid = copy.json()["id"]
    user.sample = user.client.get(
        "/api/datasets/digits", params={"offset": 0, "limit": 1}, name="sample"
    ).json()


class Learner(HttpUser):
    wait_time = between(1, 3)  # reading what the page shows

    def on_start(self):
        open_page(self)

    def body(self) -> dict:
        return {"x": self.sample["x"][0], "y": self.sample["y"][0]}

    @task(3)
    def pick_sample(self):
        offset = random.randrange(1797)
        self.sample = self.client.get(
            "/api/datasets/digits",
            params={"offset": offset, "limit": 1},
            name="interactive: sample",
        ).json()
        self.client.post(
            f"/api/networks/{self.nid}/backprop", json=self.body(), name="interactive: backprop"
        )

    @task(4)
    def inspect(self):
        self.client.post(
            f"/api/networks/{self.nid}/backprop", json=self.body(), name="interactive: backprop"
        )

    @task(2)
    def paths(self):
        target = {"kind": "weight", "layer": 1, "j": random.randrange(16), "k": 30}
        self.client.post(
            f"/api/networks/{self.nid}/paths",
            json=self.body() | {"target": target, "mode": "all"},
            name="interactive: paths",
        )

    @task(2)
    def nudge(self):
        target = {"kind": "weight", "layer": 2, "j": random.randrange(10), "k": 3}
        self.client.post(
            f"/api/networks/{self.nid}/nudge",
            json=self.body() | {"target": target, "delta": 0.05},
            name="interactive: nudge",
        )


class Player(HttpUser):
    wait_time = constant(0)  # the next request goes out as soon as one is answered
    fixed_count = int(os.environ.get("LOAD_PLAYERS", "0"))

    def on_start(self):
        open_page(self)
        self.version = None

    @task
    def play(self):
        r = self.client.post(
            f"/api/networks/{self.nid}/train",
            json={
                "dataset": "digits",
                "learning_rate": 3,
                "batch_size": 10,
                "steps": TRAIN_STEPS,
                "seed": random.randrange(2**31),
            },
            name="train",
        )
        if r.ok:
            self.version = r.json()["version"]
