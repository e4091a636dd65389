"""Running a cycle from the site: an administrator creates it for the Ministry or for the
province they administer, chooses the units assessed and the appraisers of each, sets the
deadlines and opens it. The same checks hold as in the Django admin (one cycle per year, edition
and organiser; deadlines in order), and more: units and appraisers must lie within the
organiser's reach, so a Department of Home Affairs runs the index of its own departments and
communes exactly as the Ministry runs the national one, and sees only its own units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.assessment.editions import suited_edition
from parindex.core.methodology import Edition, load_shipped, shipped_edition_ids
from parindex.core.roles import Role
from parindex.core.units import UnitKind, descendants
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.services import holds_over
from parindex.server.assessments.models import Assessment, Cycle
from parindex.server.assessments.services.cycle import AssessmentError, edition_of
from parindex.server.assessments.services.visibility import manages
from parindex.server.surveys.models import Survey


def organisers_for(user: User) -> list[Unit | None]:
    """Where ``user`` may organise a cycle: each unit at which they hold the administrator
    role; a national administrator organises national cycles and any province's."""
    held = [a.unit for a in user.role_assignments.filter(role=Role.ADMIN.value)]
    places: list[Unit | None] = [u for u in held if u is not None]
    if None in held:
        today = timezone.localdate()
        places = [None, *Unit.objects.valid_on(today).filter(kind=UnitKind.PROVINCE.value)]
    return sorted(places, key=lambda u: (u is not None, u.name_vi if u else ""))


def managed_cycles(user: User) -> list[Cycle]:
    """The cycles ``user`` administers, newest first."""
    cycles = Cycle.objects.select_related("organiser").order_by("-year", "name")
    return [cycle for cycle in cycles if manages(user, cycle)]


def scored_editions() -> list[Edition]:
    """The shipped editions a cycle can use (those with scored components)."""
    found = []
    for edition_id in shipped_edition_ids():
        edition = load_shipped(edition_id).value
        if edition is not None and any(True for _ in edition.scored()):
            found.append(edition)
    return found


def default_edition(organiser: Unit | None, year: int) -> str | None:
    """The edition the new-cycle form offers first for ``organiser`` (``None``: the Ministry):
    ``core.assessment.editions.suited_edition`` among the editions a cycle can use."""
    kind = None if organiser is None else UnitKind(organiser.kind)
    edition = suited_edition(scored_editions(), kind, year)
    return edition.id if edition is not None else None


def eligible_units(cycle: Cycle) -> QuerySet[Unit]:
    """Units the cycle may assess: those of a kind its edition scores, valid in its year, and
    below its organiser (any such unit for a national cycle)."""
    edition = edition_of(cycle)
    kinds = [kind.value for kind in edition.unit_kinds]
    units = Unit.objects.filter(kind__in=kinds)
    if cycle.organiser is not None:
        parent_of = dict(Unit.objects.values_list("id", "parent_id"))
        below = descendants([cycle.organiser.pk], parent_of) - {cycle.organiser.pk}
        units = units.filter(pk__in=below)
    # The units as they stand at the end of the assessed year (the 63 provinces before the
    # 2025 merger, the 34 after it).
    return units.valid_on(date(cycle.year, 12, 31)).order_by("kind", "name_vi")


def eligible_appraisers(cycle: Cycle) -> QuerySet[User]:
    """Appraisers whose role is held at the cycle's organiser or above it."""
    users = User.objects.filter(role_assignments__role=Role.APPRAISER.value).distinct()
    return users.filter(
        pk__in=[u.pk for u in users if holds_over(u, cycle.organiser, [Role.APPRAISER])]
    ).order_by("username")


def eligible_surveys(cycle: Cycle) -> QuerySet[Survey]:
    """Surveys whose answers may score the cycle's survey components, open or closed: those
    run by its organiser or a unit below it (any survey for a national cycle, whose organiser
    reaches every unit)."""
    surveys = Survey.objects.select_related("unit")
    if cycle.organiser is not None:
        parent_of = dict(Unit.objects.values_list("id", "parent_id"))
        surveys = surveys.filter(unit_id__in=descendants([cycle.organiser.pk], parent_of))
    return surveys.order_by("-closes_at", "name")


@dataclass(frozen=True)
class CycleSettings:
    name: str
    year: int
    edition: str
    self_assessment_deadline: datetime
    explanation_deadline: datetime
    appraisal_deadline: datetime


def _check_settings(settings: CycleSettings) -> None:
    if not settings.name.strip():
        raise AssessmentError(_("a cycle needs a name"))
    if load_shipped(settings.edition).value is None:
        raise AssessmentError(_("edition {edition} does not load").format(edition=settings.edition))
    if not (
        settings.self_assessment_deadline
        < settings.explanation_deadline
        < settings.appraisal_deadline
    ):
        raise AssessmentError(
            _(
                "deadlines must follow each other: self-assessment, then explanations, "
                "then appraisal"
            )
        )


def _check_manages(user: User, cycle: Cycle) -> None:
    if not manages(user, cycle):
        raise AssessmentError(_("only this cycle's administrators change it"))
    if cycle.published_at is not None:
        raise AssessmentError(_("a published cycle does not change"))


def create_cycle(user: User, organiser: Unit | None, settings: CycleSettings) -> Cycle:
    """A new, closed cycle organised by ``organiser`` (``None``: the Ministry)."""
    if not holds_over(user, organiser, [Role.ADMIN]):
        raise AssessmentError(_("you administer no cycle for this organiser"))
    _check_settings(settings)
    try:
        with transaction.atomic():
            return Cycle.objects.create(organiser=organiser, **vars(settings))
    except IntegrityError:
        raise AssessmentError(
            _("a cycle of this edition and year already exists for this organiser")
        ) from None


@transaction.atomic
def change_cycle(user: User, cycle: Cycle, settings: CycleSettings) -> Cycle:
    """New name and deadlines; the year and edition stay once units are assessed."""
    _check_manages(user, cycle)
    _check_settings(settings)
    if cycle.assessments.exists() and (
        settings.year != cycle.year or settings.edition != cycle.edition
    ):
        raise AssessmentError(_("the year and edition are fixed once units are assigned"))
    for name, value in vars(settings).items():
        setattr(cycle, name, value)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise AssessmentError(
            _("a cycle of this edition and year already exists for this organiser")
        ) from None
    return cycle


@transaction.atomic
def assign_units(user: User, cycle: Cycle, appraisers: Mapping[int, Sequence[int]]) -> int:
    """Make the cycle assess exactly the units in ``appraisers`` (unit id → appraiser ids).

    A unit whose assessment has moved on from its draft, or holds any score, stays: its history
    is kept. Returns the number of units assessed afterwards."""
    _check_manages(user, cycle)
    allowed_units = set(eligible_units(cycle).values_list("pk", flat=True))
    allowed_people = set(eligible_appraisers(cycle).values_list("pk", flat=True))
    outside = sorted(set(appraisers) - allowed_units)
    if outside:
        names = ", ".join(Unit.objects.filter(pk__in=outside).values_list("name_vi", flat=True))
        raise AssessmentError(
            _("outside this cycle's organiser or edition: {units}").format(units=names or outside)
        )
    strangers = sorted({p for people in appraisers.values() for p in people} - allowed_people)
    if strangers:
        names = ", ".join(User.objects.filter(pk__in=strangers).values_list("username", flat=True))
        raise AssessmentError(
            _("not an appraiser of this cycle's organiser: {people}").format(
                people=names or strangers
            )
        )
    existing = {a.unit_id: a for a in cycle.assessments.all()}
    for unit_id, assessment in existing.items():
        if unit_id in appraisers:
            continue
        if assessment.state != "draft" or assessment.scores.exists():
            raise AssessmentError(
                _("{unit} has started its assessment and stays in the cycle").format(
                    unit=assessment.unit.name_vi
                )
            )
        assessment.delete()
    for unit_id, people in appraisers.items():
        assessment = existing.get(unit_id) or Assessment.objects.create(
            cycle=cycle, unit_id=unit_id
        )
        assessment.appraisers.set(people)
    return len(appraisers)


@transaction.atomic
def link_surveys(user: User, cycle: Cycle, survey_ids: Sequence[int]) -> int:
    """Make exactly the surveys ``survey_ids`` score the cycle's survey components (what the
    rank intervals draw from); a survey beyond the organiser's reach refuses the whole form.
    Returns the number of surveys linked."""
    _check_manages(user, cycle)
    allowed = set(eligible_surveys(cycle).values_list("pk", flat=True))
    outside = sorted(set(survey_ids) - allowed)
    if outside:
        names = ", ".join(Survey.objects.filter(pk__in=outside).values_list("name", flat=True))
        raise AssessmentError(
            _("a survey outside this cycle's organiser cannot score it: {surveys}").format(
                surveys=names or ", ".join(map(str, outside))
            )
        )
    cycle.surveys.set(sorted(set(survey_ids)))
    return len(set(survey_ids))


@transaction.atomic
def set_open(user: User, cycle: Cycle, is_open: bool) -> Cycle:
    """Open the cycle to its units (it needs units and appraisers), or close it again."""
    _check_manages(user, cycle)
    if is_open:
        if not cycle.assessments.exists():
            raise AssessmentError(_("assign the units assessed before opening the cycle"))
        if cycle.assessments.filter(appraisers__isnull=True).exists():
            raise AssessmentError(_("every unit needs an appraiser before the cycle opens"))
    cycle.is_open = is_open
    cycle.save(update_fields=["is_open"])
    return cycle


__all__ = [
    "CycleSettings",
    "assign_units",
    "change_cycle",
    "create_cycle",
    "eligible_appraisers",
    "eligible_surveys",
    "eligible_units",
    "link_surveys",
    "managed_cycles",
    "organisers_for",
    "scored_editions",
    "set_open",
]
