"""The leaders' dashboard of an area: the annual report's figures at a glance (branches, study,
volunteers, aid, funds), the same figures a year earlier, confirmed service hours by month, the
areas one level down, and the 三会一课 heat map.

The headline figures come from reports.selectors.annual (the annual report's own
selectors), so the dashboard and the report always agree. Each function runs a
fixed number of queries whatever the size of the area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth, Left
from django.utils import timezone

from branches import compliance
from branches.models import Activity, Branch, Membership, Need, WorkCommitteeMember
from branches.selectors.activities import person_times_expression
from branches.selectors.organisation import members_behind
from branches.todos import NEED_DAYS
from core.models import Region
from reports import numbers, tallies
from reports.selectors import annual
from reports.selectors.annual import STANDING_KINDS, Period
from volunteers.models import ServiceHours, Volunteer

# Below this many standing branches the heat map lists them one by one; above it (a city,
# a province) it would be thousands of rows: the areas table carries the figures instead.
HEAT_MAP_LIMIT = 120
LEVEL_BELOW = {
    Region.Level.PROVINCE: Region.Level.CITY,
    Region.Level.CITY: Region.Level.COUNTY,
    Region.Level.COUNTY: Region.Level.TOWN,
    Region.Level.TOWN: Region.Level.VILLAGE,
}


@dataclass(frozen=True)
class Figure:
    """One figure at a glance and the same figure on the same day a year before. `money` figures are
    yuan written as the reports write them (reports.numbers.yuan: 3000元, 1.5万元, 16万余元)."""

    key: str
    value: int | Decimal
    last_year: int | Decimal
    money: bool = False

    @property
    def change(self) -> int | Decimal:
        return self.value - self.last_year

    @property
    def shown(self) -> str:
        return numbers.yuan(self.value) if self.money else numbers.plain(Decimal(self.value))

    @property
    def change_shown(self) -> str:
        """The change without its plus sign ("3000元", "-2"): the template writes "+" itself."""
        change = self.change
        text = numbers.yuan(abs(change)) if self.money else numbers.plain(Decimal(abs(change)))
        return f"-{text}" if change < 0 else text


def same_day_last_year(period: Period) -> Period:
    on = period.on
    try:
        last = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        last = on.replace(year=on.year - 1, day=28)
    return Period(region=period.region, year=period.year - 1, on=last)


BRANCH_KEYS = (
    "standing",
    "covered",
    "covered_party_members",
    "clusters",
    "general",
    "temporary",
    "committees",
    "five_good",
    "activities",
    "three_meetings_one_lesson",
    "theme_days",
    "person_times",
)
VOLUNTEER_KEYS = ("volunteers", *(f"volunteers_{c.value}" for c in Volunteer.Category), "hours")
AID_KEYS = (
    "cases_open",
    "pairings",
    "disbursed_cash",
    "disbursed_goods",
    "visits",
    "visit_person_times",
    "drives",
    "raised",
)
FUNDS_KEYS = ("income", "expense")
MONEY_KEYS = frozenset({"disbursed_cash", "disbursed_goods", "raised", "income", "expense"})


def _figures(period: Period) -> dict:
    """The annual report's own selectors, nothing else (6 + 2 + 6 + 7 + 1 = 22 queries)."""
    return {
        **annual.organisation(period),
        **annual.study(period),
        **annual.youth_care(period),
        **annual.aid(period),
        **annual.funds(period),
    }


def headline(period: Period) -> dict[str, Figure]:
    """The figures at a glance (branches, volunteers, aid, funds) with the same figures on the same day
    a year before (44 queries, whatever the size of the area)."""
    now, then = _figures(period), _figures(same_day_last_year(period))
    return {
        key: Figure(key, now[key], then[key], money=key in MONEY_KEYS)
        for key in (*BRANCH_KEYS, *VOLUNTEER_KEYS, *AID_KEYS, *FUNDS_KEYS)
    }


def hours_by_month(period: Period) -> list[Decimal]:
    """Confirmed service hours of each month of the year, January first (1 query). The records are
    the annual report's (`annual.confirmed_service`), so the months add up to its `hours`."""
    rows = (
        ServiceHours.objects.filter(record__in=annual.confirmed_service(period))
        .annotate(month=ExtractMonth("record__served_on"))
        .values("month")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    totals = {row["month"]: row["total"] for row in rows}
    return [totals.get(month, Decimal(0)) for month in range(1, 13)]


def children(period: Period) -> list[dict]:
    """The areas one level down with their figures (3 queries); rows recorded at the area's own
    level (county-level units' branches) come last as one row of their own."""
    region = period.region
    below = LEVEL_BELOW.get(region.level)
    if below is None:
        return []
    length = Region.PREFIX_LENGTH[below]
    on = period.on
    branches = (
        Branch.objects.in_region(region)
        .filter(kind__in=STANDING_KINDS)
        .filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=on), Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
        )
        .annotate(area=Left("region_id", length))
        .values("area")
        .annotate(n=Count("pk"))
    )
    covered = (
        Membership.objects.open_on(on)
        .filter(
            branch__region__code__startswith=region.prefix,
            branch__kind__in=STANDING_KINDS,
            branch__archived_at__isnull=True,
            retiree__archived_at__isnull=True,
        )
        .annotate(area=Left("branch__region_id", length))
        .values("area")
        .annotate(n=Count("retiree", distinct=True))
    )
    if tallies.covers(region):
        activities = tallies.activities_by_area(region, period.start, period.on, length)
    else:
        activities = (
            Activity.objects.in_region(region)
            .filter(period.dated("held_on"))
            .annotate(area=Left("region_id", length))
            .values("area")
            .annotate(n=Count("pk"), times=Coalesce(Sum(person_times_expression()), 0))
        )
    rows: dict[str, dict] = {}

    def row(area: str) -> dict:
        return rows.setdefault(area, {"area": area, "branches": 0, "covered": 0, "activities": 0, "person_times": 0})

    for item in branches:
        row(item["area"])["branches"] = item["n"]
    for item in covered:
        row(item["area"])["covered"] = item["n"]
    for item in activities:
        row(item["area"])["activities"] = item["n"]
        row(item["area"])["person_times"] = item["times"]
    codes = {area.ljust(12, "0"): area for area in rows}
    names = {r.code: r for r in Region.objects.filter(code__in=codes)}
    own = region.prefix.ljust(length, "0")
    result = []
    for code, area in sorted(codes.items()):
        item = rows[area]
        item["region"] = names.get(code) if area != own else None
        result.append(item)
    # The area's own level (e.g. 县直 branches) after the areas below it.
    result.sort(key=lambda item: (item["region"] is None, item["area"]))
    return result


MONTH_STATES = (compliance.OVERDUE, compliance.DUE, compliance.DONE)
# "The caller did not pass the calendars" (None is an answer: too many branches to assess).
NOT_GIVEN = object()


def area_calendars(period: Period, today: dt.date | None = None) -> list[compliance.Calendar] | None:
    """The 三会一课 calendars of the area's branches not dissolved, by pinyin (3 queries), or None when
    the area has more than HEAT_MAP_LIMIT of them (a city, a province). Built once per page: the heat
    map and the to-do figures both read them."""
    branches = list(
        Branch.objects.in_region(period.region)
        .filter(dissolved_on__isnull=True)
        .select_related("region")
        .order_by("pinyin")[: HEAT_MAP_LIMIT + 1]
    )
    if len(branches) > HEAT_MAP_LIMIT:
        return None
    return compliance.calendars(branches, period.year, today)


def heat_map(period: Period, today: dt.date | None = None, calendars=NOT_GIVEN) -> list[dict] | None:
    """Standing branches × months: the worst state of the month's requirements, or None when the area
    has too many branches to list. `calendars` are `area_calendars(period)` when the caller has them."""
    if calendars is NOT_GIVEN:
        calendars = area_calendars(period, today)
    if calendars is None:
        return None
    rows = []
    for calendar in calendars:
        if calendar.branch.kind not in STANDING_KINDS:
            continue
        months = []
        for month in range(1, 13):
            states = {row.cell_for(month).state for row in calendar.rows}
            months.append(next((s for s in MONTH_STATES if s in states), compliance.FUTURE if states else ""))
        rows.append({"branch": calendar.branch, "months": months, "overdue": calendar.overdue_count})
    return rows


def todo_figures(period: Period, today: dt.date | None = None, calendars=NOT_GIVEN) -> dict[str, int] | None:
    """The area's open work this year, by the rules of the home page's 待办事项 (the same selectors
    over the area's rows, so a county's figures are its county staff's to-do counts): branches with
    a meeting to hold (left out, as the heat map is, above HEAT_MAP_LIMIT branches), needs open over
    NEED_DAYS days, work-committee members behind with their visits. None for a past year. Two
    queries and `area_calendars`' three, unless the caller passes those calendars."""
    today = today or timezone.localdate()
    if period.year != today.year:
        return None
    region = period.region
    figures = {
        "needs_open_over_30": Need.objects.in_region(region).open_over(NEED_DAYS, today).count(),
        "guidance_behind": members_behind(WorkCommitteeMember.objects.in_region(region), year=today.year).count(),
    }
    if calendars is NOT_GIVEN:
        calendars = area_calendars(period, today)
    if calendars is not None:
        figures["meetings_to_hold"] = len(compliance.to_hold(calendars))
    return figures
