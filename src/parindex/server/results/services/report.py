"""The content of the national report and of a unit's report card, worded in the reader's
language from the same page objects (ranking, profile) the public pages show."""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext as _

from parindex.core.errors import ParindexError
from parindex.reports.charts.geomap import with_boundaries
from parindex.reports.results_report import Cell, ReportContent, Section
from parindex.server.results.services.profile import UnitProfile, unit_profile
from parindex.server.results.services.tables import RankingPage, ranking_page


class ReportError(ParindexError, LookupError):
    """Nothing published for what the report asks."""


def _common(title: str, subtitle: str, synthetic: bool, lang: str) -> dict[str, object]:
    return {
        "title": title,
        "subtitle": subtitle,
        "issuer": _("parindex — open platform for public-administration indices"),
        "footer": subtitle,
        "lang": lang,
        "synthetic": synthetic,
        "synthetic_note": _(
            "Synthetic data generated for the demonstration: not official results."
        ),
    }


def national_report(index: str, year: int, lang: str) -> ReportContent:
    with translation.override(lang):
        page = ranking_page(index, year)
        if page is None:
            raise ReportError(
                _("nothing published for {index} {year}").format(index=index, year=year)
            )
        title = f"{page.index_label} {year}"
        sections = [
            Section(
                _("Summary"),
                "table",
                [_("Average"), _("Score"), _("Units")],
                [[a.label, a.value, a.units] for a in page.averages]
                + (
                    [
                        [
                            _("National average as stated by the source"),
                            float(page.stated["national_average"]),
                            None,
                        ]
                    ]
                    if page.stated.get("national_average")
                    else []
                ),
                [False, True, True],
            ),
            Section(
                _("Units per group"),
                "table",
                [_("Group"), _("Units")],
                [[g, n] for g, n in page.groups],
                [False, True],
            ),
        ]
        sections += _regional(page)
        for name in ("map", "distribution", "trend"):
            if name in page.specs:
                sections.append(Section(page.specs[name]["title"], "chart", spec=page.specs[name]))
            if name == "map" and "geomap" in page.specs and page.boundary_file is not None:
                # The page's spec loads the boundaries from the site; the PDF carries them.
                document = json.loads(page.boundary_file.body)
                spec = with_boundaries(page.specs["geomap"], document)
                sections.append(Section(spec["title"], "chart", spec=spec, height="17cm"))
        columns = [_("Rank"), _("Unit"), _("Score"), _("Group"), _("Change (points)")]
        sections.append(
            Section(
                _("Ranking"),
                "table",
                columns + [c.name for c in page.columns],
                [
                    [r.rank_label, r.name, r.pct, r.group, r.change_pct, *r.fields]
                    for r in page.rows
                ],
                [True, False, True, False, True] + [True] * len(page.columns),
                note=page.publication.source,
            )
        )
        return ReportContent(
            **_common(title, page.publication.title, page.publication.synthetic, lang),  # type: ignore[arg-type]
            sections=tuple(sections),
        )


def _regional(page: RankingPage) -> list[Section]:
    """The averages by socio-economic region, as a table and as the page's chart."""
    if not page.regional:
        return []
    found = [
        Section(
            _("Averages by socio-economic region"),
            "table",
            [_("Socio-economic region"), _("Average"), _("Units")],
            [[a.name, a.value, a.units] for a in page.regional],
            [False, True, True],
            note=_("Unweighted mean of the published scores of each region's units."),
            sheet=_("Regional averages"),
        )
    ]
    if "regions" in page.specs:
        spec = page.specs["regions"]
        found.append(Section(spec["title"], "chart", spec=spec, width="75%"))
    return found


def unit_report(index: str, ref: str, lang: str) -> ReportContent:
    with translation.override(lang):
        profile = unit_profile(index, ref)
        if profile is None:
            raise ReportError(
                _("nothing published for {unit} in {index}").format(unit=ref, index=index)
            )
        publication = profile.publication
        facts: list[list[Cell]] = [
            [_("Score"), profile.row.pct],
            [_("Rank"), profile.row.rank_label],
            [_("Group"), profile.row.group or None],
        ]
        if (region := profile.region) is not None:
            facts += [
                [_("Socio-economic region"), region.name],
                [_("Regional average"), region.value],
                [_("Units of the region with a published score"), region.units],
            ]
        sections = [
            Section(profile.index_label, "facts", rows=facts),
            _history(profile),
        ]
        if "history" in profile.specs:
            sections.append(
                Section(profile.specs["history"]["title"], "chart", spec=profile.specs["history"])
            )
        sections.append(
            Section(
                _("Fields"),
                "table",
                [
                    _("Field"),
                    _("Score"),
                    _("Change (points)"),
                    _("Points lost"),
                    _("Best unit"),
                    _("Peer median"),
                ],
                [[f.name, f.pct, f.change, f.lost, f.best, f.peer_median] for f in profile.fields],
                [False, True, True, True, True, True],
            )
        )
        if profile.components:
            sections.append(
                Section(
                    _("Where the points were lost"),
                    "table",
                    [
                        _("Component"),
                        _("Points"),
                        _("Maximum"),
                        _("Points lost"),
                        _("Behind the best unit"),
                        _("Behind the peer median"),
                    ],
                    [
                        [
                            f"{c.node} {c.name}",
                            c.points,
                            c.max_points,
                            c.lost,
                            c.behind_best,
                            c.behind_median,
                        ]
                        for c in profile.components
                    ],
                    [False, True, True, True, True, True],
                )
            )
        return ReportContent(
            **_common(  # type: ignore[arg-type]
                profile.unit.name,
                f"{profile.index_label} {publication.year}",
                publication.synthetic,
                lang,
            ),
            sections=tuple(sections),
        )


def _history(profile: UnitProfile) -> Section:
    """Score, rank and group per year beside the national and, for a province, the regional
    average of that year."""
    regional = profile.region is not None
    columns = [_("Year"), _("Score"), _("Rank"), _("Group"), _("National average")]
    columns += [_("Regional average")] if regional else []
    return Section(
        _("History"),
        "table",
        [*columns, _("Method")],
        [
            [
                str(h.year),
                h.pct,
                h.rank_label,
                h.group,
                h.average,
                *([h.regional] if regional else []),
                h.method,
            ]
            for h in profile.history
        ],
        [False, True, True, False, True, *([True] if regional else []), False],
    )
