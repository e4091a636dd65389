"""From frame to counted answers: drawing the sample, issuing codes, the web form and paper
double entry. Every answer reaches the survey through ``services.take_in``, whatever its channel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.errors import ParindexError
from parindex.core.surveys.ballot import (
    Mismatch,
    Submission,
    double_entry,
    normalise,
    stored_code,
)
from parindex.core.surveys.frame import StageSpec, draw
from parindex.core.surveys.questionnaire import Question, Questionnaire
from parindex.core.surveys.skiplogic import relevant
from parindex.core.tabular import Table
from parindex.server.accounts.models import User
from parindex.server.audit import events as audit_events
from parindex.server.surveys.estimates import questionnaire_of
from parindex.server.surveys.intake import IntakeReport, take_in
from parindex.server.surveys.models import PaperEntry, Response, SampledUnit, Survey, WebDraft


class CollectionError(ParindexError):
    """A step refused, with a message for the person who tried it."""


def ballot_key() -> bytes:
    """The key ballot codes are derived from: the installation's secret, never stored."""
    return hashlib.sha256(f"parindex-ballots:{settings.SECRET_KEY}".encode()).digest()


@transaction.atomic
def ALREADY_DRAWN() -> str:
    return _("this survey already has its sample; it is drawn once")


def draw_sample(
    survey: Survey,
    frame: Table,
    *,
    strata: str | None,
    stages: Sequence[StageSpec],
    final_take: int,
    seed: int,
    label_columns: Sequence[str] = (),
    key: bytes | None = None,
    actor: object = None,
) -> int:
    """Draw from ``frame`` and issue one ballot code per selected row; a survey is drawn once."""
    if survey.sample.exists():
        raise CollectionError(ALREADY_DRAWN())
    sample = draw(frame, strata=strata, stages=stages, final_take=final_take, seed=seed)
    labels = [frame.column(c) for c in label_columns]
    area_columns = [stage.column for stage in stages]
    key = key or ballot_key()
    units = []
    for position, row in enumerate(sample.rows.tolist()):
        stratum = sample.strata[position]
        units.append(
            SampledUnit(
                survey=survey,
                position=position,
                code=stored_code(key, survey.slug, position),
                domain=stratum or "all",
                stratum=stratum,
                clusters=[stage[position] for stage in sample.clusters],
                # NaN (no fpc after a PPS stage) is not JSON: stored as null.
                population=[
                    None if count != count else count
                    for count in (s[position] for s in sample.population)
                ],
                inclusion_probability=float(sample.probability[position]),
                label=" · ".join(column[row] for column in labels)[:255],
                area=" · ".join([stratum, *(frame.columns[c][row] for c in area_columns)]).strip(
                    " ·"
                )[:255],
            )
        )
    with transaction.atomic():  # the draw's only write: the sample, whole or not at all
        SampledUnit.objects.bulk_create(units, batch_size=2000)
        audit_events.survey_design(
            survey,
            actor,
            "sample drawn",
            {
                "frame": frame.source,
                "frame_rows": frame.rows,
                "strata": strata,
                "stages": [f"{s.column}:{s.take}:{s.method}" for s in stages],
                "final_take": final_take,
                "seed": seed,
                "units": len(units),
            },
        )
    return len(units)


def unit_for_code(survey: Survey, typed: str) -> SampledUnit | None:
    code = normalise(typed)
    return survey.sample.filter(code=code).first() if code else None


# The web form ---------------------------------------------------------------------------------


def asked(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[Question]:
    """The questions this respondent is asked, given the answers so far (skip logic applied)."""
    return [
        q for q in questionnaire.questions() if q.kind != "note" and relevant(q.relevant, answers)
    ]


@dataclass(frozen=True)
class WebState:
    unit: SampledUnit
    answers: dict[str, str]
    questions: list[Question]
    counted: bool

    @property
    def next_index(self) -> int:
        """Where the respondent resumes: the first question asked and not yet answered."""
        for index, question in enumerate(self.questions):
            if question.id not in self.answers:
                return index
        return len(self.questions)


def web_state(survey: Survey, unit: SampledUnit) -> WebState:
    draft = WebDraft.objects.filter(unit=unit).first()
    answers = dict(draft.answers) if draft else {}
    counted = Response.objects.filter(unit=unit).exists()
    return WebState(unit, answers, asked(questionnaire_of(survey), answers), counted)


def save_answers(survey: Survey, unit: SampledUnit, given: Mapping[str, str]) -> WebState:
    """Keep the answers given so far; answers to questions no longer asked are dropped."""
    if Response.objects.filter(unit=unit).exists():
        raise CollectionError(_("this ballot has already been counted"))
    if timezone.now() > survey.closes_at:
        raise CollectionError(_("the survey has closed"))
    draft, _created = WebDraft.objects.get_or_create(
        unit=unit, defaults={"answers": {"start": timezone.now().isoformat()}}
    )
    answers = {**draft.answers, **given}
    still_asked = {q.id for q in asked(questionnaire_of(survey), answers)}
    draft.answers = {k: v for k, v in answers.items() if k in still_asked or k == "start"}
    draft.save()
    return web_state(survey, unit)


@transaction.atomic
def submit_web(survey: Survey, unit: SampledUnit) -> IntakeReport:
    state = web_state(survey, unit)
    if state.counted:
        raise CollectionError(_("this ballot has already been counted"))
    missing = [q.id for q in state.questions if q.required and not state.answers.get(q.id)]
    if missing:
        raise CollectionError(
            _("required questions are unanswered: %(ids)s") % {"ids": ", ".join(missing)}
        )
    now = timezone.now()
    answers = {k: v for k, v in state.answers.items() if v} | {"end": now.isoformat()}
    report = take_in(survey, [Submission(unit.code, now, "web", answers)])
    WebDraft.objects.filter(unit=unit).delete()
    return report


# Paper double entry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyingOutcome:
    status: str
    """``first`` (waiting for a second clerk), ``counted``, ``kept_aside`` or ``mismatch``."""
    mismatches: tuple[Mismatch, ...] = ()
    reason: str = ""


@transaction.atomic
def key_in(
    survey: Survey,
    clerk: User,
    typed_code: str,
    answers: Mapping[str, str],
    collected_at: datetime,
) -> KeyingOutcome:
    """Record one clerk's keying of a paper ballot. When two clerks' keyings agree, the ballot
    goes through the intake (received when it was collected, not when it was keyed); when they
    differ, both see where, and either corrects theirs."""
    code = normalise(typed_code)
    if code is None:
        raise CollectionError(_("the ballot code is mistyped (its check character does not match)"))
    given = {k: v for k, v in answers.items() if v}
    PaperEntry.objects.update_or_create(
        survey=survey, code=code, clerk=clerk, defaults={"answers": given}
    )
    others = list(PaperEntry.objects.filter(survey=survey, code=code).exclude(clerk=clerk))
    if not others:
        return KeyingOutcome("first")
    mismatches = double_entry(others[0].answers, given)
    if mismatches:
        return KeyingOutcome("mismatch", mismatches)
    report = take_in(survey, [Submission(code, collected_at, "paper", given)])
    if report.counted:
        return KeyingOutcome("counted")
    verdict = next(iter(report.kept_aside))
    return KeyingOutcome("kept_aside", reason=verdict)
