"""Object permissions (django-rules), registered by the accounts app when it is ready."""

from __future__ import annotations

import rules

from parindex.server.accounts import services
from parindex.server.accounts.models import Unit, User


@rules.predicate
def reaches_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and services.user_reaches(user, unit)


rules.add_perm("accounts.view_unit", rules.is_authenticated & reaches_unit)
