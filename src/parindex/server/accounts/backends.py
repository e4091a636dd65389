"""Login throttling (django-axes): an account name locked after repeated wrong passwords."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottle(AxesStandaloneBackend):
    """Axes' check, for logins that come with an HTTP request (the login pages).

    Without a request there is nobody to throttle — a management command or a test client
    calling ``authenticate`` directly — and axes would refuse outright, so this backend steps
    aside and the model backend decides alone.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
