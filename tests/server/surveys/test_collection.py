"""From frame to counted answers, through the pages people use: drawing the sample, ballot
sheets, the web form, paper double entry, export uploads, coverage and quality, Excel results."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import numpy as np
import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from parindex.core.roles import Role
from parindex.core.surveys.ballot import grouped
from parindex.server.jobs.models import Job
from parindex.server.surveys.estimates import design_of, results
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import PaperEntry, Response, SampledUnit, SetAside, Survey
from tests.server.surveys.conftest import answers, on_time

pytestmark = pytest.mark.django_db


def frame_csv() -> bytes:
    """Two provinces × 5 communes × 3 villages × 12 households."""
    lines = ["tinh,xa,thon,ho,chu_ho"]
    for province in ("Lạng Sơn", "Cao Bằng"):
        for commune in range(5):
            for village in range(3):
                lines += [
                    f"{province},X{commune:02d},T{village},{h},Hộ {province[:1]}{commune}{village}{h}"
                    for h in range(12)
                ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def open_survey() -> Survey:
    now = timezone.now()
    return Survey.objects.create(
        slug="sipas-web",
        name="SIPAS thử",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )


@pytest.fixture
def manager(client: Client, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    return client


def draw(client: Client, survey: Survey, follow: bool = False, **fields: object) -> object:
    """Post the draw form; with ``follow``, the page the manager lands on (the job's progress,
    where a refusal found while the frame is read is shown)."""
    data = {
        "strata": "tinh",
        "stages": "xa:2, thon:2",
        "final_take": 4,
        "seed": 2026,
        "labels": "chu_ho",
        "frame": SimpleUploadedFile("khung-mau.csv", frame_csv()),
        **fields,
    }
    return client.post(f"/surveys/{survey.slug}/sample/", data, follow=follow)


def test_a_manager_draws_the_sample_from_an_uploaded_frame(
    manager: Client, open_survey: Survey
) -> None:
    response = draw(manager, open_survey)
    assert response.status_code == 302  # type: ignore[attr-defined]
    units = list(open_survey.sample.order_by("position"))
    assert len(units) == 2 * 2 * 2 * 4
    # 2 of 5 communes · 2 of 3 villages · 4 of 12 households = 4/45 for every household.
    assert {round(u.inclusion_probability, 12) for u in units} == {round(4 / 45, 12)}
    assert design_of(units).weights.sum() == pytest.approx(2 * 5 * 3 * 12)
    assert all(len(u.code) == 11 for u in units) and len({u.code for u in units}) == len(units)
    assert units[0].label.startswith("Hộ ") and units[0].domain in ("Lạng Sơn", "Cao Bằng")
    again = draw(manager, open_survey)
    assert "đã có mẫu" in again.text  # type: ignore[attr-defined]
    assert open_survey.sample.count() == len(units), "a survey is drawn once"


def test_a_bad_frame_is_refused_with_its_reason_and_nothing_is_drawn(
    manager: Client, open_survey: Survey
) -> None:
    page = draw(manager, open_survey, stages="xa:2, lang:2", follow=True)
    assert "khung-mau.csv: no column &#x27;lang&#x27;" in page.text  # type: ignore[attr-defined]
    page = draw(manager, open_survey, frame=SimpleUploadedFile("khung.pdf", b"%PDF"))
    assert "Tải lên tệp .csv hoặc .xlsx." in page.text  # type: ignore[attr-defined]
    assert not open_survey.sample.exists()


def test_ballot_sheets_print_each_code_with_a_qr_code_that_opens_the_form(
    manager: Client,
    open_survey: Survey,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    draw(manager, open_survey)
    queued = manager.get(f"/surveys/{open_survey.slug}/ballots.pdf", {"domain": "Cao Bằng"})
    job = Job.objects.get(kind="survey-ballots")
    assert queued["Location"] == f"/jobs/{job.pk}/", "typeset in the background"
    page = manager.get(queued["Location"])
    assert "Phiếu đã sẵn sàng: 16 phiếu" in page.text and job.progress == 100
    response = manager.get(f"/jobs/{job.pk}/file")
    assert response["Content-Type"] == "application/pdf"
    assert f"{open_survey.slug}-ballots.pdf" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    again = manager.get(f"/surveys/{open_survey.slug}/ballots.pdf", {"domain": "Cao Bằng"})
    assert again["Location"] == queued["Location"], (
        "asked again: the same sheets, not typeset twice"
    )
    units = list(open_survey.sample.filter(domain="Cao Bằng").order_by("position"))
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(units) == 16
    text = reader.pages[3].extract_text()
    assert grouped(units[3].code) in text and units[3].label in text and "Mã phiếu" in text
    sheet = pypdfium2.PdfDocument(content)[3]
    decoded = [r.text for r in zxingcpp.read_barcodes(sheet.render(scale=2).to_numpy())]
    assert decoded == [f"http://testserver/s/{open_survey.slug}/?code={units[3].code}"]


def screen(client: Client, slug: str) -> tuple[int, int, str, list[str]]:
    """The question on screen: its number, how many are asked, its field and the choices."""
    page = client.get(f"/s/{slug}/questions/")
    number, total = re.search(r"Câu (\d+) / (\d+)", page.text).groups()  # type: ignore[union-attr]
    name = re.search(r'<fieldset class="question">.*?name="([^"]+)"', page.text, re.S)
    values = re.findall(r'type="(?:radio|checkbox)" name="[^"]+" value="([^"]+)"', page.text)
    return int(number), int(total), name.group(1) if name else "", values  # type: ignore[union-attr]


def test_a_respondent_answers_one_question_a_screen_and_resumes_where_they_stopped(
    manager: Client, open_survey: Survey
) -> None:
    draw(manager, open_survey)
    unit = open_survey.sample.order_by("position").first()
    assert unit is not None
    slug = open_survey.slug
    phone = Client()
    assert phone.post(f"/s/{slug}/", {"code": unit.code.lower()}).status_code == 302
    number, _total, name, values = screen(phone, slug)
    assert number == 1
    phone.post(f"/s/{slug}/questions/?q=0", {name: values[-1]})

    elsewhere = Client()  # another phone, the next day
    elsewhere.post(f"/s/{slug}/", {"code": unit.code})
    number, total_before, name, values = screen(elsewhere, slug)
    assert number == 2, "resumes at the first unanswered question"
    for _ in range(10):
        if name == "used_service":
            break
        elsewhere.post(
            f"/s/{slug}/questions/?q={number - 1}", {name: values[0] if values else "40"}
        )
        number, total_before, name, values = screen(elsewhere, slug)
    used_at = number - 1
    elsewhere.post(f"/s/{slug}/questions/?q={used_at}", {name: "yes"})
    _n, total_before, _name, _values = screen(elsewhere, slug)
    elsewhere.post(f"/s/{slug}/questions/?q={used_at}", {"used_service": "no"})
    number, total_after, name, values = screen(elsewhere, slug)
    assert total_after < total_before, "skip logic drops the questions on the service used"
    left_blank, given = set(), set()
    for _ in range(total_after):
        # An optional question left blank moves on, as an answered one does.
        if number % 2:
            given.add(name)
        else:
            left_blank.add(name)
        elsewhere.post(
            f"/s/{slug}/questions/?q={number - 1}", {name: values[0]} if number % 2 else {}
        )
        if number == total_after:
            break
        number, total_after, name, values = screen(elsewhere, slug)
    review = elsewhere.get(f"/s/{slug}/review/")
    assert review.status_code == 200 and "Gửi câu trả lời" in review.text
    assert elsewhere.post(f"/s/{slug}/review/").status_code == 302
    counted = Response.objects.get(unit=unit)
    assert counted.channel == "web" and counted.answers["used_service"] == "no"
    assert {"start", "end"} <= set(counted.answers), "timing kept for the quality checks"
    assert not any(a.startswith("experience") for a in counted.answers), "skipped: unanswered"
    assert given <= set(counted.answers) and not left_blank & set(counted.answers)
    assert len(given) > 5 and len(left_blank) > 5
    again = Client().post(f"/s/{slug}/", {"code": unit.code})
    assert "Không dùng được mã này" in again.text


def test_a_mistyped_code_is_refused_on_the_web_form(open_survey: Survey) -> None:
    page = Client().post(f"/s/{open_survey.slug}/", {"code": "ABCD-EFGH-JKM"})
    assert "Không dùng được mã này. Vui lòng kiểm tra lại mã" in page.text


def test_paper_ballots_count_only_when_two_clerks_agree(
    client: Client, make_user, open_survey: Survey, manager: Client
) -> None:  # type: ignore[no-untyped-def]
    draw(manager, open_survey)
    unit = open_survey.sample.order_by("position").first()
    assert unit is not None
    second = Client()
    second.force_login(make_user("clerk-2", Role.SURVEY_MANAGER, None))
    ballot = {"code": unit.code, "collected_on": timezone.localdate().strftime("%d/%m/%Y")}
    url = f"/surveys/{open_survey.slug}/paper/"
    first = manager.post(url, {**ballot, "used_service": "yes", "q9_1": "4", "q9_2": "5"})
    assert first.status_code == 302 and not Response.objects.exists()
    differ = second.post(url, {**ballot, "used_service": "yes", "q9_1": "4", "q9_2": "3"})
    assert "Hai lần nhập khác nhau" in differ.text and "q9_2" in differ.text
    assert not Response.objects.exists(), "nothing counted while the keyings differ"
    agree = second.post(url, {**ballot, "used_service": "yes", "q9_1": "4", "q9_2": "5"})
    assert agree.status_code == 302
    counted = Response.objects.get(unit=unit)
    assert counted.channel == "paper" and counted.answers == {
        "used_service": "yes",
        "q9_1": "4",
        "q9_2": "5",
    }
    assert PaperEntry.objects.count() == 2


def export_workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ballot_code", "_submission_time", "used_service", "q9_1"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_export_is_uploaded_whole_or_not_at_all(
    manager: Client, open_survey: Survey
) -> None:
    draw(manager, open_survey)
    codes = list(open_survey.sample.order_by("position").values_list("code", flat=True))
    when = (timezone.now() - timedelta(hours=2)).isoformat()
    url = f"/surveys/{open_survey.slug}/import/"
    broken = export_workbook([[codes[0], when, "yes", "4"], [codes[1], "hôm qua", "no", "3"]])
    page = manager.post(
        url,
        {
            "export": SimpleUploadedFile("kobo.xlsx", broken),
            "channel": "kobo",
            "code_column": "ballot_code",
            "time_column": "_submission_time",
        },
        follow=True,
    )
    assert "Không nhập gì" in page.text and "row 3" in page.text
    assert not Response.objects.exists()
    good = export_workbook(
        [[codes[0], when, "yes", "4"], [codes[0], when, "yes", "4"], [codes[1], when, "no", "3"]]
    )
    done = manager.post(
        url,
        {
            "export": SimpleUploadedFile("kobo.xlsx", good),
            "channel": "kobo",
            "code_column": "ballot_code",
            "time_column": "_submission_time",
        },
        follow=True,
    )
    assert "kobo.xlsx: 2 đã tính, 1 để riêng" in done.text
    assert Response.objects.count() == 2 and SetAside.objects.get().verdict == "duplicate"


def test_the_manager_sees_under_covered_domains_and_quality_flags(
    manager: Client, survey: Survey
) -> None:
    rng = np.random.default_rng(5)
    lang_son = list(survey.sample.filter(domain="Lạng Sơn").values_list("position", flat=True))
    cao_bang = list(survey.sample.filter(domain="Cao Bằng").values_list("position", flat=True))
    batch = on_time(survey, lang_son + cao_bang[:10], rng)  # Cao Bằng: 10 of 40
    straight = batch[0]
    batch[0] = type(straight)(
        straight.code, straight.received_at, "web", {k: "5" for k in answers(rng)}
    )
    take_in(survey, batch)
    page = manager.get(f"/surveys/{survey.slug}/")
    row = page.text.split('data-domain="Cao Bằng"')[1].split("</tr>")[0]
    assert row.startswith(' class="under-covered"')
    # A non-breaking space: "%" never wraps away from its figure in the narrow column.
    assert "25,0&nbsp;%" in row and "chưa đủ độ phủ" in row
    assert 'data-flag="straight_lining">1<' in page.text


def test_results_download_as_excel_with_the_figures_on_the_page(
    manager: Client, survey: Survey
) -> None:
    take_in(survey, on_time(survey, range(survey.sample.count()), np.random.default_rng(6)))
    response = manager.get(f"/surveys/{survey.slug}/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    expected = results(survey)
    index_rows = {r[0]: r for r in rows if r[1] == "index"}
    for row in expected:
        if row.node == "index":
            assert index_rows[row.domain][3] == pytest.approx(row.estimate, abs=5e-5)
            assert index_rows[row.domain][5] == pytest.approx(row.low, abs=5e-5)
    assert sheet["D3"].value == "Tỷ lệ hài lòng (%)"
    assert len(rows) == len(expected)


def test_respondents_and_other_roles_cannot_reach_managers_pages(
    client: Client, make_user, open_survey: Survey
) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(f"/surveys/{open_survey.slug}/").status_code == 302  # to the login
    client.force_login(make_user("appraiser", Role.APPRAISER, None))
    for page in ("", "paper/", "import/", "sample/", "ballots.pdf", "results.xlsx"):
        assert client.get(f"/surveys/{open_survey.slug}/{page}").status_code == 403, page
    assert SampledUnit.objects.count() == 0


def test_a_par_survey_shows_component_points_from_the_edition(
    manager: Client, open_survey: Survey
) -> None:
    open_survey.questionnaire, open_survey.edition = "par-2023-officials", "par-index-province/2023"
    open_survey.save()
    draw(manager, open_survey)
    units = list(open_survey.sample.order_by("position"))
    when = timezone.now() - timedelta(hours=1)
    # Everyone answers A (weight 1) to 1.6.1: the component gets its maximum, with no spread.
    take_in(
        open_survey,
        [
            type_submission(u.code, when, {"c1_6_1": "A", "c2_5_1": "B" if k % 2 else "D"})
            for k, u in enumerate(units)
        ],
    )
    page = manager.get(f"/surveys/{open_survey.slug}/results/")
    row = page.text.split('data-node="1.6.1">')[1].split("</tr>")[0]
    from parindex.core.methodology import load_shipped

    edition = load_shipped("par-index-province/2023").value
    assert edition is not None
    maximum = next(n.max_points for _f, _c, n in edition.scored() if n.id == "1.6.1")
    assert "100,00" in row and f"{maximum:.2f}".replace(".", ",") in row


def type_submission(code: str, when: object, answers: dict[str, str]) -> object:
    from parindex.core.surveys.ballot import Submission

    return Submission(code, when, "web", answers)  # type: ignore[arg-type]
