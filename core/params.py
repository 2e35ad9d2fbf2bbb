"""Query parameters that many pages read the same way."""

from django.http import HttpRequest
from django.utils import timezone

FIRST_YEAR = 2000  # no records before it: an older year in a URL is a typo


def year_param(
    request: HttpRequest, *, default: int | None = None, low: int = FIRST_YEAR, high: int | None = None
) -> int:
    """`?year=` as a whole year from `low` to `high` (default: next year); anything else gives
    `default` (this year)."""
    this_year = timezone.localdate().year
    default = this_year if default is None else default
    high = this_year + 1 if high is None else high
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if low <= year <= high else default


def recent_years(selected: int, count: int = 6) -> list[int]:
    """The year selector's choices (core/partials/year_selector.html): this year and the ones
    before it, newest first, and the selected year wherever it lies."""
    this_year = timezone.localdate().year
    return sorted({selected, *range(this_year, this_year - count, -1)}, reverse=True)
