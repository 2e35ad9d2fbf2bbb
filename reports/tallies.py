"""Summary tables the reports read at province and city scale (ARCHITECTURE.md: "a summary table
kept in step with the records and proven equal to them").

`ActivityTally` holds, per county, kind and 线上/大型 flags, the number of activities, their
person-times and their 补学 of each month and of each day, kept by triggers in the writing transaction
(reports/migrations/0002). A year up to its "as of" day is the whole months before that day's
month plus the days of its month: a few thousand rows for a province, where the activities are
millions. Counties and the areas below them read the records themselves: their share of the
activities is small and found by the region index, so their figures cost what their scope holds.

tests/reports/test_tallies.py proves the tallies equal to the records' aggregates after random
writes of every kind (new, changed, moved, archived, restored, deleted activities and attendance).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, Left

from core.models import Region
from reports.models import ActivityTally

# Areas whose activity figures come from the tallies.
TALLIED_LEVELS = frozenset({Region.Level.PROVINCE, Region.Level.CITY})


def covers(region: Region) -> bool:
    return region.level in TALLIED_LEVELS


def activity_rows(region: Region, start: dt.date, on: dt.date):
    """The tally rows of the region's activities dated from `start` to `on` (a year's days, or fewer)."""
    month = on.replace(day=1)
    return ActivityTally.objects.filter(county_code__startswith=region.prefix).filter(
        Q(span=ActivityTally.Span.MONTH, starts_on__gte=start, starts_on__lt=month)
        | Q(span=ActivityTally.Span.DAY, starts_on__gte=max(start, month), starts_on__lte=on)
    )


def activity_figures(region: Region, start: dt.date, on: dt.date, counts: dict, person_times: dict) -> dict:
    """`counts` and `person_times` name conditions on kind / is_online / is_large (Q objects, None
    for all); the answer is what the same aggregates over the activities give, with `caught_up`
    (1 query)."""
    # Aliased: an aggregate may not take the name of a column ("activities", "person_times").
    sums = {f"sum_{name}": Coalesce(Sum("activities", filter=condition), 0) for name, condition in counts.items()}
    sums |= {
        f"sum_{name}": Coalesce(Sum("person_times", filter=condition), 0) for name, condition in person_times.items()
    }
    sums["sum_caught_up"] = Coalesce(Sum("caught_up"), 0)
    return {
        name.removeprefix("sum_"): value for name, value in activity_rows(region, start, on).aggregate(**sums).items()
    }


def activities_by_area(region: Region, start: dt.date, on: dt.date, length: int) -> list[dict]:
    """Activities and person-times by the first `length` digits of their county's code (1 query)."""
    return list(
        activity_rows(region, start, on)
        .annotate(area=Left("county_code", length))
        .values("area")
        .annotate(n=Coalesce(Sum("activities"), 0), times=Coalesce(Sum("person_times"), 0))
        .order_by()
    )


def rebuild() -> None:
    """The tallies from the records, from scratch: for data written with the triggers off (the
    `seed_scale` copies run with `session_replication_role = replica`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reports_activity_tally_rebuild()")
