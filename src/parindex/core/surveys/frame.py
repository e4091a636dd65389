"""Sampling frames: the list a sample is drawn from, read from CSV or Excel, and the draw itself.

A frame has one row per final unit (a household, or a dossier from a one-stop system) and
columns naming its stratum and the cluster it sits in at each stage (commune, village …).
Codes need only be unique within their parent, as statistical offices publish them.

``draw`` selects within each stratum, stage by stage: ``take`` clusters per parent at each stage
(equal probability, or probability proportional to the number of final units under them), then
``final_take`` rows per last-stage cluster (or per stratum for a one-stage design). The result
carries the inclusion probabilities and, stage by stage, the population counts ``--fpc`` needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parindex.core.errors import ParindexError
from parindex.core.surveys.sampling import simple_random, systematic_pps


class FrameError(ParindexError):
    """A frame that cannot be read or drawn from; the message names the file, row and column."""


@dataclass(frozen=True)
class Frame:
    source: str
    columns: dict[str, list[str]]

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def column(self, name: str) -> list[str]:
        if name not in self.columns:
            raise FrameError(
                f"{self.source}: no column '{name}' (columns: {', '.join(self.columns)})"
            )
        values = self.columns[name]
        for row, value in enumerate(values, start=2):
            if not value:
                raise FrameError(f"{self.source}, row {row}: column '{name}' is empty")
        return values


def read_frame(path: Path, content: bytes | None = None) -> Frame:
    """A frame from a ``.csv`` (UTF-8, comma or semicolon) or ``.xlsx`` file (first sheet), its
    first row the column names. ``content`` is the file's bytes when it came as an upload."""
    data = path.read_bytes() if content is None else content
    source = path.name
    if path.suffix.lower() == ".xlsx":
        header, body = _xlsx_rows(data, source)
    elif path.suffix.lower() == ".csv":
        header, body = _csv_rows(data, source)
    else:
        raise FrameError(f"{source}: a frame is a .csv or .xlsx file")
    if not header or any(not name for name in header):
        raise FrameError(f"{source}, row 1: every column needs a name")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise FrameError(f"{source}, row 1: column '{duplicated[0]}' appears twice")
    if not body:
        raise FrameError(f"{source}: the frame has no rows")
    columns: dict[str, list[str]] = {name: [] for name in header}
    for row, values in enumerate(body, start=2):
        if len(values) > len(header) and any(values[len(header) :]):
            raise FrameError(f"{source}, row {row}: more values than column names")
        for k, name in enumerate(header):
            columns[name].append(values[k] if k < len(values) else "")
    return Frame(source, columns)


def _csv_rows(data: bytes, source: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameError(
            f"{source}: not UTF-8 text (byte {error.start}); save the file as CSV UTF-8"
        ) from None
    # Excel in a Vietnamese locale saves CSV with semicolons (the comma is the decimal mark).
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [[value.strip() for value in row] for row in rows if any(v.strip() for v in row)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _xlsx_rows(data: bytes, source: str) -> tuple[list[str], list[list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise FrameError(f"{source}: not an Excel workbook (.xlsx)") from None
    sheet = book.worksheets[0]
    rows = [
        [_cell_text(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
        if any(value not in (None, "") for value in row)
    ]
    book.close()
    return (rows[0], rows[1:]) if rows else ([], [])


def _cell_text(value: object) -> str:
    # Excel turns codes such as 00123 into numbers; a whole float is written back as an integer.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class StageSpec:
    """One stage of clusters: the frame column naming them and how many to take per parent."""

    column: str
    take: int
    method: Literal["srs", "pps"] = "srs"


@dataclass(frozen=True, eq=False)
class FrameSample:
    rows: NDArray[np.int64]
    """Frame rows drawn, in frame order."""
    strata: tuple[str, ...]
    clusters: tuple[tuple[str, ...], ...]
    """Per stage (outermost first, the final units last): each drawn row's code at that stage."""
    population: tuple[tuple[float, ...], ...]
    """Per stage: units in the population of the row's parent (the fpc); NaN from the first
    PPS stage on, where variance is estimated as with replacement (no fpc), as is usual."""
    probability: NDArray[np.float64]


def draw(
    frame: Frame,
    *,
    strata: str | None,
    stages: Sequence[StageSpec],
    final_take: int,
    seed: int,
) -> FrameSample:
    """Select from ``frame``; the same frame, design and seed always give the same sample."""
    if final_take < 1 or any(stage.take < 1 for stage in stages):
        raise FrameError("every stage must take at least one unit")
    rng = np.random.default_rng(seed)
    n = frame.rows
    stratum_of = np.array(frame.column(strata) if strata else [""] * n, dtype=object)
    codes = [np.array(frame.column(stage.column), dtype=object) for stage in stages]
    chosen: list[int] = []
    probability: list[float] = []
    fpc: list[list[float]] = [[] for _ in range(len(stages) + 1)]
    clusters: list[list[str]] = [[] for _ in range(len(stages) + 1)]

    def descend(members: NDArray[np.int64], depth: int, p: float, counts: list[float]) -> None:
        if depth == len(stages):
            take = min(final_take, len(members))
            picked = members[simple_random(len(members), take, rng).indices]
            without_fpc = any(np.isnan(c) for c in counts)
            for row in picked:
                chosen.append(int(row))
                probability.append(p * take / len(members))
                for k, count in enumerate([*counts, np.nan if without_fpc else len(members)]):
                    fpc[k].append(count)
                for k in range(len(stages)):
                    clusters[k].append(str(codes[k][row]))
                clusters[-1].append(str(row + 2))  # the frame row: unique, and findable
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
        after_pps = stage.method == "pps" or any(np.isnan(c) for c in counts)
        count = np.nan if after_pps else float(len(labels))
        for index, p_cluster in zip(selection.indices, selection.probabilities, strict=True):
            descend(members[inverse == index], depth + 1, p * float(p_cluster), [*counts, count])

    for stratum in sorted(set(stratum_of)):
        descend(np.flatnonzero(stratum_of == stratum).astype(np.int64), 0, 1.0, [])
    order = np.argsort(chosen, kind="stable")
    rows = np.array(chosen, dtype=np.int64)[order]
    return FrameSample(
        rows,
        tuple(str(stratum_of[r]) for r in rows),
        tuple(tuple(stage[i] for i in order) for stage in clusters),
        tuple(tuple(stage[i] for i in order) for stage in fpc),
        np.array(probability)[order],
    )
