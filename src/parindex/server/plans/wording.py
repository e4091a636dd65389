"""The sentences of ``core.scoring.sensitivity`` in the reader's language (the core gives a
message code and parameters, the server says it), and a plan's target in words."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext
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


def target_label(target: str) -> str:
    """``groupA`` → "group A", ``rank:5`` → "rank 5 or better", ``score:85`` → "an index of 85 %"."""
    kind, _sep, value = target.replace("group", "group:", 1).partition(":")
    value = value.lstrip(":").strip()
    if kind == "group":
        return gettext("group {code}").format(code=value)
    if kind == "rank":
        return gettext("rank {rank} or better").format(rank=value)
    try:
        score = number_format(float(value.replace(",", ".")))
    except ValueError:
        score = value
    return gettext("an index of {score} %").format(score=score)
