"""The province's activity tallies (reports.tallies) always equal the records' own aggregates."""

import datetime as dt
import random

import pytest
from django.db import connection

from branches import models as b
from core.models import Region
from reports import tallies
from reports.models import ActivityTally
from reports.selectors import annual, dashboard
from reports.selectors.annual import STUDY_COUNTS, STUDY_PERSON_TIMES, Period
from tests import factories as f

pytestmark = pytest.mark.django_db

KINDS = [
    b.Activity.Kind.THEME_DAY,
    b.Activity.Kind.PARTY_LESSON,
    b.Activity.Kind.STUDY,
    b.Activity.Kind.LECTURE,
    b.Activity.Kind.HOME_STUDY,
    b.Activity.Kind.GENERAL_MEETING,
]
DAYS = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 15), dt.date(2026, 3, 16)]
# A year's figures as of each of these days: a month's end, mid-month, the year's end.
AS_OF = [dt.date(2026, 1, 31), dt.date(2026, 3, 15), dt.date(2026, 12, 31), dt.date(2025, 12, 31)]


@pytest.fixture
def province():
    province = f.RegionFactory(code="970000000000", name="汇总省", level=Region.Level.PROVINCE)
    city = f.RegionFactory(code="970100000000", name="汇总市", level=Region.Level.CITY, parent=province)
    counties = [
        f.RegionFactory(code=f"9701{n:02d}000000", name=f"汇总县{n}", level=Region.Level.COUNTY, parent=city)
        for n in (1, 2)
    ]
    other = f.RegionFactory(code="980100000000", name="邻省市", level=Region.Level.CITY)
    return province, city, counties, other


def raw(region: Region, start: dt.date, on: dt.date) -> dict:
    activities = b.Activity.objects.in_region(region).filter(held_on__gte=start, held_on__lte=on)
    return annual.activity_counts(activities)


def tallied(region: Region, start: dt.date, on: dt.date) -> dict:
    return tallies.activity_figures(region, start, on, STUDY_COUNTS, STUDY_PERSON_TIMES)


def assert_agree(regions):
    for region in regions:
        for on in AS_OF:
            start = dt.date(on.year, 1, 1)
            assert tallied(region, start, on) == raw(region, start, on), (region.code, on)


def random_writes(rng: random.Random, branches, people, steps: int):
    """Every kind of write the application (or an administrator) makes to activities and rolls."""
    for _ in range(steps):
        activities = list(b.Activity.all_objects.all())
        action = rng.choice(["new", "new", "roll", "roll", "status", "change", "move", "archive", "delete", "drop"])
        if action == "new" or not activities:
            large = rng.random() < 0.2
            f.ActivityFactory(
                branch=rng.choice(branches),
                kind=rng.choice(KINDS),
                held_on=rng.choice(DAYS),
                is_online=rng.random() < 0.3,
                is_large=large,
                headcount=300 if large else None,
                people_reached=rng.choice([0, 0, 12]),
            )
            continue
        activity = rng.choice(activities)
        if action == "roll":
            person = rng.choice(people)
            if not b.Attendance.all_objects.filter(activity=activity, person=person).exists():
                status = rng.choice([*[b.Attendance.Status.PRESENT] * 3, *list(b.Attendance.Status)])
                f.AttendanceFactory(activity=activity, person=person, status=status)
        elif action == "status":
            row = b.Attendance.all_objects.filter(activity=activity).first()
            if row:
                row.status = rng.choice(list(b.Attendance.Status))
                row.archived_at = rng.choice([None, None, dt.datetime(2026, 4, 1, tzinfo=dt.UTC)])
                row.save()
        elif action == "drop":
            row = b.Attendance.all_objects.filter(activity=activity).first()
            if row:
                row.delete()
        elif action == "change":
            activity.kind = rng.choice(KINDS)
            activity.held_on = rng.choice(DAYS)
            activity.is_online = not activity.is_online
            activity.is_large = not activity.is_large
            activity.headcount = 250 if activity.is_large else None
            activity.people_reached = rng.choice([0, 5])
            activity.save()
        elif action == "move":
            # The organiser moves to another county (a branch's region is corrected).
            b.Activity.all_objects.filter(pk=activity.pk).update(region=rng.choice(branches).region)
        elif action == "archive":
            if activity.archived_at:
                b.Activity.all_objects.filter(pk=activity.pk).update(archived_at=None)
            else:
                activity.archive(by=None)
        elif action == "delete":
            b.ActivityPhoto.all_objects.filter(activity=activity).delete()
            b.ActivityAttachment.all_objects.filter(activity=activity).delete()
            activity.delete()


def test_the_tallies_equal_the_records_after_random_writes(province):
    province_region, city, counties, other = province
    towns = [
        f.RegionFactory(code=county.code[:6] + "001000", level=Region.Level.TOWN, parent=county) for county in counties
    ]
    branches = [f.BranchFactory(region=region) for region in (*towns, *counties, other)]
    people = [f.PersonFactory(region=towns[0]) for _ in range(6)]
    rng = random.Random(20261203)
    for _round in range(4):
        random_writes(rng, branches, people, steps=40)
        assert_agree([province_region, city, other])
    assert ActivityTally.objects.filter(county_code__startswith="9701").exists()


def test_a_rebuild_gives_the_rows_the_triggers_kept(province):
    _province, _city, counties, _other = province
    branches = [f.BranchFactory(region=county) for county in counties]
    people = [f.PersonFactory(region=counties[0]) for _ in range(4)]
    random_writes(random.Random(7), branches, people, steps=60)

    def rows():
        # Rows brought to zero by the increments stay; a rebuild has none.
        return sorted(
            ActivityTally.objects.exclude(activities=0, person_times=0).values_list(
                "county_code", "span", "starts_on", "kind", "is_online", "is_large", "activities", "person_times"
            )
        )

    kept = rows()
    tallies.rebuild()
    assert rows() == kept
    assert kept


def test_the_province_reads_the_tallies_and_a_county_the_records(province):
    province_region, _city, counties, _other = province
    branch = f.BranchFactory(region=counties[0])
    f.ActivityFactory(branch=branch, held_on=dt.date(2026, 3, 15), kind=b.Activity.Kind.THEME_DAY)
    # A row the records do not have: read only where the tallies are read.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_activitytally SET activities = activities + 100 WHERE county_code = %s",
            [counties[0].code[:6]],
        )
    on = dt.date(2026, 3, 31)
    assert annual.study(Period(province_region, 2026, on))["theme_days"] == 101
    assert annual.study(Period(counties[0], 2026, on))["theme_days"] == 1
    areas = dashboard.children(Period(province_region, 2026, on))
    assert [a["activities"] for a in areas] == [101]


def test_the_tallies_follow_a_roll_ticked_a_catch_up_and_an_activity_made_large(province):
    province_region, _city, counties, _other = province
    branch = f.BranchFactory(region=counties[1])
    activity = f.ActivityFactory(branch=branch, held_on=dt.date(2026, 5, 20), people_reached=3)
    people = [f.PersonFactory(region=counties[1]) for _ in range(4)]
    for person in people:
        f.AttendanceFactory(activity=activity, person=person)
    year = Period(province_region, 2026, dt.date(2026, 12, 31))
    assert annual.study(year)["person_times"] == 7
    absent = b.Attendance.objects.filter(activity=activity).first()
    absent.status = b.Attendance.Status.ABSENT
    absent.save()
    assert (annual.study(year)["person_times"], annual.study(year)["caught_up"]) == (6, 0)
    absent.status, absent.caught_up_on = b.Attendance.Status.CAUGHT_UP, dt.date(2026, 5, 27)
    absent.save()
    assert (annual.study(year)["person_times"], annual.study(year)["caught_up"]) == (6, 1)
    county = Period(counties[1], 2026, dt.date(2026, 12, 31))
    assert (annual.study(county)["person_times"], annual.study(county)["caught_up"]) == (6, 1)
    activity.is_large, activity.headcount = True, 400
    activity.save()
    assert (annual.study(year)["person_times"], annual.study(year)["caught_up"]) == (400, 1)
    activity.archive(by=None)
    assert (annual.study(year)["person_times"], annual.study(year)["caught_up"]) == (0, 0)
