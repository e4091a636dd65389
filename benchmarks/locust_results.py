"""Locust users reading the public results: the ranking page, a unit's profile, and a static
file as the reference served by the same server (see benchmarks/results_pages.py)."""

from __future__ import annotations

import random

from locust import HttpUser, between, task

PROVINCES = [f"province:{code:02d}" for code in (1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22)]


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    @task(3)
    def ranking(self) -> None:
        self.client.get("/results/par-index-province/2024/", name="ranking")

    @task(3)
    def unit(self) -> None:
        ref = random.choice(PROVINCES)
        self.client.get(f"/results/par-index-province/unit/{ref}/", name="unit")

    @task(1)
    def reference(self) -> None:
        self.client.get("/static/parindex/site.css", name="static (reference)")
