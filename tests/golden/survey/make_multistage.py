"""Generates multistage.csv: a stratified three-stage household sample with fpc at every stage
(region → commune → village → household), a 5-point item with missing answers and a numeric
variable. Fixed seed; run from the repository root: uv run python tests/golden/survey/make_multistage.py
"""

import csv

import numpy as np

rng = np.random.default_rng(20231211)
rows = []
for region in ("north", "centre", "south"):
    communes_in_population = int(rng.integers(20, 40))
    for commune in range(int(rng.integers(3, 5))):
        villages_in_population = int(rng.integers(6, 12))
        for village in range(int(rng.integers(2, 4))):
            households_in_population = int(rng.integers(80, 200))
            province = f"P{(commune + village) % 3}"
            for household in range(int(rng.integers(4, 8))):
                answer = int(rng.choice([1, 2, 3, 4, 5], p=[0.05, 0.1, 0.2, 0.45, 0.2]))
                rows.append(
                    {
                        "region": region,
                        "commune": f"{region}-{commune}",
                        "village": f"v{village}",
                        "household": f"h{household}",
                        "province": province,
                        "fpc1": communes_in_population,
                        "fpc2": villages_in_population,
                        "fpc3": households_in_population,
                        "q9": "" if rng.random() < 0.08 else answer,
                        "income": round(float(rng.lognormal(2.0, 0.6)), 3),
                        "members": int(rng.integers(1, 7)),
                    }
                )
with open("tests/golden/survey/multistage.csv", "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
print(len(rows), "rows")
