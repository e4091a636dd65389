"""The sentences of ``core.scoring.sensitivity`` in the reader's language: the core gives a
message code and parameters, the server says it."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parindex.core.methodology import Edition
from parindex.core.scoring.sensitivity import Statement

SENTENCES = {
    "oat.field_weights.changes": _(
        "With the field weighting “{option}” your rank would be {rank}, not {published}."
    ),
    "oat.field_weights.same": _(
        "With the field weighting “{option}” your rank would stay {published}."
    ),
    "oat.rounding.changes": _(
        "Rounded to {option} decimals your rank would be {rank}, not {published}."
    ),
    "oat.rounding.same": _("Rounded to {option} decimals your rank would stay {published}."),
    "oat.not_applicable.changes": _(
        "With components not applicable counted as “{option}” your rank would be {rank}, not "
        "{published}."
    ),
    "oat.not_applicable.same": _(
        "With components not applicable counted as “{option}” your rank would stay {published}."
    ),
    "oat.survey_aggregation.changes": _(
        "With the survey scored as “{option}” your rank would be {rank}, not {published}."
    ),
    "oat.survey_aggregation.same": _(
        "With the survey scored as “{option}” your rank would stay {published}."
    ),
}

NOT_APPLICABLE = {"rescale": _("left out"), "zero": _("zero"), "full": _("full marks")}


def sentence(statement: Statement, edition: Edition) -> str:
    value = str(statement.params.get("value", statement.params.get("option", "")))
    option = value
    if statement.code.startswith("oat.field_weights") and edition.uncertainty:
        english = get_language() == "en"
        for weighting in edition.uncertainty.field_weights:
            if weighting.id == value:
                option = (weighting.name_en if english else weighting.name_vi) or weighting.id
    elif statement.code.startswith("oat.not_applicable"):
        option = str(NOT_APPLICABLE.get(value, value))
    return str(SENTENCES[statement.code]).format(
        option=option, rank=statement.params["rank"], published=statement.params["published"]
    )
