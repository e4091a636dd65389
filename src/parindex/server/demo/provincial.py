"""The demo province's own PAR INDEX: Lạng Sơn's Department of Home Affairs assesses the
province's departments and its 65 communes and wards (real names, from ``vietnamadminunits``)
with the provincial criteria set, ranked apart (departments, communes), and has published last
year's results. Its administrator holds the role at the province and sees only its own units.
Scores are synthetic and written in bulk, as in the national demo cycles: each unit's
self-assessment, then the appraised score that stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.utils import timezone

from parindex.core.assessment.workflow import Action, State
from parindex.core.units import UnitKind, communes_of, provinces_34
from parindex.server.accounts.models import Unit, User
from parindex.server.assessments import services
from parindex.server.assessments.models import Assessment, Cycle, Round, ScoreEntry, StateChange
from parindex.server.demo import targets

EDITION = "par-index-provincial-units/2024"
DEPARTMENTS = (
    ("noi-vu", "Sở Nội vụ", "Department of Home Affairs"),
    ("tai-chinh", "Sở Tài chính", "Department of Finance"),
    ("tu-phap", "Sở Tư pháp", "Department of Justice"),
    ("xay-dung", "Sở Xây dựng", "Department of Construction"),
    ("nong-nghiep", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("cong-thuong", "Sở Công Thương", "Department of Industry and Trade"),
    ("giao-duc", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("y-te", "Sở Y tế", "Department of Health"),
    ("van-hoa", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("khoa-hoc", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("dan-toc", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs"),
    ("van-phong", "Văn phòng UBND", "Office of the People's Committee"),
    ("thanh-tra", "Thanh tra", "Inspectorate"),
)


@dataclass(frozen=True)
class ProvincialCycle:
    cycle: Cycle
    departments: int
    communes: int


def build_provincial_cycle(
    rng: np.random.Generator, province: Unit, admin: User, appraiser: User
) -> ProvincialCycle:
    """Last year's published cycle of ``province``'s departments and communes."""
    units = _departments(province) + _communes(province)
    year = timezone.now().year - 1
    deadline = timezone.now() - timedelta(days=300)
    cycle = Cycle.objects.create(
        year=year,
        name=f"Chỉ số CCHC các sở, ngành và xã {province.name_vi} {year} (demo)",
        edition=EDITION,
        organiser=province,
        self_assessment_deadline=deadline,
        explanation_deadline=deadline + timedelta(days=20),
        appraisal_deadline=deadline + timedelta(days=40),
        synthetic=True,
    )
    edition = services.edition_of(cycle)
    departments = units[: len(DEPARTMENTS)]
    communes = units[len(DEPARTMENTS) :]
    pct = {
        **targets.ranked_targets(
            rng,
            [u.ref for u in departments],
            targets.DEPARTMENTS_AVERAGE,
            targets.DEPARTMENTS_GROUPS,
        ),
        **targets.ranked_targets(
            rng, [u.ref for u in communes], targets.COMMUNES_AVERAGE, targets.COMMUNES_GROUPS
        ),
    }
    entries: list[ScoreEntry] = []
    moves: list[StateChange] = []
    for unit in units:
        assessment = Assessment.objects.create(cycle=cycle, unit=unit, state=State.FINAL)
        assessment.appraisers.add(appraiser)
        applicable = services.components(edition, unit.kind)
        standing = targets.component_points(rng, pct[unit.ref], applicable)
        for component in applicable:
            points = standing[component.id]
            top = component.spec.max_points
            if component.from_survey:
                # From the survey, as in the national cycles: the unit claims these points and
                # they stand (the self-assessed total counts them too).
                entries.append(
                    ScoreEntry(
                        assessment=assessment,
                        component=component.id,
                        round=Round.SURVEY,
                        points=points,
                        author=admin,
                    )
                )
                continue
            # The unit's self-assessment first, as in the national cycles: about one score
            # in eight claimed more than the appraisers then gave.
            claimed = points
            if points <= top - 0.25 and rng.random() < 0.12:
                claimed = min(top, points + round(top * float(rng.uniform(0.2, 0.5)) * 4) / 4)
            entries.append(
                ScoreEntry(
                    assessment=assessment,
                    component=component.id,
                    round=Round.SELF,
                    points=claimed,
                    author=admin,
                    explanation="Hồ sơ lưu tại đơn vị" if component.spec.evidence_required else "",
                )
            )
            entries.append(
                ScoreEntry(
                    assessment=assessment,
                    component=component.id,
                    round=Round.APPRAISAL_2,
                    points=points,
                    previous=claimed,
                    author=appraiser,
                    reason="Thẩm định (demo)",
                )
            )
        moves.append(
            StateChange(
                assessment=assessment,
                action=Action.FINALISE,
                source=State.APPRAISED_2,
                target=State.FINAL,
                by=admin,
            )
        )
    ScoreEntry.objects.bulk_create(entries)
    StateChange.objects.bulk_create(moves)
    services.publish(cycle, admin)
    cycle.refresh_from_db()
    return ProvincialCycle(cycle, len(DEPARTMENTS), len(units) - len(DEPARTMENTS))


def _departments(province: Unit) -> list[Unit]:
    found = []
    for slug, name_vi, name_en in DEPARTMENTS:
        unit, _ = Unit.objects.update_or_create(
            ref=f"{province.ref}/department:{slug}",
            defaults={
                "kind": UnitKind.DEPARTMENT.value,
                "name_vi": f"{name_vi} tỉnh {province.name_vi.removeprefix('Tỉnh ')}",
                "name_en": f"{name_en}, {province.name_en}",
                "parent": province,
                "synthetic": True,
            },
        )
        found.append(unit)
    return found


def _communes(province: Unit) -> list[Unit]:
    record = next(p for p in provinces_34() if p.ref == province.ref)
    found = []
    for commune in communes_of(record):
        unit, _ = Unit.objects.update_or_create(
            ref=commune.ref,
            defaults={
                "kind": commune.kind.value,
                "code": commune.code,
                "name_vi": commune.name_vi,
                "name_en": commune.name_en,
                "valid_from": commune.valid_from,
                "parent": province,
            },
        )
        found.append(unit)
    return found
