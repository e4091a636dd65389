"""Middleware of the site: the interface's language, security headers and the trail of refused
access.

Vietnamese first: the interface speaks Vietnamese unless the user switched to English.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, which would show English to
every official whose browser was installed in English. Here only the language cookie set by the
switch (``/i18n/setlang/``) counts; without it the language is ``LANGUAGE_CODE`` (``vi``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


ACCESS_LOG = logging.getLogger("parindex.access")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class RefusedAccessLogMiddleware:
    """Logs every 403 (a permission refused, a CSRF failure) with who asked for what, and adds
    the headers Django's ``SecurityMiddleware`` does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            ACCESS_LOG.warning(
                "access refused",
                extra={
                    "event": "access_refused",
                    "status": response.status_code,
                    "method": request.method,
                    "path": request.path,
                    "user": user.get_username() if user and user.is_authenticated else "",
                    "client": request.META.get("REMOTE_ADDR", ""),
                    "forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR", ""),
                },
            )
        return response
