"""The authorization matrix: every route of the site × every role held at two provinces and
nationally × anonymous, against a table of who is let in.

The table below is the expected answer, written by hand from the rule "a role held at a unit
reaches that unit and the units below it; a national role reaches everything" (administrators
included), with the assessment rules on top (a unit's drafts are its own; a cycle not yet opened
is its administrators' alone; a cycle belongs to its organiser — the Ministry for a national
cycle, a province for its own — whose administrators and council act for all its units).
"Let in" means the view went past its permission check (any answer but 403 or a redirect to a
login page); "kept out" means 403 or the login page. A 404 or 500 fails the test: the row's
address is wrong or the page is broken.

A route the URL resolver knows but the table does not fails ``test_every_route_has_a_row``,
which names it: add a line to ``TABLE`` (and, if it needs objects, a case to ``CASES``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role

# Columns of each mask, in groups: anonymous | admin N P1 P2 | focal point P1 P2 | leader P1 P2
# | appraiser N P1 P2 | council member N P1 P2 | survey manager N P1 P2 | counter device P1 P2
# | public N P1 P2. "Y" let in, "." kept out. N: held nationally; P1, P2: held at a province.
ACTORS = (
    "anonymous",
    *("admin@N", "admin@P1", "admin@P2"),
    *("focal_point@P1", "focal_point@P2"),
    *("leader@P1", "leader@P2"),
    *("appraiser@N", "appraiser@P1", "appraiser@P2"),
    *("council_member@N", "council_member@P1", "council_member@P2"),
    *("survey_manager@N", "survey_manager@P1", "survey_manager@P2"),
    *("counter_device@P1", "counter_device@P2"),
    *("public@N", "public@P1", "public@P2"),
)

EVERYONE = "Y YYY YY YY YYY YYY YYY YY YYY"
SIGNED_IN = ". YYY YY YY YYY YYY YYY YY YYY"
REACHES_P1 = ". YY. Y. Y. YY. YY. YY. Y. YY."
# National cycle: province P1's assessment is a draft, P2's is submitted.
# The national cycle is the Ministry's: a province's administrator or council member has no say
# in it (not even for their own province); the unit's own people and its appraisers do.
SEES_P1_DRAFT = ". Y.. Y. Y. ... ... ... .. ..."
SEES_P2_SUBMITTED = ". Y.. .Y .Y Y.Y Y.. ... .. ..."
SEES_NATIONAL_CYCLE = ". Y.. YY YY Y.Y Y.. ... .. ..."
NATIONAL_ADMIN = ". Y.. .. .. ... ... ... .. ..."
NATIONAL_ADMIN_OR_COUNCIL = ". Y.. .. .. ... Y.. ... .. ..."
NATIONAL_ADMIN_OR_SURVEYS = ". Y.. .. .. ... ... Y.. .. ..."
# Province P1's own cycle (its department), not opened yet: its administrators' alone.
P1_ADMINS = ". YY. .. .. ... ... ... .. ..."
SURVEY_STAFF = ". YYY .. .. ... ... YYY .. ..."
P1_SURVEY_STAFF = ". YY. .. .. ... ... YY. .. ..."
ADMINS = ". YYY .. .. ... ... ... .. ..."
# A unit's own one-stop-centre and feedback pages and its improvement plan: its administrators,
# leaders and focal points (and those of the units above it).
SERVES_P1 = ". YY. Y. Y. ... ... ... .. ..."
LEADS_P1 = ". YY. .. Y. ... ... ... .. ..."
COUNTER_DEVICES = ". ... .. .. ... ... ... YY ..."
# Device/integration endpoints authenticate by a bearer token: no signed-in person passes.
TOKEN_ONLY = ". ... .. .. ... ... ... .. ..."
# Django Ninja's API root only names the prefix (the operations are below it): 404 for all.
NO_PAGE = "404"

TABLE: dict[str, str] = {
    "landing": EVERYONE,
    "login": EVERYONE,
    "logout": EVERYONE,
    "set_language": EVERYONE,
    "home": SIGNED_IN,
    "role-home[admin]": ". YYY .. .. ... ... ... .. ...",
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "unit-list": SIGNED_IN,
    "unit-detail[P1]": REACHES_P1,
    "assessment-cycles": SIGNED_IN,
    "assessment-published[published]": EVERYONE,
    "assessment-cycle[national]": SEES_NATIONAL_CYCLE,
    "assessment-cycle[P1 not opened]": P1_ADMINS,
    "assessment-detail[P1 draft]": SEES_P1_DRAFT,
    "assessment-detail[P2 submitted]": SEES_P2_SUBMITTED,
    "assessment-detail[P1 department, not opened]": P1_ADMINS,
    "assessment-field[P1 draft]": SEES_P1_DRAFT,
    "assessment-field[P2 submitted]": SEES_P2_SUBMITTED,
    "assessment-points[P1 draft]": SEES_P1_DRAFT,
    "assessment-move[P1 draft]": SEES_P1_DRAFT,
    "assessment-move[P2 submitted]": SEES_P2_SUBMITTED,
    "assessment-sheet[P1 draft]": SEES_P1_DRAFT,
    "assessment-sheet[P2 submitted]": SEES_P2_SUBMITTED,
    "assessment-sheet[P1 department, not opened]": P1_ADMINS,
    "assessment-evidence[P1 draft]": SEES_P1_DRAFT,
    "assessment-evidence[P2 submitted]": SEES_P2_SUBMITTED,
    "assessment-evidence[P1 department, not opened]": P1_ADMINS,
    "assessment-council[national]": NATIONAL_ADMIN_OR_COUNCIL,
    "assessment-council[P1 not opened]": P1_ADMINS,
    "assessment-table[national]": NATIONAL_ADMIN_OR_COUNCIL,
    "assessment-table[P1 not opened]": P1_ADMINS,
    "assessment-preview[national]": NATIONAL_ADMIN,
    "assessment-preview[P1 not opened]": P1_ADMINS,
    "assessment-publish[national]": NATIONAL_ADMIN,
    "assessment-publish[P1 not opened]": P1_ADMINS,
    "assessment-survey[national]": NATIONAL_ADMIN_OR_SURVEYS,
    "assessment-survey[P1 not opened]": P1_ADMINS,
    "survey-list": SURVEY_STAFF,
    "survey-detail[national]": NATIONAL_ADMIN_OR_SURVEYS,
    "survey-detail[P1]": P1_SURVEY_STAFF,
    "survey-results[national]": NATIONAL_ADMIN_OR_SURVEYS,
    "survey-results[P1]": P1_SURVEY_STAFF,
    "survey-results-excel[national]": NATIONAL_ADMIN_OR_SURVEYS,
    "survey-results-excel[P1]": P1_SURVEY_STAFF,
    "survey-draw[P1]": P1_SURVEY_STAFF,
    "survey-import[P1]": P1_SURVEY_STAFF,
    "survey-paper[P1]": P1_SURVEY_STAFF,
    "survey-job[P1]": P1_SURVEY_STAFF,
    # A background job's page and its file: whoever may use the page that started it.
    "job[survey draw P1]": P1_SURVEY_STAFF,
    "job[survey points national]": NATIONAL_ADMIN_OR_SURVEYS,
    "job[survey points P1 not opened]": P1_ADMINS,
    "job[sheet P1 draft]": SEES_P1_DRAFT,
    "job[report]": EVERYONE,
    "job-file[ballots P1]": P1_SURVEY_STAFF,
    "job-file[report]": EVERYONE,
    "survey-ballots[national]": NATIONAL_ADMIN_OR_SURVEYS,
    "survey-ballots[P1]": P1_SURVEY_STAFF,
    "webform-start[national]": EVERYONE,
    "webform-question[national]": EVERYONE,
    "webform-review[national]": EVERYONE,
    "webform-done[national]": EVERYONE,
    "favicon": EVERYONE,
    "assessment-new": ADMINS,
    "assessment-settings[national]": NATIONAL_ADMIN,
    "assessment-settings[P1 not opened]": P1_ADMINS,
    "assessment-provenance[published]": EVERYONE,
    # The public results site and the open-data API: published figures, for everyone.
    "results-home": EVERYONE,
    "results-ranking[published]": EVERYONE,
    "results-csv[published]": EVERYONE,
    "results-json[published]": EVERYONE,
    "results-unit[P1]": EVERYONE,
    "results-boundaries[configured]": EVERYONE,
    "results-report[published]": EVERYONE,
    "results-unit-report[P1]": EVERYONE,
    "api-v1:api-root": NO_PAGE,
    "api-v1:openapi-json": EVERYONE,
    "api-v1:openapi-view": EVERYONE,
    "api-v1:publications": EVERYONE,
    "api-v1:publication[published]": EVERYONE,
    "api-v1:results": EVERYONE,
    "api-v1:cycles": EVERYONE,
    "api-v1:editions": EVERYONE,
    "api-v1:units": EVERYONE,
    "api-v1:surveys": EVERYONE,
    "api-v1:survey_estimates[closed]": EVERYONE,
    # One-stop centres: the kiosk is the counter device's; the receipt's rating link is public.
    "kiosk": COUNTER_DEVICES,
    "kiosk-worker": EVERYONE,
    "online-rating[P1 dossier]": EVERYONE,
    "online-rating-qr[P1 dossier]": EVERYONE,
    "leader-dashboard[P1]": LEADS_P1,
    "import-dossiers[P1]": LEADS_P1,
    "api-v1:post_rating": TOKEN_ONLY,
    "api-v1:post_batch": TOKEN_ONLY,
    "api-v1:post_dossiers": TOKEN_ONLY,
    "api-v1:get_rating_link[P1 dossier]": TOKEN_ONLY,
    "api-v1:post_kiosk_batch": COUNTER_DEVICES,
    "api-v1:post_kiosk_feedback": COUNTER_DEVICES,
    "unit-index-sheet[P1]": SERVES_P1,
    # Feedback (PAKN): sending and the published answers are public; handling is the unit's.
    "feedback-send": EVERYONE,
    "feedback-answers": EVERYONE,
    "feedback-inbox[P1]": SERVES_P1,
    "feedback-handle[P1 item]": SERVES_P1,
    "feedback-apology[P1 dossier]": SERVES_P1,
    # Improvement plans: the list shows each person their own; a plan is its unit's.
    "plans": SIGNED_IN,
    "plan-create[P1]": SERVES_P1,
    "plan[P1]": SERVES_P1,
    "plan-download[P1]": SERVES_P1,
    "plan-pdf[P1]": SERVES_P1,
    "plan-action-move[P1]": SERVES_P1,
    "plan-action-assign[P1]": SERVES_P1,
    # The Django admin is for staff accounts (is_staff), which no role grants: every admin page
    # is checked below for the strongest actors, and only its login and logout let anyone in.
    "admin:*": ". ... .. .. ... ... ... .. ...",
}


def _mask(text: str) -> dict[str, bool]:
    flags = text.replace(" ", "")
    assert len(flags) == len(ACTORS), f"a mask has {len(flags)} columns, not {len(ACTORS)}"
    return {actor: flag == "Y" for actor, flag in zip(ACTORS, flags, strict=True)}


def route_names() -> list[str]:
    """Every URL pattern of the site: its name (namespaced), or its pattern if it has none."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                yield f"{namespace}{entry.name}" if entry.name else f"{namespace}{entry.pattern}"

    return sorted(set(walk(get_resolver().url_patterns, "")))


def _row_for(route: str) -> str | None:
    if route.startswith("admin:"):
        return "admin:*"
    rows = [key for key in TABLE if key == route or key.startswith(route + "[")]
    return rows[0] if rows else None


def test_every_route_has_a_row() -> None:
    missing = [route for route in route_names() if _row_for(route) is None]
    assert missing == [], (
        "routes without a row in tests/server/test_authorization_matrix.py TABLE "
        f"(add one line per route, saying who is let in): {missing}"
    )


def test_every_row_names_a_route() -> None:
    routes = set(route_names())
    stale = [key for key in TABLE if key != "admin:*" and key.split("[")[0] not in routes]
    assert stale == []


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    data: dict[str, str] | None = None


# A minimal well-formed PDF (header, catalogue, page tree, cross-reference table, trailer).
_PDF_BODY = [
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n",
]


def _pdf() -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for body in _PDF_BODY:
        offsets.append(len(out))
        out += body
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size 4/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@dataclass
class World:
    users: dict[str, Any]
    cases: dict[str, Case]


def _build_world(make_user: Callable[..., Any]) -> World:
    from parindex.server.accounts.models import Unit
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment, Cycle, Round
    from parindex.server.surveys.models import Survey

    p1, p2 = Unit.objects.get(ref="province:20"), Unit.objects.get(ref="province:04")
    department = Unit.objects.create(
        ref="t:p1-dept", kind="department", name_vi="Sở Nội vụ (thử)", parent=p1
    )
    places = {"N": None, "P1": p1, "P2": p2}
    users: dict[str, Any] = {"anonymous": None}
    for actor in ACTORS[1:]:
        role, place = actor.split("@")
        users[actor] = make_user(actor.replace("@", "-"), Role(role), places[place])

    now = timezone.now()
    deadlines = {
        "self_assessment_deadline": now + timedelta(days=10),
        "explanation_deadline": now + timedelta(days=20),
        "appraisal_deadline": now + timedelta(days=30),
    }
    edition = "par-index-province/2023"
    national = Cycle.objects.create(
        year=2026, name="CCHC 2026", edition=edition, is_open=True, **deadlines
    )
    draft = Assessment.objects.create(cycle=national, unit=p1)
    submitted = Assessment.objects.create(cycle=national, unit=p2, state=State.SUBMITTED)
    draft.appraisers.add(users["appraiser@N"], users["appraiser@P1"])
    submitted.appraisers.add(users["appraiser@N"], users["appraiser@P2"])
    own = Cycle.objects.create(
        year=2027, name="Tỉnh P1 2027", edition=edition, organiser=p1, is_open=False, **deadlines
    )
    in_department = Assessment.objects.create(cycle=own, unit=department)
    published = Cycle.objects.create(
        year=2025,
        name="CCHC 2025",
        edition=edition,
        published_at=now,
        published_table=[{"unit": p1.ref, "name_vi": p1.name_vi, "rank": 1, "index_pct": 80.0}],
        **deadlines,
    )

    component = services.components(services.edition_of(national), p1.kind)[0]
    # Evidence files are written once the transaction commits: run those callbacks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        evidence = {
            name: services.store_evidence(
                assessment,
                users["admin@N"],
                component.id,
                SimpleUploadedFile("kiem-chung.pdf", _pdf(), "application/pdf"),
                Round.SELF,
            )
            for name, assessment in (("P1", draft), ("P2", submitted), ("dept", in_department))
        }

    window = {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30)}
    common = {"questionnaire": "sipas-2023-citizens", "edition": "sipas/2023", **window}
    Survey.objects.create(slug="sipas-national", name="SIPAS", **common)
    Survey.objects.create(slug="sipas-p1", name="SIPAS P1", unit=p1, **common)
    # Open data shows a survey's estimates once it has closed.
    Survey.objects.create(
        slug="sipas-closed",
        name="SIPAS 2025",
        **{**common, "opens_at": now - timedelta(days=90), "closes_at": now - timedelta(days=30)},
    )

    def a(name: str, assessment: Any, **extra: str) -> str:
        return reverse(
            name, kwargs={"pk": assessment.cycle_id, "ref": assessment.unit.ref, **extra}
        )

    field_id = component.field_id
    move = {"action": "reopen", "reason": ""}
    cases = {
        "landing": Case("GET", reverse("landing")),
        "login": Case("GET", reverse("login")),
        "logout": Case("POST", reverse("logout")),
        "set_language": Case("POST", reverse("set_language"), {"language": "en"}),
        "home": Case("GET", reverse("home")),
        "role-home[admin]": Case("GET", reverse("role-home", args=["admin"])),
        "password_change": Case("GET", reverse("password_change")),
        "password_change_done": Case("GET", reverse("password_change_done")),
        "unit-list": Case("GET", reverse("unit-list")),
        "unit-detail[P1]": Case("GET", reverse("unit-detail", args=[p1.pk])),
        "assessment-cycles": Case("GET", reverse("assessment-cycles")),
        "assessment-published[published]": Case(
            "GET", reverse("assessment-published", args=[published.pk])
        ),
        "assessment-cycle[national]": Case("GET", reverse("assessment-cycle", args=[national.pk])),
        "assessment-cycle[P1 not opened]": Case("GET", reverse("assessment-cycle", args=[own.pk])),
        "assessment-detail[P1 draft]": Case("GET", a("assessment-detail", draft)),
        "assessment-detail[P2 submitted]": Case("GET", a("assessment-detail", submitted)),
        "assessment-detail[P1 department, not opened]": Case(
            "GET", a("assessment-detail", in_department)
        ),
        "assessment-field[P1 draft]": Case("GET", a("assessment-field", draft, field_id=field_id)),
        "assessment-field[P2 submitted]": Case(
            "GET", a("assessment-field", submitted, field_id=field_id)
        ),
        "assessment-points[P1 draft]": Case(
            "GET", a("assessment-points", draft) + f"?component={component.id}"
        ),
        "assessment-move[P1 draft]": Case("POST", a("assessment-move", draft), move),
        "assessment-move[P2 submitted]": Case("POST", a("assessment-move", submitted), move),
        "assessment-sheet[P1 draft]": Case("GET", a("assessment-sheet", draft)),
        "assessment-sheet[P2 submitted]": Case("GET", a("assessment-sheet", submitted)),
        "assessment-sheet[P1 department, not opened]": Case(
            "GET", a("assessment-sheet", in_department)
        ),
        "assessment-evidence[P1 draft]": Case(
            "GET", reverse("assessment-evidence", args=[evidence["P1"].pk])
        ),
        "assessment-evidence[P2 submitted]": Case(
            "GET", reverse("assessment-evidence", args=[evidence["P2"].pk])
        ),
        "assessment-evidence[P1 department, not opened]": Case(
            "GET", reverse("assessment-evidence", args=[evidence["dept"].pk])
        ),
    }
    for name in ("council", "table", "preview", "survey"):
        cases[f"assessment-{name}[national]"] = Case(
            "GET", reverse(f"assessment-{name}", args=[national.pk])
        )
        cases[f"assessment-{name}[P1 not opened]"] = Case(
            "GET", reverse(f"assessment-{name}", args=[own.pk])
        )
    cases["assessment-publish[national]"] = Case(
        "POST", reverse("assessment-publish", args=[national.pk])
    )
    cases["assessment-publish[P1 not opened]"] = Case(
        "POST", reverse("assessment-publish", args=[own.pk])
    )
    cases["survey-list"] = Case("GET", reverse("survey-list"))
    for key in TABLE:
        if key.startswith(("survey-", "webform-")) and "[" in key and key != "survey-job[P1]":
            name, which = key[:-1].split("[")
            slug = "sipas-national" if which == "national" else "sipas-p1"
            cases[key] = Case("GET", reverse(name, args=[slug]))
    cases.update(_other_cases(users, p1, national, own, published, draft))
    jobs = _jobs(users, national, own, draft)
    cases["survey-job[P1]"] = Case(
        "GET", reverse("survey-job", args=["sipas-p1", jobs["job[survey draw P1]"].pk])
    )
    for key, job in jobs.items():
        cases[key] = Case("GET", reverse(key.split("[")[0], args=[job.pk]))
    return World(users, cases)


def _jobs(users: dict[str, Any], national: Any, own: Any, draft: Any) -> dict[str, Any]:
    """A job of each kind of page that starts one; the renders done, with their file."""
    from parindex.server.jobs.models import Job
    from parindex.server.jobs.runner import outputs
    from parindex.server.results.models import Publication
    from parindex.server.surveys.models import Survey

    def job(kind: str, subject: Any, **fields: Any) -> Job:
        made = Job(kind=kind, upload_name="tep.xlsx", created_by=users["admin@N"], **fields)
        made.concerns(subject)
        made.save()
        return made

    def done(kind: str, subject: Any, params: dict[str, Any], result: dict[str, Any]) -> Job:
        name = f"matrix-{kind}.pdf"
        (outputs() / name).write_bytes(_pdf())
        return job(
            kind,
            subject,
            state=Job.State.DONE,
            params=params,
            result=result,
            output=name,
            output_name=name,
            output_type="application/pdf",
        )

    survey = Survey.objects.get(slug="sipas-p1")
    publication = Publication.objects.get(index="par-index-province", year=2025)
    report = {"index": "par-index-province", "year": 2025, "fmt": "pdf"}
    return {
        "job[survey draw P1]": job("survey-draw", survey),
        "job[survey points national]": job("assessment-survey-points", national),
        "job[survey points P1 not opened]": job("assessment-survey-points", own),
        "job[sheet P1 draft]": job("assessment-sheet", draft),
        "job[report]": job("results-report", publication, params=report),
        "job-file[ballots P1]": done("survey-ballots", survey, {}, {"ballots": 1}),
        "job-file[report]": done("results-report", publication, report, {"title": "PAR INDEX"}),
    }


def _other_cases(
    users: dict[str, Any], p1: Any, national: Any, own: Any, published: Any, draft: Any
) -> dict[str, Case]:
    """Cases of the results site, the open-data and ingestion APIs, one-stop centres, feedback
    and plans."""
    from parindex.server.feedback import services as feedback
    from parindex.server.feedback.models import Apology, Feedback
    from parindex.server.plans.models import ImprovementPlan, PlanAction
    from parindex.server.ratings import services as ratings
    from parindex.server.ratings.models import Dossier
    from parindex.server.results.models import Publication, ResultRow

    now = timezone.now()
    publication = Publication.objects.create(
        index="par-index-province",
        year=2025,
        origin="cycle",
        cycle=published,
        edition=published.edition,
        title="PAR INDEX 2025",
        published_at=now,
    )
    ResultRow.objects.create(publication=publication, unit=p1, node="", pct=80.0, rank=1)
    dossier = Dossier.objects.create(
        code="HS-P1-0001", procedure="thu-tuc", unit=p1, received=now, appointment=now
    )
    token = ratings.rating_token(dossier)
    item = feedback.receive(feedback.Intake("Chậm trả hồ sơ", unit=p1), Feedback.Source.WEB)
    Apology.objects.create(
        dossier_code=dossier.code, unit=p1, due_on=now.date(), created_on=now.date()
    )
    plan = ImprovementPlan.objects.create(
        cycle=published,
        unit=p1,
        target="rank:1",
        needed_pct=0.0,
        baseline_pct=80.0,
        planned_pct=80.0,
        created_by=users["admin@N"],
    )
    action = PlanAction.objects.create(
        plan=plan, component="1.1", current_points=0.5, target_points=1.0
    )
    year = {"index": "par-index-province", "year": 2025}
    plan_action = {"pk": plan.pk, "action_pk": action.pk}
    return {
        "favicon": Case("GET", reverse("favicon")),
        "assessment-new": Case("GET", reverse("assessment-new")),
        "assessment-settings[national]": Case(
            "GET", reverse("assessment-settings", args=[national.pk])
        ),
        "assessment-settings[P1 not opened]": Case(
            "GET", reverse("assessment-settings", args=[own.pk])
        ),
        "assessment-provenance[published]": Case(
            "GET", reverse("assessment-provenance", args=[published.pk])
        ),
        "results-home": Case("GET", reverse("results-home")),
        "results-ranking[published]": Case("GET", reverse("results-ranking", kwargs=year)),
        "results-csv[published]": Case("GET", reverse("results-csv", kwargs=year)),
        "results-json[published]": Case("GET", reverse("results-json", kwargs=year)),
        "results-unit[P1]": Case(
            "GET", reverse("results-unit", kwargs={"index": year["index"], "ref": p1.ref})
        ),
        "results-boundaries[configured]": Case(
            "GET", reverse("results-boundaries", kwargs={"number": 0})
        ),
        "results-report[published]": Case(
            "GET", reverse("results-report", args=[year["index"], year["year"], "xlsx"])
        ),
        "results-unit-report[P1]": Case(
            "GET", reverse("results-unit-report", args=[year["index"], p1.ref, "xlsx"])
        ),
        "api-v1:api-root": Case("GET", reverse("api-v1:api-root")),
        "api-v1:openapi-json": Case("GET", reverse("api-v1:openapi-json")),
        "api-v1:openapi-view": Case("GET", reverse("api-v1:openapi-view")),
        "api-v1:publications": Case("GET", reverse("api-v1:publications")),
        "api-v1:publication[published]": Case(
            "GET", reverse("api-v1:publication", kwargs={"publication_id": publication.pk})
        ),
        "api-v1:results": Case("GET", reverse("api-v1:results") + "?index=par-index-province"),
        "api-v1:cycles": Case("GET", reverse("api-v1:cycles")),
        "api-v1:editions": Case("GET", reverse("api-v1:editions")),
        "api-v1:units": Case("GET", reverse("api-v1:units")),
        "api-v1:surveys": Case("GET", reverse("api-v1:surveys")),
        "api-v1:survey_estimates[closed]": Case(
            "GET", reverse("api-v1:survey_estimates", kwargs={"slug": "sipas-closed"})
        ),
        "kiosk": Case("GET", reverse("kiosk")),
        "kiosk-worker": Case("GET", reverse("kiosk-worker")),
        "online-rating[P1 dossier]": Case("GET", reverse("online-rating", args=[token])),
        "online-rating-qr[P1 dossier]": Case("GET", reverse("online-rating-qr", args=[token])),
        "leader-dashboard[P1]": Case("GET", reverse("leader-dashboard", args=[p1.ref])),
        "import-dossiers[P1]": Case("POST", reverse("import-dossiers", args=[p1.ref])),
        "api-v1:post_rating": Case("JSON", reverse("api-v1:post_rating"), {}),
        "api-v1:post_batch": Case("JSON", reverse("api-v1:post_batch"), {}),
        "api-v1:post_dossiers": Case("JSON", reverse("api-v1:post_dossiers"), {}),
        "api-v1:get_rating_link[P1 dossier]": Case(
            "GET", reverse("api-v1:get_rating_link", kwargs={"code": dossier.code})
        ),
        "unit-index-sheet[P1]": Case("GET", reverse("unit-index-sheet", args=[p1.ref])),
        "api-v1:post_kiosk_batch": Case("JSON", reverse("api-v1:post_kiosk_batch"), {"items": []}),
        "api-v1:post_kiosk_feedback": Case(
            "JSON", reverse("api-v1:post_kiosk_feedback"), {"items": []}
        ),
        "feedback-send": Case("GET", reverse("feedback-send")),
        "feedback-answers": Case("GET", reverse("feedback-answers")),
        "feedback-inbox[P1]": Case("GET", reverse("feedback-inbox", args=[p1.ref])),
        "feedback-handle[P1 item]": Case("GET", reverse("feedback-handle", args=[item.reference])),
        "feedback-apology[P1 dossier]": Case(
            "GET", reverse("feedback-apology", args=[dossier.code])
        ),
        "plans": Case("GET", reverse("plans")),
        "plan-create[P1]": Case(
            "POST", reverse("plan-create"), {"assessment": str(draft.pk), "target": "rank:1"}
        ),
        "plan[P1]": Case("GET", reverse("plan", args=[plan.pk])),
        "plan-download[P1]": Case("GET", reverse("plan-download", args=[plan.pk])),
        "plan-pdf[P1]": Case("GET", reverse("plan-pdf", args=[plan.pk])),
        "plan-action-move[P1]": Case(
            "POST", reverse("plan-action-move", kwargs=plan_action), {"status": "in_progress"}
        ),
        "plan-action-assign[P1]": Case(
            "POST", reverse("plan-action-assign", kwargs=plan_action), {"person": "Nguyễn Văn A"}
        ),
    }


def _outcome(response: Any) -> str:
    if response.status_code in (401, 403):
        return "kept out"
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "kept out"
    if response.status_code in (404, 405) or response.status_code >= 500:
        return f"broken ({response.status_code})"
    return "let in"


@pytest.fixture
def world(
    reference_units: None, make_user: Callable[..., Any], settings: Any, tmp_path: Any
) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    # 21 accounts: a fast hasher keeps the setup short (passwords are not what is tested here).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A boundary file for the geographic map (PARINDEX_BOUNDARIES), served to everyone.
    boundaries = tmp_path / "provinces.geojson"
    boundaries.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    settings.PARINDEX_BOUNDARIES = (str(boundaries),)
    return _build_world(make_user)


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for actor, user in world.users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[actor] = client
    return clients


def _ask(client: Client, case: Case) -> Any:
    if case.method == "POST":
        return client.post(case.path, case.data or {})
    if case.method == "JSON":
        return client.post(case.path, case.data or {}, content_type="application/json")
    return client.get(case.path)


def test_the_matrix_of_routes_and_roles(world: World) -> None:
    clients = _clients(world)
    wrong = []
    for key, mask in TABLE.items():
        if key == "admin:*":
            continue
        case = world.cases[key]
        if mask == NO_PAGE:
            wrong += [
                f"{key} as {actor}: {got}, expected broken (404)"
                for actor, client in clients.items()
                if (got := _outcome(_ask(client, case))) != "broken (404)"
            ]
            continue
        for actor, expected in _mask(mask).items():
            client = clients[actor]
            if key == "logout":
                client = Client(raise_request_exception=False)
                if world.users[actor] is not None:
                    client.force_login(world.users[actor])
            got = _outcome(_ask(client, case))
            want = "let in" if expected else "kept out"
            if got != want:
                wrong.append(f"{key} as {actor}: {got}, expected {want}")
    assert wrong == [], "\n".join(wrong)


def _admin_paths() -> Iterator[tuple[str, str]]:
    """A concrete address for each admin pattern (objects need not exist: the staff check
    comes first)."""
    for route in route_names():
        if not route.startswith("admin:"):
            continue
        name = route.split(":", 1)[1]
        if "<" in name or "(" in name:
            yield route, "/admin/no-such-page/"
            continue
        tried = ({}, {"object_id": "1"}, {"id": "1"}, {"app_label": "accounts"})
        for kwargs in (*tried, {"content_type_id": 1, "object_id": "1"}):
            try:
                yield route, reverse(route, kwargs=kwargs)
                break
            except NoReverseMatch:  # the pattern takes other arguments
                continue
        else:
            raise AssertionError(f"{route}: give _admin_paths the arguments it takes")


OPEN_ADMIN_PAGES = {"admin:login", "admin:logout"}  # signing in and out: no data behind them


def test_no_role_opens_the_django_admin(world: World) -> None:
    clients = _clients(world)
    mask = _mask(TABLE["admin:*"])
    wrong = []
    paths = dict(_admin_paths())
    assert len(paths) > 20
    for route, path in paths.items():
        for actor in ("anonymous", "admin@N", "admin@P1", "focal_point@P1", "council_member@N"):
            got = _outcome(clients[actor].get(path))
            let_in = route in OPEN_ADMIN_PAGES or mask[actor]
            want = "let in" if let_in else "kept out"
            if got != want:
                wrong.append(f"{route} ({path}) as {actor}: {got}, expected {want}")
    assert wrong == []


def test_ingestion_tokens_reach_their_own_unit_and_purpose_only(world: World) -> None:
    """The token-only rows above keep every signed-in person out; a token lets its holder in for
    its purpose and its unit's subtree, never another province's dossiers."""
    from parindex.server.accounts.models import Unit
    from parindex.server.ratings.models import IngestToken

    p1, p2 = Unit.objects.get(ref="province:20"), Unit.objects.get(ref="province:04")
    device = world.users["counter_device@P1"]
    _, ratings_p1 = IngestToken.issue(device, p1, IngestToken.Purpose.RATINGS)
    _, dossiers_p1 = IngestToken.issue(
        world.users["focal_point@P1"], p1, IngestToken.Purpose.DOSSIERS
    )
    _, dossiers_p2 = IngestToken.issue(
        world.users["focal_point@P2"], p2, IngestToken.Purpose.DOSSIERS
    )
    link = world.cases["api-v1:get_rating_link[P1 dossier]"].path
    batch = reverse("api-v1:post_batch")
    client = Client(raise_request_exception=False)

    def status(method: str, path: str, secret: str) -> int:
        headers = {"Authorization": f"Bearer {secret}"}
        if method == "GET":
            return client.get(path, headers=headers).status_code
        body = {"items": []}
        return client.post(path, body, content_type="application/json", headers=headers).status_code

    assert status("GET", link, dossiers_p1) == 200
    assert status("GET", link, dossiers_p2) == 404  # another province's dossier: not in scope
    assert status("GET", link, ratings_p1) == 401  # a ratings token does not read dossiers
    assert status("GET", link, "forged") == 401
    assert status("POST", batch, ratings_p1) == 200
    assert status("POST", batch, dossiers_p1) == 401  # a dossiers token does not post ratings

    # A P2 token can neither file a dossier at P1 nor take over P1's dossier by its code.
    dossier = {
        "code": "HS-P1-0001",
        "procedure": "thu-tuc",
        "unit": p2.ref,
        "received": "2026-01-05T08:00:00+07:00",
        "appointment": "2026-01-10T08:00:00+07:00",
    }
    post = reverse("api-v1:post_dossiers")
    for item in (dossier, {**dossier, "code": "HS-NEW", "unit": p1.ref}):
        response = client.post(
            post,
            {"dossiers": [item]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {dossiers_p2}"},
        )
        assert response.status_code == 422, response.content
    from parindex.server.ratings.models import Dossier

    assert Dossier.objects.get(code="HS-P1-0001").unit == p1
    assert not Dossier.objects.filter(code="HS-NEW").exists()


def test_the_superuser_flag_does_not_widen_a_role(world: World) -> None:
    """Views ask the rule set (``permissions.allows``), not ``user.has_perm``, which Django
    answers yes for every superuser: a P2 leader flagged superuser stays out of P1's pages."""
    leader = world.users["leader@P2"]
    leader.is_superuser = True
    leader.save(update_fields=["is_superuser"])
    client = Client(raise_request_exception=False)
    client.force_login(leader)
    for key in ("plan[P1]", "feedback-inbox[P1]", "leader-dashboard[P1]", "kiosk"):
        assert _outcome(_ask(client, world.cases[key])) == "kept out", key
