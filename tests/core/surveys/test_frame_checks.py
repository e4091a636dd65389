"""A frame is checked before anything is drawn, and the draw's grouping (linear in the frame)
selects exactly what the former per-stratum scan selected."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core.surveys.frame import StageSpec, draw
from parindex.core.surveys.sampling import simple_random, systematic_pps
from parindex.core.tabular import Table, TableError, read_table


def frame(text: str) -> Table:
    return read_table(Path("khung.csv"), text.encode())


@pytest.mark.parametrize(
    ("text", "stages", "message"),
    [
        pytest.param(
            "tinh,xa,ho\nA,X1,1\nA,X1,2\nA,X1,1\n",
            [StageSpec("xa", 1)],
            "khung.csv, row 4: repeats row 2 (the same unit listed twice)",
            id="a household listed twice",
        ),
        pytest.param(
            "tinh,xa,ho\nA,X1,1\n,X1,2\n",
            [StageSpec("xa", 1)],
            "khung.csv, row 3: column 'tinh' is empty",
            id="a row without its stratum",
        ),
        pytest.param(
            "tinh,xa,ho\nA,X1,1\nA,,2\n",
            [StageSpec("xa", 1)],
            "khung.csv, row 3: column 'xa' is empty",
            id="a row without its commune",
        ),
        pytest.param(
            "tinh,xa,ho\nA,X1,1\n",
            [StageSpec("tinh", 1)],
            "khung.csv: column 'tinh' is used twice in the design",
            id="the stratum column used as a stage",
        ),
    ],
)
def test_a_faulty_frame_draws_nothing(text: str, stages: list[StageSpec], message: str) -> None:
    with pytest.raises(TableError) as refused:
        draw(frame(text), strata="tinh", stages=stages, final_take=1, seed=1)
    assert str(refused.value) == message


def scan_draw(
    table: Table, strata: str, stages: Sequence[StageSpec], final_take: int, seed: int
) -> tuple[list[int], list[float]]:
    """The draw as it was before issue 13: a boolean scan of the frame per stratum and per
    cluster (O(n × strata)); kept here as the reference for the grouping that replaced it."""
    rng = np.random.default_rng(seed)
    stratum_of = np.array(table.column(strata), dtype=object)
    codes = [np.array(table.column(s.column), dtype=object) for s in stages]
    chosen: list[int] = []
    probability: list[float] = []

    def descend(members: np.ndarray, depth: int, p: float) -> None:  # type: ignore[type-arg]
        if depth == len(stages):
            take = min(final_take, len(members))
            for row in members[simple_random(len(members), take, rng).indices]:
                chosen.append(int(row))
                probability.append(p * take / len(members))
            return
        stage = stages[depth]
        labels, inverse, sizes = np.unique(
            codes[depth][members].astype(str), return_inverse=True, return_counts=True
        )
        take = min(stage.take, len(labels))
        if stage.method == "pps":
            selection = systematic_pps(sizes.astype(float), take, rng)
        else:
            selection = simple_random(len(labels), take, rng)
        for index, p_cluster in zip(selection.indices, selection.probabilities, strict=True):
            descend(members[inverse == index], depth + 1, p * float(p_cluster))

    for stratum in sorted(set(stratum_of)):
        descend(np.flatnonzero(stratum_of == stratum), 0, 1.0)
    order = np.argsort(chosen, kind="stable")
    return [chosen[i] for i in order], [probability[i] for i in order]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from("ABCDE"), st.integers(0, 6), st.integers(0, 3)),
        min_size=1,
        max_size=120,
    ),
    takes=st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 5)),
    pps=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_grouped_draw_selects_what_the_scan_selected(
    rows: list[tuple[str, int, int]], takes: tuple[int, int, int], pps: bool, seed: int
) -> None:
    lines = ["tinh,xa,thon,ho"] + [f"{s},X{c},T{v},{n}" for n, (s, c, v) in enumerate(rows)]
    table = frame("\n".join(lines) + "\n")
    stages = [StageSpec("xa", takes[0], "pps" if pps else "srs"), StageSpec("thon", takes[1])]
    sample = draw(table, strata="tinh", stages=stages, final_take=takes[2], seed=seed)
    rows_drawn, probabilities = scan_draw(table, "tinh", stages, takes[2], seed)
    assert sample.rows.tolist() == rows_drawn
    assert sample.probability.tolist() == pytest.approx(probabilities, rel=1e-12)
