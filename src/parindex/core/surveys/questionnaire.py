"""Questionnaires: sections of questions with answer scales, skip logic and respondent groups,
each scored question mapped to the methodology node it measures.

The interchange format is XLSForm (the ``survey``/``choices``/``settings`` workbook of ODK and
KoboToolbox), read with ``pyxform``; skip logic is kept as the XLSForm ``relevant`` expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from parindex.core.findings import Report
from parindex.core.methodology.loader import validation_findings
from parindex.core.methodology.yamlsource import read_yaml
from parindex.core.surveys.skiplogic import SkipLogicError, compile_relevant

QuestionKind = Literal[
    "select_one", "select_multiple", "integer", "decimal", "text", "date", "note"
]


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    label_vi: str = Field(min_length=1)
    label_en: str = ""


class AnswerScale(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")
    choices: tuple[Choice, ...] = Field(min_length=1)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")
    kind: QuestionKind
    label_vi: str = Field(min_length=1)
    label_en: str = ""
    scale: str | None = None
    required: bool = False
    relevant: str = ""
    """XLSForm skip logic, e.g. ``${q8} = 'yes'``: asked only when true."""
    node: str | None = None
    """The methodology node (SIPAS item, PAR component) this question scores."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")
    label_vi: str = Field(min_length=1)
    label_en: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    title_vi: str = Field(min_length=1)
    title_en: str = ""
    respondent_group: str = Field(min_length=1)
    """Who answers: ``citizens``, ``officials`` … (the ``survey:<group>`` of the methodology)."""
    scales: tuple[AnswerScale, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_hold(self) -> Questionnaire:
        scales = {s.id for s in self.scales}
        seen: set[str] = set()
        for question in self.questions():
            if question.id in seen:
                raise ValueError(f"question id '{question.id}' is used twice")
            if question.relevant:
                try:
                    compile_relevant(question.relevant)
                except SkipLogicError as error:
                    raise ValueError(f"question '{question.id}': {error}") from None
                for name in re.findall(r"\$\{([^}]+)\}", question.relevant):
                    if name not in seen:
                        raise ValueError(
                            f"question '{question.id}' is asked depending on '{name}', "
                            "which is not an earlier question"
                        )
            seen.add(question.id)
            if question.kind.startswith("select") and question.scale not in scales:
                raise ValueError(
                    f"question '{question.id}' names scale '{question.scale}', which is not defined"
                )
        return self

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def scale(self, scale_id: str) -> AnswerScale:
        return next(s for s in self.scales if s.id == scale_id)


def load_questionnaire(path: Path) -> Report[Questionnaire]:
    """A questionnaire from its YAML file, with located findings (as editions are loaded)."""
    document, findings = read_yaml(path.read_text("utf-8"), str(path))
    if document is None or findings:
        return Report(None, tuple(findings))
    try:
        return Report(Questionnaire.model_validate(document), ())
    except ValidationError as error:
        return Report(None, tuple(validation_findings(error, document, str(path))))


def shipped_questionnaires() -> dict[str, Path]:
    """Shipped questionnaire files by id (file name without ``.yaml``)."""
    root = Path(str(resources.files("parindex.questionnaires")))
    return {path.stem: path for path in sorted(root.glob("*.yaml"))}


def write_questionnaire(questionnaire: Questionnaire, path: Path) -> None:
    data = questionnaire.model_dump(mode="json", exclude_defaults=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")
