"""Hypothesis strategies for random, valid editions (sums exact: points in quarters)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from parindex.core.methodology import Edition
from parindex.core.methodology.excel.appendix import NO, YES, fold

TEXT = (
    st.text(
        alphabet=st.characters(
            categories=["L", "N", "P", "Zs"], include_characters="=ăâđêôơưĂÂĐÊÔƠƯàảãáạ"
        ),
        min_size=1,
        max_size=24,
    )
    .map(str.strip)
    .filter(lambda s: bool(s) and fold(s) not in YES | NO)
)
QUARTERS = st.integers(min_value=0, max_value=40).map(lambda q: q / 4)
RULES: list[dict[str, Any]] = [
    {"kind": "manual"},
    {"kind": "yes_no"},
    {"kind": "yes_no", "no_share": 0.25},
    {"kind": "capped_ratio", "threshold": 0.8},
    {
        "kind": "ratio_bands",
        "bands": [{"min": 1.0, "share": 1.0}, {"min": 0.8, "share": 0.5}],
        "if_none": 0.0,
    },
    {"kind": "count_bands", "bands": [{"min": 3, "share": 1.0}]},
    {"kind": "survey_mapping", "method": "top_share", "answers": ["4", "5"]},
    {"kind": "survey_mapping", "method": "answer_weights", "weights": {"A": 1.0, "B": 0.6}},
]
KINDS = ["province", "department", "commune"]


@st.composite
def scoring(draw: st.DrawFn) -> dict[str, Any]:
    rule = draw(st.sampled_from(RULES))
    source = (
        "survey:citizens"
        if rule["kind"] == "survey_mapping"
        else draw(st.sampled_from(["self_assessment", "computed:onestop.on_time_rate"]))
    )
    required = draw(st.booleans())
    spec: dict[str, Any] = {"source": source, "rule": rule, "evidence_required": required}
    if required and draw(st.booleans()):
        spec["evidence_vi"] = draw(TEXT)
    if draw(st.booleans()):
        spec["guidance_vi"] = draw(TEXT)
    if draw(st.booleans()):
        spec["applies_to"] = draw(
            st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True)
        )
    return spec


@st.composite
def editions(draw: st.DrawFn) -> Edition:
    fields = []
    for f in range(1, draw(st.integers(1, 3)) + 1):
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            cid = f"{f}.{c}"
            node: dict[str, Any] = {"id": cid, "name_vi": draw(TEXT)}
            if draw(st.booleans()):
                node["name_en"] = draw(TEXT)
            if draw(st.integers(0, 3)) == 0:
                node["max_points"] = draw(QUARTERS)
                node["scoring"] = draw(scoring())
            else:
                components = [
                    {
                        "id": f"{cid}.{k}",
                        "name_vi": draw(TEXT),
                        "max_points": draw(QUARTERS),
                        **draw(scoring()),
                    }
                    for k in range(1, draw(st.integers(1, 3)) + 1)
                ]
                node["components"] = components
                node["max_points"] = sum(c["max_points"] for c in components)
            criteria.append(node)
        fields.append(
            {
                "id": str(f),
                "name_vi": draw(TEXT),
                "max_points": sum(c["max_points"] for c in criteria),
                "criteria": criteria,
            }
        )
    return Edition.model_validate(
        {
            "id": "random/2024",
            "title_vi": draw(TEXT),
            "valid_years": {"first": 2024, "last": draw(st.none() | st.integers(2024, 2030))},
            "status": draw(st.sampled_from(["official", "illustrative"])),
            "unit_kinds": KINDS,
            "total_points": sum(f["max_points"] for f in fields),
            "bonus_cap": draw(QUARTERS),
            "grading": {"bands": [{"code": "A", "min": 90}, {"code": "B", "min": 0}]},
            "legal_basis": [{"reference": draw(TEXT)}],
            "fields": fields,
        }
    )
