"""Object permissions (django-rules), registered by the accounts app when it is ready."""

from __future__ import annotations

import rules

from parindex.core.roles import Role
from parindex.server.accounts import services
from parindex.server.accounts.models import Unit, User


@rules.predicate
def reaches_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and services.user_reaches(user, unit)


rules.add_perm("accounts.view_unit", rules.is_authenticated & reaches_unit)


@rules.predicate
def is_counter_device(user: User) -> bool:
    return services.has_role(user, Role.COUNTER_DEVICE)


@rules.predicate
def leads_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and services.user_reaches(user, unit, roles=[Role.LEADER, Role.ADMIN])


rules.add_perm("ratings.use_kiosk", rules.is_authenticated & is_counter_device)
rules.add_perm("ratings.import_dossiers", rules.is_authenticated & leads_unit)
rules.add_perm("ratings.view_dashboard", rules.is_authenticated & leads_unit)


@rules.predicate
def serves_unit(user: User, unit: Unit | None) -> bool:
    roles = [Role.LEADER, Role.FOCAL_POINT, Role.ADMIN]
    return unit is not None and services.user_reaches(user, unit, roles=roles)


rules.add_perm("feedback.handle", rules.is_authenticated & serves_unit)
