"""Query parameters that many pages read the same way.

A URL can be edited by hand, bookmarked or cut short: every view reads its `request.GET`
through these helpers, which give `None` (or the default) for a value that is not what the
page expects, so a bad parameter never becomes a 500. With `warn=True` the user is told that
the value was ignored (a message on the next page shown).
"""

import datetime as dt
import re

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000  # no records before it: an older year in a URL is a typo
LAST_YEAR = 2100  # a year field or filter takes no later one (a longer number is a typo, not a year)
PK_MAX = 2**63 - 1  # the largest bigint key: a longer number cannot name a row
_INTEGER = re.compile(r"^[+-]?\d{1,19}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _ignored(request: HttpRequest, name: str, warn: bool) -> None:
    if warn and request.GET.get(name, "") != "":
        messages.warning(request, _("网址中的参数“%(name)s”不正确，已忽略。") % {"name": name})


def int_param(
    request: HttpRequest,
    name: str,
    *,
    default: int | None = None,
    min: int | None = None,
    max: int | None = None,
    warn: bool = False,
) -> int | None:
    """`?name=` as a whole number from `min` to `max`; anything else (absent, empty, letters,
    out of range, 20 digits) gives `default`."""
    raw = request.GET.get(name, "").strip()
    if not _INTEGER.match(raw):
        _ignored(request, name, warn)
        return default
    value = int(raw)
    if (min is not None and value < min) or (max is not None and value > max):
        _ignored(request, name, warn)
        return default
    return value


def pk_param(request: HttpRequest, name: str, *, warn: bool = False) -> int | None:
    """`?name=` as a row's key (a positive number that fits a bigint), else None. Whether the
    row exists and may be seen is still for core.access to say."""
    return int_param(request, name, min=1, max=PK_MAX, warn=warn)


def year_param(
    request: HttpRequest, *, default: int | None = None, low: int = FIRST_YEAR, high: int | None = None
) -> int:
    """`?year=` as a whole year from `low` to `high` (default: next year); anything else gives
    `default` (this year)."""
    this_year = timezone.localdate().year
    default = this_year if default is None else default
    high = this_year + 1 if high is None else high
    return int_param(request, "year", default=default, min=low, max=high)


def date_param(
    request: HttpRequest,
    name: str,
    *,
    default: dt.date | None = None,
    low: dt.date = dt.date(FIRST_YEAR, 1, 1),
    high: dt.date | None = None,
    warn: bool = False,
) -> dt.date | None:
    """`?name=2016-09-05` as a date from `low` to `high` (default: next year's end); else `default`."""
    raw = request.GET.get(name, "").strip()
    high = high or dt.date(timezone.localdate().year + 1, 12, 31)
    try:
        value = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        _ignored(request, name, warn)
        return default
    return value


def month_param(
    request: HttpRequest,
    name: str = "month",
    *,
    default: dt.date | None = None,
    low: dt.date = dt.date(FIRST_YEAR, 1, 1),
    high: dt.date | None = None,
    warn: bool = False,
) -> dt.date | None:
    """`?month=2016-09` as the first day of that month, from `low`'s month to `high`'s (default:
    next year's December); anything else (9999-12, 0001-01, 2016-13) gives `default`."""
    match = _MONTH.match(request.GET.get(name, "").strip())
    high = high or dt.date(timezone.localdate().year + 1, 12, 31)
    value = None
    if match and 1 <= int(match[2]) <= 12:
        value = dt.date(int(match[1]), int(match[2]), 1) if int(match[1]) >= 1 else None
    if value is None or not low.replace(day=1) <= value <= high:
        _ignored(request, name, warn)
        return default
    return value


def choice_param(request: HttpRequest, name: str, choices, *, default: str | None = None) -> str | None:
    """`?name=` when it is one of `choices` (values), else `default`."""
    value = request.GET.get(name, "")
    return value if value in {str(choice) for choice in choices} else default


def text_param(request: HttpRequest, name: str, *, max_length: int = 100) -> str:
    """`?name=` as search text: trimmed, cut to `max_length`, control characters dropped."""
    value = request.GET.get(name, "")
    return "".join(ch for ch in value if ch.isprintable())[:max_length].strip()


def recent_years(selected: int, count: int = 6, *, since: int | None = None) -> list[int]:
    """The year selector's choices (core/partials/year_selector.html): this year and the ones
    before it, newest first (back to `since` when the records go further back), and the
    selected year wherever it lies."""
    this_year = timezone.localdate().year
    earliest = this_year - count + 1
    if since is not None:
        earliest = max(FIRST_YEAR, min(earliest, since))
    years = set(range(this_year, earliest - 1, -1))
    if FIRST_YEAR <= selected <= LAST_YEAR:  # a hand-edited ?year=-1 is no choice: the filter refuses it
        years.add(selected)
    return sorted(years, reverse=True)
