"""Production posture: the documented production variables pass ``check --deploy``; every page
sends the security headers and runs no inline script; login behind a TLS proxy works; repeated
wrong passwords lock an account name; errors and refused access leave a JSON trail."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "src" / "parindex" / "server"
PARINDEX = Path(sys.executable).parent / "parindex"


def documented_production_environment() -> dict[str, str]:
    """The ``sh`` block under "## Production" in docs/configuration.md, secret made real."""
    text = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    block = re.search(r"## Production.*?```sh\n(.*?)```", text, re.S)
    assert block, "docs/configuration.md lost its production example"
    environ = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        environ[name.strip()] = value.strip()
    assert environ["PARINDEX_SECRET_KEY"].startswith("<")
    environ["PARINDEX_SECRET_KEY"] = secrets.token_urlsafe(50)
    return environ


def _run(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_")}
    env.pop("DATABASE_URL", None)
    # The browser tests allow Django's sync calls from Playwright's event loop for their own
    # process; a deployment never has that, and `check --deploy` rightly refuses it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(environ)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_check_deploy_is_clean_with_the_documented_production_variables() -> None:
    result = _run(
        [str(PARINDEX), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        documented_production_environment(),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_names_what_a_bare_production_setup_lacks() -> None:
    environ = {"PARINDEX_ENV": "production", "PARINDEX_SECRET_KEY": secrets.token_urlsafe(50)}
    environ["PARINDEX_HSTS_SECONDS"] = "0"
    result = _run(
        [str(PARINDEX), "manage", "check", "--deploy", "--fail-level", "WARNING"], environ
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


PRINT_SETTINGS = (
    "import os, json, django;"
    "os.environ['DJANGO_SETTINGS_MODULE']='parindex.server.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS',"
    "'SECURE_HSTS_PRELOAD','SECURE_PROXY_SSL_HEADER','CSRF_TRUSTED_ORIGINS',"
    "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','AXES_FAILURE_LIMIT')}, default=str))"
)


def test_production_settings_come_from_the_environment() -> None:
    environ = documented_production_environment()
    environ["PARINDEX_HSTS_SECONDS"] = "3600"
    environ["PARINDEX_LOGIN_FAILURE_LIMIT"] = "3"
    result = _run([sys.executable, "-c", PRINT_SETTINGS], environ)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://chiso.gov.vn"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "AXES_FAILURE_LIMIT": 3,
    }
    development = _run([sys.executable, "-c", PRINT_SETTINGS], {})
    settings = json.loads(development.stdout)
    assert settings["SECURE_SSL_REDIRECT"] is False and settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SECURE_PROXY_SSL_HEADER"] is None, "no proxy header trusted by default"


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client: Client) -> None:
    response = client.get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_no_template_runs_inline_script() -> None:
    found = []
    for template in sorted(SERVER.rglob("templates/**/*.html")):
        text = template.read_text("utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE, re.compile("javascript:", re.I)):
            found += [
                f"{template.relative_to(SERVER)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert found == [], "move scripts to static files: the Content-Security-Policy blocks them"


def _login(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_behind_a_tls_proxy_needs_the_proxy_settings(settings, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("ls-admin", Role.ADMIN, None, password="mật-khẩu-thử-1")
    settings.ALLOWED_HOSTS = ["chiso.gov.vn"]
    proxied = {
        "HTTP_HOST": "chiso.gov.vn",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ORIGIN": "https://chiso.gov.vn",
        "HTTP_REFERER": "https://chiso.gov.vn/accounts/login/",
    }

    def attempt() -> int:
        client = Client(enforce_csrf_checks=True)
        client.get("/accounts/login/", **proxied)
        token = client.cookies["csrftoken"].value
        response = client.post(
            "/accounts/login/",
            {"username": "ls-admin", "password": "mật-khẩu-thử-1", "csrfmiddlewaretoken": token},
            **proxied,
        )
        return response.status_code

    settings.SECURE_PROXY_SSL_HEADER = None
    assert attempt() == 403, "the proxy's HTTPS is not trusted: the origin looks foreign"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert attempt() == 302


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_name(settings, make_user) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessAttempt

    make_user("ls-focal", Role.FOCAL_POINT, _province(), password="đúng-rồi-2026")
    make_user("cb-focal", Role.PUBLIC, None, password="đúng-rồi-2026")
    client = Client()
    # A success before the limit starts the count again.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "ls-focal", "sai").status_code == 200
    assert _login(client, "ls-focal", "đúng-rồi-2026").status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "ls-focal", "sai")
    locked = _login(client, "ls-focal", "đúng-rồi-2026")
    assert locked.status_code == 429
    assert "Đã nhập sai mật khẩu quá nhiều lần" in locked.text
    assert "15 phút" in locked.text
    assert "_auth_user_id" not in client.session
    # Another account name is not affected…
    assert _login(Client(), "cb-focal", "đúng-rồi-2026").status_code == 302
    # …and the lock lifts when the cool-off has passed.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "ls-focal", "đúng-rồi-2026").status_code == 302


def _province() -> Any:
    from parindex.server.accounts.models import Unit

    unit, _created = Unit.objects.get_or_create(
        ref="t:province", defaults={"kind": "province", "name_vi": "Tỉnh thử"}
    )
    return unit


LOG_A_REFUSAL_AND_AN_ERROR = """
import os, django
os.environ['DJANGO_SETTINGS_MODULE'] = 'parindex.server.settings'
django.setup()
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.contrib.auth.models import AnonymousUser
from parindex.server.middleware import RefusedAccessLogMiddleware

def refuse(request):
    from django.http import HttpResponseForbidden
    return HttpResponseForbidden()

request = RequestFactory().get('/assessments/7/province:20/', REMOTE_ADDR='203.0.113.9')
request.user = AnonymousUser()
RefusedAccessLogMiddleware(refuse)(request)
import logging
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger('django.request').error('Internal Server Error: /x/', exc_info=True,
                                              extra={'status_code': 500})
"""


def test_refused_access_and_errors_are_logged_as_json_lines() -> None:
    result = _run([sys.executable, "-c", LOG_A_REFUSAL_AND_AN_ERROR], {})
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    refused = next(line for line in lines if line["logger"] == "parindex.access")
    assert refused["event"] == "access_refused"
    assert refused["status"] == 403
    assert refused["path"] == "/assessments/7/province:20/"
    assert refused["client"] == "203.0.113.9"
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["status_code"] == 500
    assert "ZeroDivisionError" in error["exception"]
