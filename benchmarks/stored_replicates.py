"""Why a cycle's rank intervals are stored and computed off the request: the survey's bootstrap
replicates of a national officials' survey (63 provinces × 6 agencies × 5 officials, the 14
survey components of PAR INDEX 2023), their compressed size and read-back time, and the whole
rank-interval computation of 63 provinces with them.

Run: uv run python benchmarks/stored_replicates.py
"""

from __future__ import annotations

import io
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from uncertainty import edition, inputs  # the sibling benchmark (run from this folder or the root)

from parindex.core.scoring.draws import draws_from_estimates
from parindex.core.scoring.uncertainty import rank_intervals
from parindex.core.surveys import SurveyDesign
from parindex.core.surveys.replicates import ReplicateEstimates, bootstrap, replicate_estimate

PROVINCES, AGENCIES, OFFICIALS, REPLICATES = 63, 6, 5, 2000


def main() -> None:
    rng = np.random.default_rng(15)
    table, _ = inputs()
    nodes = [n.id for _f, _c, n in edition().scored() if n.source == "survey:officials"]
    rows = PROVINCES * AGENCIES * OFFICIALS
    strata = np.repeat(table.units, AGENCIES * OFFICIALS)
    agencies = [
        f"{s}-{k // OFFICIALS}"
        for s, k in zip(strata, np.tile(np.arange(30), PROVINCES), strict=True)
    ]
    design = SurveyDesign.from_columns(
        rows, weights=np.full(rows, 10.0), strata=list(strata), clusters=[agencies]
    )
    y = rng.choice([1.0, 0.6, 0.2, 0.0], size=(rows, len(nodes)), p=[0.4, 0.3, 0.2, 0.1])
    domains = np.repeat(np.arange(PROVINCES), AGENCIES * OFFICIALS)
    start = time.perf_counter()
    weights = bootstrap(design, REPLICATES, seed=1)
    found = replicate_estimate(
        weights, y, domains=domains, domain_labels=table.units, variables=tuple(nodes)
    )
    replicated = time.perf_counter() - start
    buffer = io.BytesIO()
    start = time.perf_counter()
    np.savez_compressed(buffer, estimate=found.estimate, replicates=found.replicates, se=found.se)
    packed = time.perf_counter() - start
    start = time.perf_counter()
    with np.load(io.BytesIO(buffer.getvalue())) as arrays:
        back = ReplicateEstimates(
            found.domains, found.variables, arrays["estimate"], arrays["replicates"], arrays["se"]
        )
    read = time.perf_counter() - start
    start = time.perf_counter()
    result = rank_intervals(table, draws=draws_from_estimates(back, table), replicates=REPLICATES)
    intervals = time.perf_counter() - start
    assert len(result.units) == PROVINCES
    print(f"machine: {platform.machine()}, {platform.python_version()}")
    print(f"survey: {rows} officials, {len(nodes)} components, {REPLICATES} bootstrap replicates")
    print(f"replicate estimates      {replicated * 1000:8.0f} ms")
    print(
        f"compressed (npz)         {packed * 1000:8.0f} ms  {len(buffer.getvalue()) / 1e6:.1f} MB"
    )
    print(f"read back                {read * 1000:8.0f} ms")
    print(f"rank intervals (63 × 88) {intervals * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
