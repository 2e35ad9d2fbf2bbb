"""The ledger as an Excel workbook (openpyxl, write-only: rows streamed, memory flat)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_text(value) -> str:
    """Text that a spreadsheet never runs as a formula: a leading = + - @ is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def ledger_workbook(ledger, entries, balances: dict, *, show_names: bool) -> bytes:
    """凭证号, date, direction, category, summary, counterparty, income, expense, balance, reversal."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("经费账"))
    sheet.append([safe_text(str(ledger))])
    sheet.append(
        [
            _("凭证号"),
            _("日期"),
            _("收支"),
            _("科目"),
            _("摘要"),
            _("付款方或收款方"),
            _("收入"),
            _("支出"),
            _("余额"),
            _("冲销"),
        ]
    )
    for entry in entries.iterator(chunk_size=2000):
        counterparty = entry.counterparty if (show_names or not entry.counterparty_person_id) else _("个人")
        income = entry.amount if entry.direction == entry.Direction.INCOME else None
        expense = entry.amount if entry.direction == entry.Direction.EXPENSE else None
        date_cell = WriteOnlyCell(sheet, value=entry.occurred_on)
        date_cell.number_format = "yyyy-mm-dd"
        sheet.append(
            [
                entry.voucher_number,
                date_cell,
                entry.get_direction_display(),
                entry.get_category_display(),
                safe_text(entry.summary),
                safe_text(counterparty),
                income,
                expense,
                balances.get(entry.pk),
                _("冲销 %(number)s") % {"number": entry.reverses.voucher_number} if entry.reverses_id else "",
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
