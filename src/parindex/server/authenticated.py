"""The request a signed-in view receives, typed as such."""

from __future__ import annotations

from django.http import HttpRequest

from parindex.server.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``: its user is an account, never anonymous."""

    user: User
