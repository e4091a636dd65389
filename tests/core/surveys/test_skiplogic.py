"""Skip logic as the web and paper forms apply it."""

from __future__ import annotations

import pytest

from parindex.core.surveys.questionnaire import Questionnaire
from parindex.core.surveys.skiplogic import SkipLogicError, relevant


@pytest.mark.parametrize(
    ("expression", "answers", "asked"),
    [
        ("${used} = 'yes'", {"used": "yes"}, True),
        ("${used} = 'yes'", {"used": "no"}, False),
        ("${used} != 'yes'", {}, True),
        ("${age} >= 18 and ${age} < 60", {"age": "18"}, True),
        ("${age} >= 18 and ${age} < 60", {"age": "9"}, False),
        ("${age} > 18", {}, False),
        ("(${a} = '1' or ${b} = '1') and not(${c} = '1')", {"b": "1"}, True),
        ("(${a} = '1' or ${b} = '1') and not(${c} = '1')", {"b": "1", "c": "1"}, False),
        ("selected(${ch}, 'web')", {"ch": "paper web"}, True),
        ("selected(${ch}, 'we')", {"ch": "paper web"}, False),
        ("", {}, True),
    ],
)
def test_questions_are_asked_as_odk_would_ask_them(
    expression: str, answers: dict[str, str], asked: bool
) -> None:
    assert relevant(expression, answers) is asked


@pytest.mark.parametrize(
    "expression", ["${a} == 'x'", "${a} = 'x' and", "count(${a}) > 1", "(${a} = '1'"]
)
def test_logic_outside_the_supported_part_is_refused(expression: str) -> None:
    with pytest.raises(SkipLogicError):
        relevant(expression, {})


def questionnaire(relevant_text: str) -> dict[str, object]:
    return {
        "id": "q",
        "title_vi": "Phiếu",
        "respondent_group": "citizens",
        "sections": [
            {
                "id": "s",
                "label_vi": "Phần",
                "questions": [
                    {"id": "first", "kind": "text", "label_vi": "Một", "relevant": relevant_text},
                    {"id": "second", "kind": "text", "label_vi": "Hai"},
                ],
            }
        ],
    }


def test_a_questionnaire_refuses_logic_on_a_later_or_unknown_question() -> None:
    with pytest.raises(ValueError, match="depending on 'second', which is not an earlier"):
        Questionnaire.model_validate(questionnaire("${second} = 'x'"))
    with pytest.raises(ValueError, match="question 'first': unexpected '='"):
        Questionnaire.model_validate(questionnaire("${x} === 'x'"))
