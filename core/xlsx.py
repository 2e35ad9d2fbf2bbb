"""Reading and writing .xlsx the way Excel users fill it in (openpyxl).

Reading: `cell_text` and `cell_date` turn what Excel stores (numbers, real dates,
date serial numbers, text typed in any of the usual Chinese forms, full-width
digits and spaces) into clean values; a number typed into a text column never
gains ".0". Writing: `XlsxWriter` streams rows through openpyxl's write-only
mode (memory stays flat for 100,000 rows: rows go to a temporary file as they
come), keeps ID-number and phone columns as text and writes every string so that
it cannot become a formula.
"""

import datetime as dt
import re
import tempfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.validators import _FULLWIDTH_TO_ASCII

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
# Excel's day 0 (its 1900 date system counts a 29 February 1900 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_PATTERN = re.compile(r"^(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?(?::\d{1,2})?$")


def normalise_text(value: str) -> str:
    """Full-width letters, digits and spaces → ASCII; runs of spaces → one; trimmed."""
    text = str(value).translate(_FULLWIDTH_TO_ASCII).replace("\u00a0", " ")
    return " ".join(text.split())


def cell_text(value) -> str:
    """A cell as text: "" for empty; 13800000000.0 → "13800000000"; dates as 2016-09-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    return normalise_text(value)


def cell_date(value) -> dt.date | None:
    """A date from a real date cell, a date serial number or text (2016年9月5日, 2016/9/5, 2016-09-05,
    2016.9.5, 20160905). None when empty; ValueError when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # up to 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value).replace(" ", "")
    if not text:
        return None
    if text.isdigit() and len(text) <= 5:  # a serial number typed as text
        return cell_date(int(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)  # ValueError for 2016-02-30
    raise ValueError(value)


def cell_time(value) -> dt.time | None:
    """A time of day from a real time cell, a fraction of a day (0.6041… is 14:30) or text (14:30,
    14：30, 14点30, 14点). None when empty; ValueError when it is not a time."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 <= value < 1:
            minutes = round(value * 24 * 60)
            return dt.time(*divmod(minutes, 60)) if minutes < 24 * 60 else dt.time(23, 59)
        raise ValueError(value)
    text = cell_text(value)
    if not text:
        return None
    match = _TIME_PATTERN.match(text)
    if not match:
        raise ValueError(value)
    return dt.time(int(match.group(1)), int(match.group(2) or 0))  # ValueError for 25:00


def safe_text(value: str) -> str:
    """Text that a spreadsheet will not run: one starting with = + - @ gets a leading apostrophe
    (the OWASP rule for CSV injection; Excel shows the apostrophe, so nothing looks like a formula)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class XlsxWriter:
    """A one-sheet workbook written row by row (openpyxl write-only mode) into a temporary file.

    `columns` are (header, kind) pairs; kind `text` cells carry the text format `@`
    (ID numbers, phones), `date` cells a date format. `close()` returns the file,
    positioned at its start, for a `FileResponse`.
    """

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")

    def __init__(self, title: str, columns: list[tuple[str, str]], *, widths: list[int] | None = None):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=title[:31])
        self.kinds = [kind for _, kind in columns]
        for index, (header, _kind) in enumerate(columns):
            width = widths[index] if widths else max(10, min(40, len(header) * 2 + 4))
            self.sheet.column_dimensions[get_column_letter(index + 1)].width = width
        self.sheet.freeze_panes = "A2"
        self.append_header([header for header, _ in columns])

    def append_header(self, headers: list[str]) -> None:
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font = self.header_font
            cell.fill = self.header_fill
            cells.append(cell)
        self.sheet.append(cells)

    def append(self, values) -> None:
        self.sheet.append([self._cell(value, kind) for value, kind in zip(values, self.kinds, strict=False)])

    def _cell(self, value, kind: str):
        # Plain values wherever a format is not needed: a styled cell object per value costs
        # ten times as much (100,000 rows). An escaped string no longer starts with "=", so
        # openpyxl writes it as text.
        if isinstance(value, str):
            value = safe_text(value)
        if kind == "text" and isinstance(value, str):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = TEXT_FORMAT
            return cell
        if value == "":
            return None
        if type(value) is dt.date:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value

    def close(self):
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        self.workbook.save(output)
        output.seek(0)
        return output
