"""The county overview counts every assessed branch in scope, by 片组 and by town, not just the page;
the calendar on a phone opens at the current period."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch
from core.models import Region
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2025  # a past year: every period is over, so each assessed branch's states are known


@pytest.fixture
def county():
    county = f.RegionFactory(code="990406000000", level=Region.Level.COUNTY, name="测试县")
    county.towns = [
        f.RegionFactory(code=f"990406{n}00000", level=Region.Level.TOWN, name=name, parent=county)
        for n, name in ((1, "东镇"), (2, "西镇"))
    ]
    return county


@pytest.fixture
def staff(county):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=county)


def test_the_totals_are_the_whole_countys_by_cluster_and_by_town(client, county, staff):
    east, west = county.towns
    cluster = f.ClusterFactory(region=county, name="第一片组")
    for i in range(62):  # more than a page (60)
        f.BranchFactory(region=east if i % 2 else west, cluster=cluster if i < 10 else None)
    f.ActivityFactory(branch=Branch.objects.filter(region=east).first(), held_on=dt.date(YEAR, 3, 5))
    f.BranchFactory(region=east, kind=Branch.Kind.TEMPORARY)  # no rule assesses it
    client.force_login(staff)

    response = client.get(reverse("branches:compliance_overview"), {"year": YEAR})

    whole, by_cluster, by_town = response.context["whole"], response.context["by_cluster"], response.context["by_town"]
    assert len(response.context["rows"]) == 60
    assert whole.branches == 62
    per_branch = whole.overdue + whole.done
    assert whole.done == 1
    assert per_branch % 62 == 0  # every assessed branch has the same periods in a past year
    assert {t.label: t.branches for t in by_town} == {"东镇": 31, "西镇": 31}
    assert {t.label: t.branches for t in by_cluster} == {"第一片组": 10, "未分片组": 52}
    assert sum(t.overdue for t in by_town) == whole.overdue
    assert by_town[0].label == "西镇"  # most overdue first: 东镇 held one meeting
    assert "纳入考核的 62 个支部" in response.content.decode()


def test_the_calendar_marks_the_current_month_for_the_phone_to_open_at(client, county, staff):
    branch = f.BranchFactory(region=county.towns[0])
    client.force_login(staff)
    html = client.get(reverse("branches:compliance", args=[branch.pk])).content.decode()
    month = timezone.localdate().month
    assert html.count("data-current-period") == 1
    assert f'data-current-period aria-current="date">{month}月' in html
    assert "js/calendar_scroll" in html
