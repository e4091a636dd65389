"""Every change of scores, evidence and state is appended to the audit log once its transaction
commits; a refused change appends nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex.core.assessment.workflow import Action
from parindex.server.assessments import services
from parindex.server.audit.models import AuditEvent
from parindex.server.audit.services import verify_log
from tests import crafted
from tests.server.assessments.conftest import PROVINCES, People

pytestmark = pytest.mark.django_db


def test_changes_are_chained_after_commit_and_refusals_leave_nothing(
    cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lang_son = cycle.assessments.get(unit__ref=PROVINCES[0])
    focal = people.focal[PROVINCES[0]]
    with django_capture_on_commit_callbacks(execute=True):
        services.save_self_score(lang_son, focal, "1.1.1", points=0.5, explanation="Có")
        with pytest.raises(services.AssessmentError):
            services.save_self_score(lang_son, focal, "1.1.2", points=9)
        services.add_evidence(lang_son, focal, "1.1.1", SimpleUploadedFile("a.pdf", crafted.pdf()))
        services.transition(lang_son, people.leader[PROVINCES[0]], Action.APPROVE)
        services.import_survey_points(cycle, people.admin, {PROVINCES[1]: {"8.1.1": 0.5}})
    events = list(AuditEvent.objects.values_list("kind", "subject", "actor"))
    assert events == [
        ("score", f"assessment:{lang_son.pk}/1.1.1", "focal-20"),
        ("evidence", f"assessment:{lang_son.pk}/1.1.1", "focal-20"),
        ("state", f"assessment:{lang_son.pk}", "leader-20"),
        ("score", f"cycle:{cycle.pk}/survey-points", "admin"),
    ]
    assert '"points":0.5' in AuditEvent.objects.get(seq=1).payload
    count, _head, breaks = verify_log()
    assert count == 4 and breaks == []
