"""The whole determination for one province, in Chromium, by the people who do it: the focal
point scores a field with evidence (live totals) and the rest through the Excel scoring sheet,
the leader approves, the focal point submits, the appraiser lowers a score with a reason and asks
for an explanation, the unit answers with a file, round 2 raises the score again, the council
finalises, the administrator previews and publishes, and the published table ranks the unit
where its points put it. Two other provinces go through the same steps by the services."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from parindex.core.roles import Role
from tests import crafted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"
UNIT = "province:20"  # Lạng Sơn, through the browser
OTHERS = {"province:04": 0.9, "province:01": 0.5}  # share of each maximum, through services
SHARE = 0.8  # what the browser's unit scores itself on the sheet
SURVEY_SHARE = 0.8
PDF = crafted.pdf()  # a PDF that parses: evidence is judged by parsing, not by its first bytes


@pytest.fixture
def loop(live_server, make_user, make_cycle, settings, tmp_path):  # type: ignore[no-untyped-def]

    from parindex.core.assessment.workflow import Action
    from parindex.core.methodology.rules import ManualRule, SurveyMappingRule
    from parindex.server.accounts.models import Unit
    from parindex.server.accounts.services import load_reference_units
    from parindex.server.assessments import services

    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference_units()
    cycle = make_cycle("par-index-province/2023", (UNIT, *OTHERS))
    appraiser = make_user("tham-dinh", Role.APPRAISER, None, password=PASSWORD)
    admin = make_user("quan-tri", Role.ADMIN, None, password=PASSWORD)
    make_user("hoi-dong", Role.COUNCIL_MEMBER, None, password=PASSWORD)
    people = {}
    for ref in (UNIT, *OTHERS):
        unit = Unit.objects.get(ref=ref)
        cycle.assessments.get(unit=unit).appraisers.add(appraiser)
        people[ref] = (
            make_user(f"dau-moi-{ref[-2:]}", Role.FOCAL_POINT, unit, password=PASSWORD),
            make_user(f"lanh-dao-{ref[-2:]}", Role.LEADER, unit, password=PASSWORD),
        )
    edition = services.edition_of(cycle)
    everything = services.components(edition, "province")
    services.import_survey_points(
        cycle,
        admin,
        {
            ref: {
                c.id: round(c.spec.max_points * SURVEY_SHARE, 4)
                for c in everything
                if isinstance(c.spec.rule, SurveyMappingRule)
            }
            for ref in (UNIT, *OTHERS)
        },
    )
    for ref, share in OTHERS.items():
        assessment = cycle.assessments.get(unit__ref=ref)
        focal, leader = people[ref]
        for c in everything:
            if isinstance(c.spec.rule, ManualRule):
                services.save_self_score(
                    assessment, focal, c.id, points=c.spec.max_points * share, explanation="x"
                )
        services.transition(assessment, leader, Action.APPROVE)
        services.transition(assessment, focal, Action.SUBMIT)
        services.transition(assessment, appraiser, Action.APPRAISE_1)
        services.transition(assessment, appraiser, Action.APPRAISE_2)
    manual = [c for c in everything if isinstance(c.spec.rule, ManualRule)]
    return str(live_server.url), cycle, manual, everything


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def open_unit(page: Page, base: str, cycle_pk: int) -> None:
    page.goto(f"{base}/assessments/{cycle_pk}/{UNIT}/")
    expect(page.get_by_role("heading", name="Tỉnh Lạng Sơn")).to_be_visible()


def step(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")


def test_the_whole_loop_from_self_assessment_to_the_published_rank(
    loop, new_page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments.models import Evidence, Round, ScoreEntry

    base, cycle, manual, everything = loop
    field_1 = f"{base}/assessments/{cycle.pk}/{UNIT}/field/1/"

    # The focal point scores 1.1.1 on the field page: the totals follow the typing.
    focal = new_page()
    log_in(focal, base, "dau-moi-20")
    focal.goto(f"{base}/assessments/")
    focal.get_by_role("link", name="Tỉnh Lạng Sơn").click()
    focal.get_by_role("link", name="1. Công tác chỉ đạo").click()
    survey_in_field_1 = sum(
        c.spec.max_points * SURVEY_SHARE
        for c in everything
        if c.field_id == "1" and c not in manual
    )
    expect(focal.locator("#field-total")).to_have_text(f"{survey_in_field_1:.2f}".replace(".", ","))
    focal.get_by_label("Điểm tự chấm 1.1.1").fill("1")
    expect(focal.locator("#field-total")).to_have_text(
        f"{survey_in_field_1 + 1:.2f}".replace(".", ",")
    )
    evidence = tmp_path / "ke-hoach-cchc-2026.pdf"
    evidence.write_bytes(PDF)
    focal.get_by_label("Thêm tài liệu kiểm chứng 1.1.1").set_input_files(evidence)
    focal.get_by_role("button", name="Lưu nháp").click()
    expect(focal.locator(".messages")).to_contain_text("Đã lưu")
    expect(focal.locator("#c-1-1-1 .evidence")).to_contain_text("ke-hoach-cchc-2026.pdf")

    # A wrong score is refused with the reason and nothing on the page is kept.
    focal.get_by_label("Điểm tự chấm 1.1.2").fill("7")
    focal.get_by_label("Điểm tự chấm 1.2.1").fill("0,5")
    focal.get_by_role("button", name="Lưu nháp").click()
    expect(focal.locator("#c-1-1-2 .error")).to_contain_text("từ 0 đến 1")
    expect(focal.get_by_label("Điểm tự chấm 1.2.1")).to_have_value("0,5")
    assert not ScoreEntry.objects.filter(assessment__unit__ref=UNIT, component="1.2.1").exists()

    # The rest comes from the scoring sheet, filled in Excel and uploaded.
    open_unit(focal, base, cycle.pk)
    with focal.expect_download() as download:
        focal.get_by_role("link", name="Tải bảng điểm").click()
    sheet_path = tmp_path / "bang-diem.xlsx"
    download.value.save_as(sheet_path)
    book = load_workbook(sheet_path)
    table = book["Bộ chỉ số"]
    headers = {cell.value: cell.column for cell in table[4]}
    filled = 0
    for row in range(5, table.max_row + 1):
        node = table.cell(row=row, column=headers["STT"]).value
        spec = next((c.spec for c in manual if c.id == node), None)
        if spec is None or node == "1.1.1":
            continue
        table.cell(row=row, column=headers["Điểm tự chấm"]).value = spec.max_points * SHARE
        table.cell(
            row=row, column=headers["Giải trình / lý do thiếu tài liệu kiểm chứng"]
        ).value = "Hồ sơ lưu tại Văn phòng UBND tỉnh"
        filled += 1
    buffer = io.BytesIO()
    book.save(buffer)
    sheet_path.write_bytes(buffer.getvalue())
    focal.get_by_label("Tải lên bảng điểm đã điền").set_input_files(sheet_path)
    focal.get_by_role("button", name="Đọc bảng điểm").click()
    # The sheet is read by a background job: its page shows the outcome when the job is done
    # (the page refreshes itself while it waits; tests run jobs at once).
    expect(focal.locator("#job-state")).to_have_attribute("data-state", "done")
    expect(focal.locator(".message.success")).to_contain_text(f"lưu {filled} tiêu chí")

    # The leader approves; the focal point submits.
    leader = new_page()
    log_in(leader, base, "lanh-dao-20")
    open_unit(leader, base, cycle.pk)
    step(leader, "Phê duyệt bản tự đánh giá")
    open_unit(focal, base, cycle.pk)
    step(focal, "Nộp cho Hội đồng thẩm định")
    expect(focal.locator("#state")).to_have_attribute("data-state", "submitted")

    # The appraiser lowers 1.1.1 with a reason and asks about 1.1.2.
    appraiser = new_page()
    log_in(appraiser, base, "tham-dinh")
    appraiser.goto(field_1)
    expect(appraiser.locator("#c-1-1-1 .unit-side")).to_contain_text("ke-hoach-cchc-2026.pdf")
    appraiser.locator("#c-1-1-1").get_by_label("Chấm điểm khác").check()
    appraiser.get_by_label("Điểm thẩm định 1.1.1").fill("0,5")
    appraiser.get_by_label("Lý do 1.1.1").fill("Kế hoạch ban hành muộn")
    appraiser.get_by_label("Đề nghị đơn vị giải trình 1.1.2").fill("Đề nghị gửi báo cáo quý")
    appraiser.get_by_role("button", name="Lưu", exact=True).click()
    expect(appraiser.locator("#c-1-1-1 [data-round=appraisal_1]")).to_contain_text("0,50")
    appraiser.goto(f"{base}/assessments/{cycle.pk}/{UNIT}/")
    step(appraiser, "Kết thúc thẩm định vòng 1")
    step(appraiser, "Gửi yêu cầu giải trình")

    # The unit answers with a file, before the explanation deadline.
    focal.goto(field_1)
    expect(focal.locator("#c-1-1-2")).to_contain_text("Đề nghị gửi báo cáo quý")
    focal.get_by_label("Trả lời 1.1.2").fill("Báo cáo quý gửi kèm")
    report = tmp_path / "bao-cao-quy.pdf"
    report.write_bytes(PDF + b"% quarterly\n")
    focal.get_by_label("Thêm tài liệu kiểm chứng 1.1.2").set_input_files(report)
    focal.get_by_role("button", name="Lưu", exact=True).click()
    expect(focal.locator("#c-1-1-2 .evidence")).to_contain_text("bao-cao-quy.pdf")
    open_unit(focal, base, cycle.pk)
    step(focal, "Gửi giải trình")

    # Round 2: the appraiser raises 1.1.1 again, with a reason, and closes the round.
    appraiser.goto(field_1)
    expect(appraiser.locator("#c-1-1-2")).to_contain_text("Báo cáo quý gửi kèm")
    appraiser.locator("#c-1-1-1").get_by_label("Chấm điểm khác").check()
    appraiser.get_by_label("Điểm thẩm định 1.1.1").fill("0,75")
    appraiser.get_by_label("Lý do 1.1.1").fill("Đã có quyết định điều chỉnh")
    appraiser.get_by_role("button", name="Lưu", exact=True).click()
    expect(appraiser.locator("#c-1-1-1 [data-round=appraisal_2]")).to_contain_text("0,75")
    appraiser.goto(f"{base}/assessments/{cycle.pk}/{UNIT}/")
    step(appraiser, "Kết thúc thẩm định vòng 2")

    # The council finalises every unit from its table and records a decision.
    council = new_page()
    log_in(council, base, "hoi-dong")
    council.goto(f"{base}/assessments/{cycle.pk}/council/")
    for name in ("Tỉnh Lạng Sơn", "Tỉnh Cao Bằng", "Thành phố Hà Nội"):
        council.get_by_role("button", name=f"Chốt kết quả {name}").click()
        expect(council.locator(".messages")).to_contain_text("Đã thực hiện")
    council.get_by_label("Ghi quyết định").fill("Hội đồng thống nhất kết quả thẩm định.")
    council.get_by_role("button", name="Ghi", exact=True).click()
    expect(council.locator("#decisions")).to_contain_text("thống nhất")

    # The administrator previews and publishes; the public table shows the rank.
    admin = new_page()
    log_in(admin, base, "quan-tri")
    admin.goto(f"{base}/assessments/{cycle.pk}/")
    admin.get_by_role("link", name="Tính điểm và xem trước kết quả").click()
    expect(admin.locator(f"#preview tr[data-unit='{UNIT}']")).to_contain_text("2/3")
    admin.get_by_role("button", name="Công bố kết quả").click()
    public = new_page()
    public.goto(f"{base}/assessments/{cycle.pk}/published/")
    row = public.locator(f"#published tr[data-unit='{UNIT}']")
    expect(row.locator("[data-rank]")).to_have_text("2")
    # Hand sum: every component at its share of the maximum, 1.1.1 at round 2's 0.75.
    expected = sum(c.spec.max_points * (SHARE if c in manual else SURVEY_SHARE) for c in everything)
    expected += 0.75 - 1.0 * SHARE
    expect(row).to_contain_text(f"{expected:.2f}".replace(".", ","))

    # Every round of 1.1.1 is kept, and both files with their hashes.
    rounds = dict(
        ScoreEntry.objects.filter(assessment__unit__ref=UNIT, component="1.1.1").values_list(
            "round", "points"
        )
    )
    assert rounds == {Round.SELF: 1.0, Round.APPRAISAL_1: 0.5, Round.APPRAISAL_2: 0.75}
    assert Evidence.objects.filter(assessment__unit__ref=UNIT).count() == 2
