"""Display helpers for amounts, dates and counts (pure functions).

All amounts are rounded half-up (四舍五入) to two decimals on ``Decimal``;
floats are converted through ``str`` so that 0.1 stays 0.1. Missing values
(``None``) are shown as an em dash.

The unit words and date pattern are translatable strings, so these helpers
call ``gettext`` and need Django settings to be configured when called.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

__all__ = [
    "MISSING",
    "format_cn_date",
    "format_cn_month",
    "format_person_times",
    "format_wan",
    "format_wan_yuan",
    "format_yuan",
    "join_clauses",
    "join_list",
    "with_note",
]

MISSING = "—"
_CENT = Decimal("0.01")


def _to_decimal(amount) -> Decimal:
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, bool):
        raise TypeError("amount must be a number, not bool")
    elif isinstance(amount, (int, float, str)):
        try:
            value = Decimal(str(amount).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {amount!r}") from None
    else:
        raise TypeError(f"amount must be a number, not {type(amount).__name__}")
    if not value.is_finite():
        raise ValueError(f"not a finite number: {amount!r}")
    return value


def _two_decimals(value: Decimal) -> str:
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,.2f}"


def format_yuan(amount) -> str:
    """1234.5 → "1,234.50 元"; None → "—"."""
    if amount is None:
        return MISSING
    return gettext("%(amount)s 元") % {"amount": _two_decimals(_to_decimal(amount))}


def format_wan(amount) -> str:
    """Amount in yuan → number of 万元 with two decimals: 160350 → "16.04"."""
    if amount is None:
        return MISSING
    return _two_decimals(_to_decimal(amount).scaleb(-4))


def format_wan_yuan(amount) -> str:
    """160350 → "16.04万元"; 9800 → "0.98万元"; None → "—"."""
    if amount is None:
        return MISSING
    return gettext("%(amount)s万元") % {"amount": format_wan(amount)}


def format_cn_date(d: date | None) -> str:
    """date(2024, 12, 31) → "2024年12月31日"; None → "—".

    A datetime is shown by its own date; convert aware datetimes to local time
    first (``django.utils.timezone.localtime``).
    """
    if d is None:
        return MISSING
    return gettext("%(year)d年%(month)d月%(day)d日") % {
        "year": d.year,
        "month": d.month,
        "day": d.day,
    }


def format_cn_month(d: date | None) -> str:
    """date(2024, 12, 31) → "2024年12月"; None → "—"."""
    if d is None:
        return MISSING
    return gettext("%(year)d年%(month)d月") % {"year": d.year, "month": d.month}


def format_partial_date(d: date | None, precision: str = "day") -> str:
    """A date known to the day, the month or the year, as written: "2024年6月5日", "2024年6月", "2024年"."""
    if d is None:
        return MISSING
    if precision == "year":
        return gettext("%(year)d年") % {"year": d.year}
    if precision == "month":
        return format_cn_month(d)
    return format_cn_date(d)


def format_person_times(n: int | None) -> str:
    """843 → "843人次"; 12345 → "12,345人次"; None → "—"."""
    if n is None:
        return MISSING
    return gettext("%(count)s人次") % {"count": f"{int(n):,}"}


def join_list(items) -> str:
    """["张三", "李四"] → "张三、李四" (English: "张三, 李四")."""
    return gettext("、").join(str(item) for item in items)


def join_clauses(items) -> str:
    """Sentences or error messages in one line: "…；…" (English: "…; …")."""
    return gettext("；").join(str(item) for item in items)


def with_note(text, note) -> str:
    """A name with a note in brackets: "张三（书记）" (English: "张三 (书记)")."""
    return gettext("%(text)s（%(note)s）") % {"text": text, "note": note}
