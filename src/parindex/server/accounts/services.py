"""What a user may reach, and the reference units every installation starts with.

A role held at a unit reaches that unit and all units below it (``core.units.hierarchy``); a role
held nationally reaches every unit. Views ask these functions; they never filter units themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.signals import post_delete, post_save

from parindex.core.roles import Role, requires_unit
from parindex.core.units import descendants, reaches, reference_units
from parindex.server.accounts.models import RoleAssignment, Unit, User

_ROLE_CHANGES = [0]
"""Bumped by every saved or deleted role assignment: it outdates the assignments read below."""


def _role_changed(**_kwargs: object) -> None:
    _ROLE_CHANGES[0] += 1


post_save.connect(_role_changed, sender=RoleAssignment, dispatch_uid="parindex-role-saved")
post_delete.connect(_role_changed, sender=RoleAssignment, dispatch_uid="parindex-role-deleted")


def _held(user: User) -> list[tuple[str, int | None]]:
    """``user``'s (role, unit) assignments, read once per user object until a role changes.

    A page listing a cycle asks the rules once per assessment (78 on a province's cycle); each
    asked the database for the same assignments again. A request loads its ``user`` afresh, so
    the memory lasts one request."""
    cached: tuple[int, list[tuple[str, int | None]]] | None = user.__dict__.get("_parindex_held")
    if cached is not None and cached[0] == _ROLE_CHANGES[0]:
        return cached[1]
    held: list[tuple[str, int | None]] = list(user.role_assignments.values_list("role", "unit_id"))
    user.__dict__["_parindex_held"] = (_ROLE_CHANGES[0], held)
    return held


def roles_of(user: User) -> list[Role]:
    """The distinct roles ``user`` holds, in the order of :class:`Role`."""
    if not user.is_authenticated:
        return []
    held = {role for role, _unit in _held(user)}
    return [role for role in Role if role.value in held]


def has_role(user: User, role: Role) -> bool:
    return user.is_authenticated and any(held == role.value for held, _unit in _held(user))


def _scopes(user: User, roles: Iterable[Role] | None) -> list[int | None]:
    wanted = None if roles is None else {r.value for r in roles}
    return [unit for role, unit in _held(user) if wanted is None or role in wanted]


def user_reaches(user: User, unit: Unit, roles: Iterable[Role] | None = None) -> bool:
    """Whether one of ``user``'s roles (or of ``roles`` only) is held at ``unit`` or above it."""
    if not user.is_authenticated:
        return False
    scopes = _scopes(user, roles)
    if not scopes:
        return False
    parent_of: dict[int, int | None] = {}
    current: Unit | None = unit
    while current is not None and current.pk not in parent_of:
        parent_of[current.pk] = current.parent_id
        current = current.parent
    return any(reaches(scope, unit.pk, parent_of) for scope in scopes)


def holds_over(user: User, unit: Unit | None, roles: Iterable[Role]) -> bool:
    """Whether ``user`` holds one of ``roles`` at ``unit`` or above it; for ``unit=None`` (the
    nation, e.g. a cycle run by the Ministry) only a role held nationally counts."""
    if unit is not None:
        return user_reaches(user, unit, roles)
    return user.is_authenticated and None in _scopes(user, roles)


def roles_at(user: User, unit: Unit) -> frozenset[Role]:
    """The roles ``user`` holds at ``unit``, above it, or nationally: the roles that reach it.

    One query for the user's assignments and one per ancestor; every per-object rule in
    ``permissions`` starts here, so an admin role held at a province never acts elsewhere.
    """
    if not user.is_authenticated:
        return frozenset()
    held: dict[str, set[int | None]] = {}
    for role, scope in _held(user):
        held.setdefault(role, set()).add(scope)
    if not held:
        return frozenset()
    parent_of: dict[int, int | None] = {}
    current: Unit | None = unit
    while current is not None and current.pk not in parent_of:
        parent_of[current.pk] = current.parent_id
        current = current.parent
    return frozenset(
        Role(role)
        for role, scopes in held.items()
        if any(reaches(scope, unit.pk, parent_of) for scope in scopes)
    )


def reaches_every(user: User, unit_ids: Iterable[int | None], roles: Iterable[Role]) -> bool:
    """Whether ``user``'s ``roles`` together reach every unit of ``unit_ids`` (``None``: a
    national object, reached by national roles only). An empty set is national too: nothing
    shows that it belongs to a province."""
    if not user.is_authenticated:
        return False
    scopes = _scopes(user, roles)
    if None in scopes:
        return True
    wanted = set(unit_ids)
    if not scopes or not wanted or None in wanted:
        return False
    parent_of = dict(Unit.objects.values_list("id", "parent_id"))
    return wanted <= descendants(scopes, parent_of)


def units_in_scope(user: User, roles: Iterable[Role] | None = None) -> QuerySet[Unit]:
    """Every unit one of ``user``'s roles reaches."""
    if not user.is_authenticated:
        return Unit.objects.none()
    scopes = _scopes(user, roles)
    if not scopes:
        return Unit.objects.none()
    if None in scopes:
        return Unit.objects.all()
    parent_of = dict(Unit.objects.values_list("id", "parent_id"))
    return Unit.objects.filter(pk__in=descendants(scopes, parent_of))


def unit_path(unit: Unit) -> list[Unit]:
    """``unit`` and its ancestors, outermost first (for breadcrumbs)."""
    chain = [unit]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return list(reversed(chain))


def grant_role(
    user: User, role: Role, unit: Unit | None, granted_by: User | None = None
) -> RoleAssignment:
    """Give ``user`` ``role`` at ``unit`` (``None``: nationally); granting twice changes nothing."""
    if unit is None and requires_unit(role):
        raise ValueError(f"role {role.value!r} is held at a unit; got no unit")
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role.value, unit=unit, defaults={"granted_by": granted_by}
    )
    return assignment


@transaction.atomic
def load_reference_units() -> dict[str, int]:
    """Create or update the catalogue's ministries and provinces; safe to run again.

    Returns how many units were created and updated.
    """
    records = reference_units()
    existing = {u.ref: u for u in Unit.objects.filter(ref__in=[r.ref for r in records])}
    created = updated = 0
    for record in records:
        fields = {
            "kind": record.kind.value,
            "code": record.code,
            "name_vi": record.name_vi,
            "name_en": record.name_en,
            "valid_from": record.valid_from,
            "valid_to": record.valid_to,
        }
        unit = existing.get(record.ref)
        if unit is None:
            existing[record.ref] = Unit.objects.create(ref=record.ref, **fields)
            created += 1
        elif any(getattr(unit, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(unit, name, value)
            unit.save()
            updated += 1
    for record in records:
        unit = existing[record.ref]
        if record.parent_ref is not None:
            unit.parent = existing[record.parent_ref]
            unit.save(update_fields=["parent"])
        unit.successors.set([existing[ref] for ref in record.successor_refs])
    return {"created": created, "updated": updated}


__all__ = [
    "grant_role",
    "has_role",
    "holds_over",
    "load_reference_units",
    "reaches_every",
    "roles_at",
    "roles_of",
    "unit_path",
    "units_in_scope",
    "user_reaches",
]


def home_summary(user: User, role: Role) -> dict[str, object]:
    """What a role's home page shows: where the role is held and what it reaches."""
    assignments = (
        user.role_assignments.filter(role=role.value)
        .select_related("unit")
        .order_by("unit__name_vi")
    )
    reached = units_in_scope(user, [role])
    # One grouped count (order_by() drops Unit's default ordering, which DISTINCT/GROUP BY
    # would otherwise include: that made one COUNT query per unit, 240 on the demo's homes).
    counts = {
        row["kind"]: row["n"] for row in reached.order_by().values("kind").annotate(n=Count("id"))
    }
    summary: dict[str, object] = {
        "held_at": [a.unit for a in assignments],
        "national": any(a.unit_id is None for a in assignments),
        "unit_counts": sorted(counts.items()),
    }
    if role is Role.ADMIN:
        summary["users_by_role"] = [
            (r, RoleAssignment.objects.filter(role=r.value).values("user").distinct().count())
            for r in Role
        ]
    return summary
