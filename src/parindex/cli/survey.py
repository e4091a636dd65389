"""``parindex survey``: design-based estimates from a CSV (``estimate``), and exports of
collected ballots taken into a survey (``import``).

    parindex survey estimate --data FILE.csv [--strata COL] [--cluster COL[,COL...]]
        [--weight COL] [--fpc COL[,COL...]] [--mean A,B,...] [--proportion X=V,Y=V,...]
        [--items ITEMS.csv] [--questionnaire ID --edition ID] [--by COL]
        [--ci wald|logit|wilson|beta] [--level 0.95] [--lonely-psu ...] --out OUT.csv

Clusters and fpc columns are given outermost first, as in R. The output is one long table,
``variable,domain,estimate,se,ci_low,ci_high,n,df,deff`` (domain ``all`` without ``--by``),
numbers at full precision. Empty cells and ``NA`` are missing: such rows leave that variable's
estimate (R's ``na.rm=TRUE``); a row with no ``--by`` value belongs to no domain (as in R's
``svyby``).

Nothing heavy is imported until a command runs: ``parindex --help`` must stay fast.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.core.errors import ParindexError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from parindex.core.surveys.estimate import Estimates
    from parindex.core.tabular import Table

KOBO_CODE = "ballot_code"  # core.surveys.exports.KOBO_CODE, not imported: --help stays fast
KOBO_TIME = "_submission_time"
COLUMNS = ["variable", "domain", "estimate", "se", "ci_low", "ci_high", "n", "df", "deff"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="survey estimates with design-based standard errors")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    est = actions.add_parser(
        "estimate", help="means and proportions of many variables, overall or by domain"
    )
    est.add_argument("--data", type=Path, required=True, help="CSV with one row per respondent")
    est.add_argument("--strata", help="stratum column")
    est.add_argument("--cluster", help="cluster columns by stage, outermost first: COL[,COL...]")
    est.add_argument("--weight", help="weight column (default: from --fpc, else equal weights)")
    est.add_argument(
        "--fpc", help="fpc columns, one per cluster stage: population counts or fractions"
    )
    est.add_argument("--mean", metavar="A,B,...", help="numeric columns to average")
    est.add_argument(
        "--proportion",
        metavar="X=V,Y=V,...",
        help="shares of respondents answering V (several: q1=5,q2=5)",
    )
    est.add_argument(
        "--items",
        type=Path,
        metavar="ITEMS.csv",
        help="variables from a file: column 'variable', and 'value' for a proportion",
    )
    est.add_argument(
        "--questionnaire",
        metavar="ID",
        help="every scored question of a shipped questionnaire (with --edition): items, "
        "groups, contents and the index",
    )
    est.add_argument("--edition", metavar="ID", help="edition scoring --questionnaire")
    est.add_argument("--by", help="domain column (e.g. province)")
    est.add_argument(
        "--ci",
        choices=["wald", "logit", "wilson", "beta"],
        help="interval of proportions: logit (default, R's svyciprop), beta, wilson, wald; "
        "means always get wald",
    )
    est.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    est.add_argument(
        "--lonely-psu",
        choices=["fail", "remove", "certainty", "adjust", "average"],
        default="fail",
        help="a stratum with one PSU: fail (R's default), remove, certainty, adjust or average",
    )
    est.add_argument("--out", type=Path, required=True, help="CSV to write")

    take = actions.add_parser(
        "import", help="take in a CSV or Excel export (Kobo, ODK, data entry) for a survey"
    )
    take.add_argument("--survey", required=True, help="survey identifier (slug)")
    take.add_argument(
        "--file", type=Path, required=True, help="CSV or .xlsx with one row per submission"
    )
    take.add_argument(
        "--code-column", default=KOBO_CODE, help=f"column of the ballot code ({KOBO_CODE})"
    )
    take.add_argument(
        "--time-column",
        default=KOBO_TIME,
        help=f"column of the submission time, ISO 8601 ({KOBO_TIME})",
    )
    take.add_argument(
        "--channel", default="csv", help="channel recorded with each submission (csv)"
    )


class InputError(ParindexError):
    """An option or input file the command cannot use; the message says which and why."""


@dataclass(frozen=True)
class Variable:
    name: str
    column: str
    value: str | None
    """The answer counted, for a proportion; ``None`` for a mean."""


def _columns(spec: str | None) -> list[str]:
    return [c.strip() for c in spec.split(",") if c.strip()] if spec else []


def run(args: argparse.Namespace) -> int:
    if args.action == "import":
        return _import(args)
    from parindex.core.surveys.design import DesignError
    from parindex.core.tabular import TableError

    try:
        return _estimate(args)
    except (InputError, TableError, DesignError, OSError, ValueError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"parindex survey estimate: {message}; nothing written", file=sys.stderr)
        return 1


def _variables(args: argparse.Namespace) -> list[Variable]:
    found = [Variable(name, name, None) for name in _columns(args.mean)]
    for spec in _columns(args.proportion):
        column, _, value = spec.partition("=")
        if not value:
            raise InputError(f"--proportion takes VAR=VALUE, e.g. q9_15=5 (got '{spec}')")
        found.append(Variable(spec, column.strip(), value.strip()))
    if args.items:
        from parindex.core.tabular import read_table

        items = read_table(args.items)
        names = items.column("variable")
        values = items.column_text("value") if "value" in items.columns else [""] * len(names)
        for name, value in zip(names, values, strict=True):
            found.append(Variable(f"{name}={value}" if value else name, name, value or None))
    return found


def _estimate(args: argparse.Namespace) -> int:
    if not 0 < args.level < 1:
        raise InputError(
            f"--level is a fraction between 0 and 1, e.g. 0.95 for 95 %, not {args.level:g}"
        )
    variables = _variables(args)
    if not variables and not args.questionnaire:
        raise InputError(
            "nothing to estimate: give --mean, --proportion, --items or --questionnaire"
        )
    if args.questionnaire and not args.edition:
        raise InputError("--questionnaire needs the --edition that scores it, e.g. sipas/2023")

    import numpy as np

    from parindex.core.surveys.design import SurveyDesign
    from parindex.core.surveys.estimate import design_effect, estimate
    from parindex.core.tabular import read_table

    table = read_table(args.data)
    clusters, fpcs = _columns(args.cluster), _columns(args.fpc)
    needed = [args.strata, args.weight, args.by, *clusters, *fpcs, *(v.column for v in variables)]
    missing = [c for c in needed if c and c not in table.columns]
    if missing:
        raise InputError(
            f"{table.source} has no column '{missing[0]}' (columns: {', '.join(table.columns)})"
        )
    if fpcs and len(fpcs) != max(len(clusters), 1):
        raise InputError(
            f"{len(fpcs)} --fpc column(s) for {max(len(clusters), 1)} stage(s); give one fpc per "
            "--cluster column (R's svydesign refuses the design too)"
        )
    design = SurveyDesign.from_columns(
        table.rows,
        weights=table.numbers(args.weight) if args.weight else None,
        strata=table.column(args.strata) if args.strata else None,
        clusters=[table.column(c) for c in clusters],
        fpc=[table.numbers(c) for c in fpcs],
        lonely_psu=args.lonely_psu,
        strata_name=args.strata or "strata",
        cluster_names=clusters,
        fpc_names=fpcs,
        first_row=2,
    )
    labels, domains, left_out = _domains(table, args.by)
    results: list[tuple[Estimates, list[bool], NDArray[np.float64] | None]] = []
    if variables:
        y = np.column_stack([_values(table, v) for v in variables])
        result = estimate(
            design,
            y,
            domains=domains,
            domain_labels=labels,
            variables=tuple(v.name for v in variables),
        )
        deff = design_effect(design, y, result, domains)
        results.append((result, [v.value is not None for v in variables], deff))
    if args.questionnaire:
        results.append((_questionnaire(args, table, design, domains, labels), [], None))

    written = _write(args, results)
    note = f", {left_out} rows without a {args.by} left out" if left_out else ""
    print(f"wrote {args.out}: {written} estimates, {len(labels)} domains, {table.rows} rows{note}")
    return 0


def _values(table: Table, variable: Variable) -> NDArray[np.float64]:
    import numpy as np

    from parindex.core.tabular import MISSING

    if variable.value is None:
        return table.numbers(variable.column, missing=True)
    # Object arrays: comparing Python strings is cheaper than building fixed-width text.
    text = np.array(table.column_text(variable.column), dtype=object)  # stripped when read
    return np.where(_absent(text, MISSING), np.nan, (text == variable.value).astype(float))


def _absent(text: NDArray[np.object_], missing: frozenset[str]) -> NDArray[np.bool_]:
    import numpy as np

    absent = np.zeros(len(text), dtype=bool)
    for value in missing:
        absent |= text == value
    return absent


def _domains(table: Table, by: str | None) -> tuple[tuple[str, ...], NDArray[np.int64] | None, int]:
    import numpy as np

    from parindex.core.tabular import MISSING

    if not by:
        return ("all",), None, 0
    text = np.array(table.column_text(by), dtype=object)
    absent = _absent(text, MISSING)
    labels, inverse = np.unique(text[~absent], return_inverse=True)
    domains = np.full(len(text), -1, dtype=np.int64)
    domains[~absent] = inverse.reshape(-1)
    return tuple(str(label) for label in labels), domains, int(absent.sum())


def _questionnaire(
    args: argparse.Namespace,
    table: Table,
    design: object,
    domains: NDArray[np.int64] | None,
    labels: tuple[str, ...],
) -> Estimates:
    import numpy as np

    from parindex.core.methodology import load_any
    from parindex.core.surveys.design import SurveyDesign
    from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
    from parindex.core.surveys.scores import survey_estimates

    assert isinstance(design, SurveyDesign)
    path = shipped_questionnaires().get(args.questionnaire) or Path(args.questionnaire)
    if not path.exists():
        known = ", ".join(sorted(shipped_questionnaires()))
        raise InputError(f"no questionnaire '{args.questionnaire}' (shipped: {known})")
    questionnaire = load_questionnaire(path).value
    edition = load_any(args.edition).value
    if questionnaire is None or edition is None:
        raise InputError(
            f"questionnaire {args.questionnaire} or edition {args.edition} does not load"
        )
    scored = {q.node: q.id for q in questionnaire.questions() if q.node}
    absent = [question for question in scored.values() if question not in table.columns]
    if absent:
        raise InputError(
            f"{table.source} has no column '{absent[0]}' for a scored question of "
            f"{questionnaire.id} ({len(absent)} missing)"
        )
    answers = {
        node: np.array(table.column_text(question), dtype=object)
        for node, question in scored.items()
    }
    return survey_estimates(design, answers, edition, domains, labels)


def _write(
    args: argparse.Namespace,
    results: list[tuple[Estimates, list[bool], NDArray[np.float64] | None]],
) -> int:
    import csv

    import numpy as np

    from parindex.core.surveys.intervals import interval

    partial = args.out.with_name(args.out.name + ".partial")
    written = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for result, proportion, deff in results:
            # Questionnaire scores are shares: they get the proportion's interval.
            is_share = np.array(proportion or [True] * len(result.variables))
            share_method = args.ci or "logit"
            bounds = {}
            for method in {share_method, "wald"}:
                bounds[method] = interval(
                    method,  # type: ignore[arg-type]
                    result.estimate,
                    result.se,
                    n=result.n,
                    df=result.df,
                    level=args.level,
                    rows=result.rows,
                )
            for j, name in enumerate(result.variables):
                low, high = bounds[share_method if is_share[j] else "wald"]
                for d, label in enumerate(result.domains):
                    numbers = (result.estimate[d, j], result.se[d, j], low[d, j], high[d, j])
                    writer.writerow(
                        [
                            name,
                            label,
                            *(_full(x) for x in numbers),
                            int(result.n[d, j]),
                            int(result.df[d, j]),
                            "" if deff is None else _full(deff[d, j]),
                        ]
                    )
                    written += 1
    partial.replace(args.out)
    return written


def _full(value: float) -> str:
    return "" if value != value else repr(float(value))


def _import(args: argparse.Namespace) -> int:
    """Everything in the file is taken in or nothing is: a bad row stops the import before it starts."""
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.core.surveys.exports import submissions
    from parindex.core.tabular import TableError, read_table
    from parindex.server.surveys.intake import take_in
    from parindex.server.surveys.models import Survey

    survey = Survey.objects.filter(slug=args.survey).first()
    if survey is None:
        print(
            f"parindex survey import: no survey '{args.survey}'; nothing imported", file=sys.stderr
        )
        return 1
    try:
        table = read_table(args.file)
        batch = submissions(table, args.channel, args.code_column, args.time_column)
    except (TableError, OSError) as error:
        print(f"parindex survey import: {error}; nothing imported", file=sys.stderr)
        return 1
    report = take_in(survey, batch)
    aside = ", ".join(f"{k} {n}" for k, n in sorted(report.kept_aside.items())) or "none"
    print(f"{args.file}: {report.counted} counted; kept aside: {aside}")
    return 0
