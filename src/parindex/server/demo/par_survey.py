"""The demo's PAR INDEX survey of officials, run the way a province would: a frame of officials
by agency written as the Excel file a Department of Home Affairs keeps, read back and drawn from
through the same code as an upload, answers through the intake. It is open now, so the web form
can be tried with a code from the printed ballots.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
from django.utils import timezone
from openpyxl import Workbook

from parindex.core.surveys.ballot import Submission
from parindex.core.surveys.frame import StageSpec
from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
from parindex.core.tabular import read_table
from parindex.server.accounts.models import Unit
from parindex.server.demo.survey import DEMO_KEY
from parindex.server.surveys.collection import draw_sample
from parindex.server.surveys.intake import IntakeReport, take_in
from parindex.server.surveys.models import Survey

AGENCIES = (
    "Văn phòng UBND",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Thanh tra tỉnh",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh", "Nga", "Quang", "Thảo", "Tuấn")


def write_frame(path: Path, rng: np.random.Generator) -> int:
    """The officials' frame as an .xlsx: province, agency, staff number and name."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Khung mẫu")
    sheet.append(["tinh", "co_quan", "ma_cong_chuc", "ho_ten"])
    rows = 0
    today = timezone.localdate()
    for province in Unit.objects.valid_on(today).filter(kind="province").order_by("code"):
        for agency in AGENCIES:
            for k in range(int(rng.integers(15, 70))):
                name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
                sheet.append(
                    [province.name_vi, agency, f"{province.code}-{agency[:6]}-{k:03d}", name]
                )
                rows += 1
    book.save(path)
    return rows


def build_par_officials_survey(rng: np.random.Generator, folder: Path) -> IntakeReport:
    now = timezone.now()
    survey = Survey.objects.create(
        slug="par-2026-officials-demo",
        name="Điều tra XHH Chỉ số CCHC 2026 — cán bộ, công chức",
        questionnaire="par-2023-officials",
        edition="par-index-province/2023",
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=40),
        synthetic=True,
    )
    path = folder / "khung-mau-cong-chuc.xlsx"
    write_frame(path, rng)
    draw_sample(
        survey,
        read_table(path),
        strata="tinh",
        stages=[StageSpec("co_quan", 6)],
        final_take=5,
        seed=int(rng.integers(1_000_000)),
        label_columns=["ho_ten", "ma_cong_chuc"],
        key=DEMO_KEY,
    )
    questionnaire = load_questionnaire(shipped_questionnaires()[survey.questionnaire]).value
    assert questionnaire is not None
    questions = [q.id for q in questionnaire.questions() if q.node]
    units = list(survey.sample.order_by("position"))
    quality = {domain: float(rng.uniform(0.45, 0.85)) for domain in {u.domain for u in units}}
    submissions = []
    for unit in units[: int(len(units) * 0.8)]:  # collection under way: most have answered
        level = quality[unit.domain]
        grades = rng.choice(
            ["A", "B", "C", "D"],
            size=len(questions),
            p=[level * 0.7, level * 0.3, (1 - level) * 0.7, (1 - level) * 0.3],
        )
        started = survey.opens_at + timedelta(hours=float(rng.uniform(0, 24 * 19)))
        seconds = float(rng.uniform(180, 900)) if rng.random() > 0.02 else 12.0
        answers = dict(zip(questions, map(str, grades), strict=True))
        answers |= {
            "start": started.isoformat(),
            "end": (started + timedelta(seconds=seconds)).isoformat(),
        }
        submissions.append(
            Submission(unit.code, started + timedelta(seconds=seconds), "web", answers)
        )
    return take_in(survey, submissions)
