"""Thin views: parse the request, ask ``services``, render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from parindex.core.roles import Role
from parindex.core.units import UnitKind
from parindex.server.accounts import services
from parindex.server.accounts.labels import ROLE_LABELS, UNIT_KIND_LABELS
from parindex.server.accounts.models import Unit, UnitQuerySet
from parindex.server.accounts.permissions import allows
from parindex.server.accounts.published import publications
from parindex.server.assessments.labels import state_label
from parindex.server.assessments.services import open_assessments
from parindex.server.authenticated import AuthenticatedRequest


def locked_out(
    request: HttpRequest, response: object = None, credentials: object = None
) -> HttpResponse:
    """What django-axes answers while an account name is locked (429 Too Many Requests)."""
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() // 60
    context = {"lockout_minutes": int(minutes)}
    return render(request, "registration/locked_out.html", context, status=429)


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/landing.html", {"publications": publications()})


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    roles = services.roles_of(request.user)
    if len(roles) == 1:
        return redirect("role-home", slug=roles[0].slug)
    return render(
        request,
        "accounts/home.html",
        {"roles": [(role, ROLE_LABELS[role]) for role in roles]},
    )


ASSESSMENT_ROLES = {Role.FOCAL_POINT, Role.LEADER, Role.APPRAISER, Role.COUNCIL_MEMBER}


@login_required
def role_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    try:
        role = Role.from_slug(slug)
    except ValueError:
        raise Http404(slug) from None
    if not services.has_role(request.user, role):
        raise PermissionDenied(f"role {role.value} not held")
    context = services.home_summary(request.user, role)
    context["role"] = role
    if role is Role.PUBLIC:
        context["publications"] = publications()
    context["role_label"] = ROLE_LABELS[role]
    counts = cast("list[tuple[str, int]]", context["unit_counts"])
    context["unit_counts"] = [(UNIT_KIND_LABELS[UnitKind(k)], n) for k, n in counts]
    if "users_by_role" in context:
        by_role = cast("list[tuple[Role, int]]", context["users_by_role"])
        context["users_by_role"] = [(ROLE_LABELS[r], n) for r, n in by_role]
    if role in ASSESSMENT_ROLES:
        context["assessments"] = [
            (a, state_label(a.state)) for a in open_assessments(request.user, role)
        ]
    return render(request, f"accounts/home/{role.value}.html", context)


@login_required
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    units = services.units_in_scope(request.user).select_related("parent")
    kind = request.GET.get("kind", "")
    if kind in {k.value for k in UnitKind}:
        units = units.filter(kind=kind)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        units = cast("UnitQuerySet", units).valid_on(timezone.localdate())
    page = Paginator(units.order_by("kind", "code", "name_vi"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/unit_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": [(k.value, UNIT_KIND_LABELS[k]) for k in UnitKind],
            "show_all": show_all,
        },
    )


@login_required
def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    if not allows(request.user, "accounts.view_unit", unit):
        raise PermissionDenied("unit outside the user's scope")
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "kind_label": UNIT_KIND_LABELS[UnitKind(unit.kind)],
            # Each unit with whether this user may open it: no link leads to a refusal.
            "path": _openable(request.user, services.unit_path(unit)),
            "children": _openable(request.user, unit.children.order_by("name_vi")),
            "successors": _openable(request.user, unit.successors.order_by("name_vi")),
            "predecessors": _openable(request.user, unit.predecessors.order_by("name_vi")),
        },
    )


def _openable(user: object, units: Iterable[Unit]) -> list[tuple[Unit, bool]]:
    return [(u, allows(user, "accounts.view_unit", u)) for u in units]
