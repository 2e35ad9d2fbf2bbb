"""The leaders' dashboard: the annual report's figures, the areas below, the heat map."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.scoping import Role
from reports.selectors import annual, dashboard
from reports.selectors.annual import Period
from tests import factories as f
from tests.reports.test_annual import YEAR, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    county, _town = populate("981401000000", "概览县")
    return county


def test_the_headline_is_the_annual_reports_figures_with_last_year_beside_them(county):
    period = Period.of(county, YEAR)
    figures = dashboard.headline(period)
    organisation = annual.organisation(period)
    assert figures["standing"].value == organisation["standing"] == 2
    assert figures["covered"].value == organisation["covered"] == 5
    assert figures["person_times"].value == annual.study(period)["person_times"]
    assert figures["theme_days"].value == 2
    assert figures["theme_days"].last_year == 0
    assert figures["theme_days"].change == 2


def test_the_areas_below_add_up_to_the_area(county):
    period = Period.of(county, YEAR)
    areas = dashboard.children(period)
    figures = dashboard.headline(period)
    assert sum(a["branches"] for a in areas) == figures["standing"].value
    assert sum(a["covered"] for a in areas) == figures["covered"].value
    assert sum(a["person_times"] for a in areas) == figures["person_times"].value
    assert [a["region"].name for a in areas if a["region"]] == ["概览县甲镇"]


def test_the_heat_map_shows_each_standing_branch_by_month(county):
    rows = dashboard.heat_map(Period.of(county, YEAR), today=dt.date(YEAR, 12, 31))
    assert [row["branch"].name for row in rows] == ["概览县第二支部", "概览县第一支部"]
    assert all(len(row["months"]) == 12 for row in rows)
    assert {state for row in rows for state in row["months"]} <= {"done", "due", "overdue", "future", ""}


def test_the_dashboard_costs_the_same_queries_at_ten_times_the_data(client, county):
    big, _town = populate("981402000000", "大概览县", scale=10)
    counts = []
    for region in (county, big):
        client.force_login(f.UserFactory(role=Role.LEADER, region=region))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:dashboard"), {"year": YEAR})
        assert response.status_code == 200
        counts.append(len(queries))
    # 32 before the volunteers, aid and funds figures; now the headline is the annual selectors'
    # 22 queries for this year and 22 for the last (44, was 16), and the hours by month one more.
    assert counts[0] == counts[1] <= 61


def test_a_leader_lands_on_the_figures_and_drills_down(client, county):
    client.force_login(f.UserFactory(role=Role.LEADER, region=county))
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="leader-dashboard"' in home
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()
    town_url = reverse("reports:dashboard_area", kwargs={"code": county.code[:6] + "001000"})
    assert town_url in page
    below = client.get(town_url, {"year": YEAR})
    assert below.status_code == 200
    assert [r.name for r in below.context["breadcrumb"]] == ["概览县", "概览县甲镇"]


def test_an_area_outside_the_scope_is_not_found(client, county):
    client.force_login(f.UserFactory(role=Role.LEADER, region=county))
    other, _town = populate("981403000000", "外概览县")
    assert client.get(reverse("reports:dashboard_area", kwargs={"code": other.pk})).status_code == 404
