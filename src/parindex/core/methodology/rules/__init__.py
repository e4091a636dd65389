"""Closed registry of scoring-rule kinds, one module per kind.

A methodology names a rule by ``kind`` with typed parameters; there are no formula strings and
no ``eval``. Adding a kind means adding a module here and to ``Rule`` below.
"""

from typing import Annotated

from pydantic import Field

from parindex.core.methodology.rules.bands import Band
from parindex.core.methodology.rules.base import Ratio, RuleBase, RuleValue
from parindex.core.methodology.rules.capped_ratio import CappedRatioRule
from parindex.core.methodology.rules.count_bands import CountBandsRule
from parindex.core.methodology.rules.manual import ManualRule
from parindex.core.methodology.rules.ratio_bands import RatioBandsRule
from parindex.core.methodology.rules.survey_mapping import SurveyMappingRule
from parindex.core.methodology.rules.yes_no import YesNoRule

Rule = Annotated[
    ManualRule | YesNoRule | RatioBandsRule | CappedRatioRule | CountBandsRule | SurveyMappingRule,
    Field(discriminator="kind"),
]

RULE_KINDS: dict[str, type[RuleBase]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        ManualRule,
        YesNoRule,
        RatioBandsRule,
        CappedRatioRule,
        CountBandsRule,
        SurveyMappingRule,
    )
}

__all__ = [
    "RULE_KINDS",
    "Band",
    "CappedRatioRule",
    "CountBandsRule",
    "ManualRule",
    "Ratio",
    "RatioBandsRule",
    "Rule",
    "RuleBase",
    "RuleValue",
    "SurveyMappingRule",
    "YesNoRule",
]
