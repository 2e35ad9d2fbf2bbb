"""The annual report as a Word document, rendered with docxtpl from the office's template."""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from reports.annual import Report

CHINESE_NUMERALS = "一二三四五六七八九十"


def template_path() -> Path:
    """`REPORT_WORD_TEMPLATE` (an office's own letterhead) or the project's default template."""
    configured = settings.REPORT_WORD_TEMPLATE
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "word" / "annual_report.docx"


def context(report: Report, *, issuer: str) -> dict:
    sections = [s for s in report.sections if not s.is_empty]
    return {
        "title": report.title,
        "subtitle": _("（截至%(date)s）") % {"date": formats.date_format(report.period.on, "Y年n月j日")},
        "sections": [
            {
                "number": CHINESE_NUMERALS[i] if i < len(CHINESE_NUMERALS) else str(i + 1),
                "title": section.title,
                "sentences": section.sentences,
                "rows": [{"label": row.label, "text": row.text} for row in section.rows],
            }
            for i, section in enumerate(sections)
        ],
        "item_label": _("项目"),
        "value_label": _("数量"),
        "issuer": issuer,
        "issued_on": formats.date_format(timezone.localdate(), "Y年n月j日"),
    }


def render(report: Report, *, issuer: str) -> bytes:
    document = DocxTemplate(template_path())
    document.render(context(report, issuer=issuer), autoescape=True)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
