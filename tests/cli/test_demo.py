"""``parindex demo`` builds the demo world and serves a site where every demo account logs in."""

from __future__ import annotations

import http.cookiejar
import io
import re
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from parindex.core.roles import Role
from tests.cli.conftest import free_port


class Browser:
    """A cookie-keeping HTTP client that logs in the way a browser does (CSRF included)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    def log_in(self, username: str, password: str) -> tuple[str, str]:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/",
            data=data,
            headers={"Referer": self.base + "/accounts/login/"},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")


def wait_until_ready(url: str, process: subprocess.Popen[str]) -> None:
    """Until the page answers 200, as long as the demo runs."""
    while process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the demo stopped with exit code {process.returncode}")


@pytest.fixture(scope="module")
def demo_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str], str]]:
    import os
    import shutil

    workdir = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARINDEX_", "DJANGO_"))}
    env["DATABASE_URL"] = "postgresql://ignored@127.0.0.1:1/none"  # the demo must not use it
    process = subprocess.Popen(
        [shutil.which("parindex") or "parindex", "demo", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        # No fixed deadline: the build reports each step, and the site is used once it answers
        # (a loaded machine builds slower, not wrongly).
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "serving on http://127.0.0.1" in line:
                break
        text = "".join(output)
        assert "serving on" in text, text
        wait_until_ready(f"http://127.0.0.1:{port}/accounts/login/", process)
        passwords = dict(re.findall(r"│ ([a-z-]+)\s+│ (\S+)\s+│", text))
        yield f"http://127.0.0.1:{port}", passwords, text
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_demo_prints_one_account_per_role(demo_site: tuple[str, dict[str, str], str]) -> None:
    _, passwords, text = demo_site
    # One account per role, and the demo province's own administrator (its own cycle).
    assert sorted(passwords) == sorted([*(role.slug for role in Role), "admin-lang-son"])
    assert len(set(passwords.values())) == len(Role) + 1, "every account has its own password"
    assert "105 units loaded" in text


def test_the_demo_reports_each_build_step(demo_site: tuple[str, dict[str, str], str]) -> None:
    from parindex.server.demo import BUILD_STEPS

    _, _, text = demo_site
    reported = re.findall(r"parindex demo: (.+) …", text)
    assert reported[1:] == list(BUILD_STEPS), "a progress line per step, in order"


def test_the_demo_database_is_embedded_sqlite(demo_site: tuple[str, dict[str, str], str]) -> None:
    _, _, text = demo_site
    assert re.search(r"var/demo/parindex\.sqlite3", text)


@pytest.mark.parametrize("role", list(Role), ids=[r.slug for r in Role])
def test_each_demo_account_logs_in_to_its_home_page(
    demo_site: tuple[str, dict[str, str], str], role: Role
) -> None:
    base, passwords, _ = demo_site
    browser = Browser(base)
    url, page = browser.log_in(role.slug, passwords[role.slug])
    assert url == f"{base}/home/{role.slug}/"
    assert f'data-role="{role.value}"' in page
    assert "dữ liệu giả lập" in page, "every demo page says its data are synthetic"


@pytest.mark.parametrize("role", [None, *Role], ids=["anonymous", *(r.slug for r in Role)])
def test_every_page_a_role_reaches_opens_in_vietnamese(
    demo_site: tuple[str, dict[str, str], str], role: Role | None
) -> None:
    """Walk every link each account is shown (pages of one shape a few times): no error, no
    refusal behind a link, no raw code, no English sentence."""
    from tests.cli.crawl import english_sentences, http_get, walk

    base, passwords, _ = demo_site
    browser = Browser(base)
    if role is not None:
        browser.log_in(role.slug, passwords[role.slug])
    found = walk(http_get(browser.opener, base), ["/", "/home/"], english_sentences(), limit=120)
    assert found.problems == []
    assert len(found.pages) >= 3


def test_a_wrong_password_does_not_log_in(demo_site: tuple[str, dict[str, str], str]) -> None:
    base, _, _ = demo_site
    url, page = Browser(base).log_in("admin", "not-the-password")
    assert url.endswith("/accounts/login/")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page


def test_rebuilding_the_demo_starts_from_nothing(tmp_path: Path) -> None:
    import os
    import shutil

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARINDEX_", "DJANGO_"))}
    cmd = [
        shutil.which("parindex") or "parindex",
        "demo",
        "--no-serve",
        "--data-dir",
        str(tmp_path),
    ]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    second = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert first.returncode == second.returncode == 0, second.stdout + second.stderr
    assert "105 units loaded" in second.stdout
    with sqlite3.connect(tmp_path / "parindex.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        accounts = connection.execute("SELECT count(*) FROM accounts_user").fetchone()
        assert accounts == (len(Role) + 1,), "one per role and the province's administrator"


def test_the_served_site_has_its_stylesheet(demo_site: tuple[str, dict[str, str], str]) -> None:
    base, _, _ = demo_site
    _, page = Browser(base).get("/accounts/login/")
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert href
    _, css = Browser(base).get(href.group(1))
    assert ".site-header" in css


def test_the_demo_survey_manager_sees_the_national_sipas_results(
    demo_site: tuple[str, dict[str, str], str],
) -> None:
    base, passwords, text = demo_site
    counts = re.search(
        r"SIPAS 2026 demo survey: (\d+) households sampled, (\d+) responses counted", text
    )
    assert counts and 38_000 <= int(counts.group(1)) <= 42_000
    browser = Browser(base)
    browser.log_in("survey-manager", passwords["survey-manager"])
    _, listing = browser.get("/surveys/")
    assert "SIPAS 2026" in listing
    _, page = browser.get("/surveys/sipas-2026-demo/results/")
    provinces = set(re.findall(r'<tr data-domain="([^"]+)" data-node="index">', page))
    assert len(provinces) == 34 and "Tỉnh Lạng Sơn" in provinces
    assert "mẫu giả lập" in page, "synthetic results say so"


def test_the_demo_officials_survey_prints_ballots_whose_qr_opens_the_web_form(
    demo_site: tuple[str, dict[str, str], str],
) -> None:
    import pypdfium2
    import zxingcpp

    base, passwords, text = demo_site
    assert re.search(r"(\d+) officials sampled from an Excel frame, (\d+) answered", text)
    browser = Browser(base)
    browser.log_in("survey-manager", passwords["survey-manager"])
    _, page = browser.get("/surveys/par-2026-officials-demo/")
    assert len(re.findall(r'<tr data-domain="', page)) == 34, "coverage of every province"
    query = urllib.parse.urlencode({"domain": "Tỉnh Lạng Sơn"})
    # The sheets are typeset by the demo's worker: the request leads to the job's page, which
    # offers the PDF once the job is done.
    job_page, page = browser.get(f"/surveys/par-2026-officials-demo/ballots.pdf?{query}")
    assert re.search(r"/jobs/\d+/$", job_page), job_page
    for _round in range(240):
        if 'id="job-file"' in page or 'data-state="failed"' in page:
            break
        time.sleep(0.5)
        _, page = browser.get(job_page.removeprefix(base))
    link = re.search(r'id="job-file" href="([^"]+)"', page)
    assert link, "the ballot sheets' job ends with a file to download"
    with browser.opener.open(base + link.group(1)) as pdf:
        document = pypdfium2.PdfDocument(pdf.read())
    assert len(document) == 30, "6 agencies × 5 officials drawn in the province"
    codes = [r.text for r in zxingcpp.read_barcodes(document[0].render(scale=2).to_numpy())]
    assert len(codes) == 1 and codes[0].startswith(f"{base}/s/par-2026-officials-demo/?code=")
    respondent = Browser(base)
    _, start = respondent.get(codes[0].removeprefix(base))
    code = codes[0].rsplit("=", 1)[1]
    assert f'value="{code}"' in start, "the code from the QR is filled in"
    _, analysis = browser.get("/surveys/sipas-2026-demo/")
    flagged = dict(re.findall(r'data-flag="(\w+)">(\d+)<', analysis))
    assert int(flagged["straight_lining"]) > 50 and int(flagged["too_fast"]) > 10


def test_the_demo_has_last_years_published_table_and_this_years_cycle_in_progress(
    demo_site: tuple[str, dict[str, str], str],
) -> None:
    import pypdf

    base, passwords, text = demo_site
    found = re.search(
        r"/assessments/(\d+)/published/\), this year in progress \(/assessments/(\d+)/\) with "
        r"(\d+) generated evidence",
        text.replace("\n", " "),
    )
    assert found, text
    published, current, files = (int(g) for g in found.groups())
    assert files > 0
    _, table = Browser(base).get(f"/assessments/{published}/published/")  # public, no login
    ranks = [int(r) for r in re.findall(r"<td class=\"num\" data-rank>(\d+)</td>", table)]
    assert len(ranks) == 34 and ranks[0] == 1 and ranks == sorted(ranks), "best first"

    admin = Browser(base)
    admin.log_in("admin", passwords["admin"])
    _, overview = admin.get(f"/assessments/{current}/")
    states = set(re.findall(r"<td>([^<]+)</td><td class=\"num\">", overview))
    assert {"bản nháp", "đã nộp", "đang yêu cầu giải trình", "đã thẩm định (vòng 2)"} <= states
    _, preview = admin.get(f"/assessments/{current}/preview/")
    assert "Chỉ số CCHC cấp tỉnh" in preview and "Thay đổi so với" in preview

    focal = Browser(base)
    focal.log_in("focal-point", passwords["focal-point"])
    _, unit = focal.get(f"/assessments/{current}/province:20/")
    assert 'data-state="draft"' in unit, "the demo focal point's province can be tried"
    _, field = focal.get(f"/assessments/{current}/province:20/field/1/")
    link = re.search(r'href="(/assessments/evidence/\d+/)">tai-lieu', field)
    assert link, "generated evidence is listed on the field page"
    with focal.opener.open(base + link.group(1)) as response:
        document = pypdf.PdfReader(io.BytesIO(response.read()))
    assert "Lang Son" in document.pages[0].extract_text()
