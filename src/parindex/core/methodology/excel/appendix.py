"""The appendix layout: sheet names, column headers and how headers are recognised."""

from __future__ import annotations

import unicodedata

TABLE_SHEET = "Bộ chỉ số"
INFO_SHEET = "Thông tin"
HEADERS = {
    "stt": "STT",
    "field": "Lĩnh vực",
    "criterion": "Tiêu chí",
    "component": "Tiêu chí thành phần",
    "max": "Điểm tối đa",
    "evidence": "Tài liệu kiểm chứng",
    "guidance": "Hướng dẫn chấm điểm",
    "name_en": "Tên tiếng Anh",
    "source": "Nguồn điểm",
    "rule": "Cách chấm",
    "applies_to": "Áp dụng cho",
    "replaces": "Thay thế",
    "guidance_en": "Hướng dẫn (tiếng Anh)",
}
YES = {"co", "x", "yes", "true", "1", "bat buoc", "✓"}
NO = {"", "khong", "no", "false", "0"}


def fold(text: str) -> str:
    """Lower-case ASCII folding for matching Vietnamese headers: 'Điểm tối đa' → 'diem toi da'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
