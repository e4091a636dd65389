"""Editions in the appendix layout officials keep in Excel, read with openpyxl (writing that
layout is ``parindex.reports.edition_workbook``'s).

The table: STT | Lĩnh vực | Tiêu chí | Tiêu chí thành phần | Điểm tối đa | Tài liệu kiểm chứng |
Hướng dẫn chấm điểm, then the columns parindex adds so that nothing is lost (English name,
source, rule, applies to, replaces, English guidance). A second sheet, "Thông tin", holds the
edition's header. Reading also accepts an official appendix without the added columns or the
second sheet (one name column, STT like I / 1 / 1.1, merged cells, "14,5"), with defaults given
by the caller.
"""

from parindex.core.methodology.excel.read import import_workbook

__all__ = ["import_workbook"]
