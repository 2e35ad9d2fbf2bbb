"""The annual report's tables as an Excel workbook: one sheet per section, numbers as numbers."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reports.annual import Report

MONEY_FORMAT = "#,##0.00"


def safe(text: str) -> str:
    """A cell that starts with = + - @ would be read as a formula: make it plain text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render(report: Report) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([safe(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    for section in report.sections:
        for text in section.sentences:
            summary.append([safe(text)])
    summary.column_dimensions["A"].width = 120
    for row in summary.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    for section in report.sections:
        sheet = workbook.create_sheet(title=section.title[:31])
        sheet.append([_("项目"), _("数量"), _("单位")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([safe(row.label), row.value, row.unit])
            if row.is_money:
                sheet.cell(row=sheet.max_row, column=2).number_format = MONEY_FORMAT
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 16
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
