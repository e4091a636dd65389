"""The determination's pages, one module per page family. Each view parses the request, calls
one service (permission checks are made there, through ``services.visibility``) and renders a
typed context (``views.page.render_page``)."""

from __future__ import annotations

from parindex.server.assessments.views.administration import cycle_new, cycle_settings
from parindex.server.assessments.views.assessment import (
    assessment_detail,
    evidence_file,
    rule_points,
    transition,
)
from parindex.server.assessments.views.cycles import council_table, cycle_detail, cycle_list
from parindex.server.assessments.views.downloads import appraisal_table, unit_sheet
from parindex.server.assessments.views.field import field_page
from parindex.server.assessments.views.publication import (
    preview,
    publish,
    published,
    survey_points,
)

__all__ = [
    "appraisal_table",
    "assessment_detail",
    "council_table",
    "cycle_detail",
    "cycle_list",
    "cycle_new",
    "cycle_settings",
    "evidence_file",
    "field_page",
    "preview",
    "publish",
    "published",
    "rule_points",
    "survey_points",
    "transition",
    "unit_sheet",
]
