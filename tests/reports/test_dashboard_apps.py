"""The dashboard's figures from the volunteers, aid and funds apps, on test_annual_sections' fixed data
set: exact figures, the service hours by month, each figure's link and the list it opens agreeing with
it, what a leader may open, and the query count at ten times the data.
"""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Person, Region
from core.scoping import Role
from reports.selectors import annual, dashboard
from reports.selectors.annual import Period
from tests import factories as f
from tests.reports.test_annual_sections import YEAR, populate

pytestmark = pytest.mark.django_db

# Every link the offices get (county staff of the area, or an administrator who picks it) and how
# to read the same figure off the list it opens: its number of rows, or a total the list shows.
LIST_FIGURES = {
    "volunteers": "rows",
    "volunteers_cadre": "rows",
    "volunteers_veteran": "rows",
    "volunteers_expert": "rows",
    "volunteers_teacher": "rows",
    "volunteers_model": "rows",
    "hours": "hours",
    "cases_open": "rows",
    "visits": "rows",
    "visit_person_times": "visit_person_times",
    "drives": "rows",
}
# Not compared: `raised` links to the drive list, whose totals are each drive's donations of any
# day, while the figure is the donations received in the year; the money of pairings and
# disbursements, and the funds, have no list of their own (funds link to the ledgers, whose totals
# count the allocations inside the area that the figure leaves out).


@pytest.fixture
def county():
    county = populate("981501000000", "概览甲县")
    populate("981502000000", "概览邻县")  # never counts
    return county


def _figures(county, year=YEAR):
    return dashboard.headline(Period.of(county, year))


def test_the_figures_on_the_fixed_data_set(county):
    figures = _figures(county)
    assert figures["volunteers"].value == 4
    assert (figures["volunteers_cadre"].value, figures["volunteers_teacher"].value) == (2, 1)
    assert figures["volunteers_veteran"].value == 1  # the other left in June
    assert figures["volunteers_veteran"].last_year == 2
    assert figures["volunteers_veteran"].change == -1
    assert figures["hours"].value == Decimal("12.5")
    assert figures["hours"].shown == "12.5"
    assert figures["cases_open"].value == 2
    assert figures["pairings"].value == 1
    assert figures["disbursed_cash"].shown == "1.3万元"  # net of the reversed 3000
    assert figures["visits"].value == 3
    assert figures["visits"].last_year == 1
    assert figures["visit_person_times"].value == 8
    assert figures["drives"].value == 1
    assert figures["raised"].shown == "10万余元"
    assert figures["income"].shown == "18.12万元"  # the allocation inside the county left out
    assert figures["expense"].shown == "1.1万元"
    assert figures["expense"].change_shown == "1.1万元"
    assert figures["income"].last_year == 0


def test_the_figures_are_the_annual_reports(county):
    period = Period.of(county, YEAR)
    figures = dashboard.headline(period)
    youth, aid, funds = annual.youth_care(period), annual.aid(period), annual.funds(period)
    assert figures["hours"].value == youth["hours"]
    assert figures["volunteers"].value == youth["volunteers"]
    assert figures["disbursed_goods"].value == aid["disbursed_goods"]
    assert figures["raised"].value == aid["raised"]
    assert figures["income"].value == funds["income"]


def test_the_hours_by_month_add_up_to_the_year(county):
    months = dashboard.hours_by_month(Period.of(county, YEAR))
    assert len(months) == 12
    assert months[4] == Decimal("11.5")  # May
    assert months[11] == Decimal("1")  # 31 December counts
    assert sum(months) == _figures(county)["hours"].value


def test_the_dashboard_shows_the_figures_the_chart_and_its_table(client, county):
    client.force_login(f.UserFactory(role=Role.LEADER, region=county))
    response = client.get(reverse("reports:dashboard"), {"year": YEAR})
    page = response.content.decode()
    assert 'data-testid="figure-hours"' in page
    assert 'data-testid="figure-volunteers_teacher"' in page
    assert "18.12万元" in page
    assert 'id="hours-chart"' in page
    assert response.context["hours_chart"]["hours"][4] == 11.5
    assert [row["hours"] for row in response.context["hours_months"]][4:6] == ["11.5", "0"]


def _list_figure(response, how):
    if how == "rows":
        return response.context["paginator"].count
    if how == "hours":
        return response.context["totals"]["hour_total"]
    assert how == "visit_person_times"
    return sum(visit.children_count + visit.unregistered_children for visit in response.context["object_list"])


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.ADMIN])
def test_each_figure_equals_what_the_list_it_links_to_shows(client, county, role):
    # An administrator sees both counties: the link's area filter is what keeps the neighbour out.
    user = f.UserFactory(role=role, region=county if role != Role.ADMIN else None)
    client.force_login(user)
    page = client.get(reverse("reports:dashboard_area", kwargs={"code": county.pk}), {"year": YEAR})
    assert page.status_code == 200
    figures, links = page.context["figures"], page.context["links"]
    assert set(LIST_FIGURES) <= set(links)
    for key, how in LIST_FIGURES.items():
        assert f'href="{links[key].replace("&", "&amp;")}"' in page.content.decode(), key
        url = urlsplit(links[key])
        response = client.get(url.path, parse_qs(url.query))
        assert response.status_code == 200, key
        assert _list_figure(response, how) == figures[key].value, key


def test_the_volunteer_list_counts_the_register_of_that_day(client, county):
    client.force_login(f.UserFactory(role=Role.COUNTY_STAFF, region=county))
    url = reverse("volunteers:volunteer_list")
    # On the year's last day the veteran who left in February of the next year is still there.
    assert client.get(url, {"on": f"{YEAR}-12-31"}).context["paginator"].count == 4
    assert client.get(url, {"on": f"{YEAR}-05-31"}).context["paginator"].count == 5
    assert client.get(url, {"on": "not-a-date"}).status_code == 200


def test_a_leader_follows_each_link_to_a_page_without_names(client, county):
    leader = f.UserFactory(role=Role.LEADER, region=county)
    client.force_login(leader)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR})
    links = page.context["links"]
    # Leaders may not open the lists of volunteers, cases, visits, drives or entries: their links
    # go to the pages that count the same records (五老数据库, the aid overview, the ledgers).
    assert {urlsplit(u).path for u in links.values()} == {
        reverse("volunteers:database"),
        reverse("aid_cases:overview"),
        reverse("funds:ledger_list"),
    }
    assert not {"drives", "pairings"} & set(links)
    names = list(Person.objects.filter(region__code__startswith=county.prefix).values_list("name", flat=True))
    assert names
    for url in set(links.values()):
        parts = urlsplit(url)
        response = client.get(parts.path, parse_qs(parts.query))
        assert response.status_code == 200, url
        content = response.content.decode()
        assert not [name for name in names if name in content], url
    # The home panel's figures link the same way.
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="figure-hours"' in home
    assert reverse("volunteers:database") in home


def test_a_leader_of_another_area_gets_no_link_to_lists_of_this_one(client, county):
    # A leader above the county (no area filter on the overview or the ledgers) gets no aid or funds link.
    province = Region.objects.get(pk=county.pk).parent
    if province is None:
        province = f.RegionFactory(code="980000000000", name="概览省", level=Region.Level.PROVINCE)
        Region.objects.filter(pk=county.pk).update(parent=province)
    client.force_login(f.UserFactory(role=Role.LEADER, region=province))
    page = client.get(reverse("reports:dashboard_area", kwargs={"code": county.pk}), {"year": YEAR})
    assert page.status_code == 200
    links = page.context["links"]
    assert not {"cases_open", "visits", "income", "expense"} & set(links)
    assert urlsplit(links["volunteers"]).path == reverse("volunteers:database")


def test_the_dashboard_costs_the_same_queries_at_ten_times_the_data(client, county):
    big = populate("981503000000", "概览大县", scale=10)
    counts = []
    for region in (county, big):
        client.force_login(f.UserFactory(role=Role.COUNTY_STAFF, region=region))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:dashboard"), {"year": YEAR})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert _figures(big)["volunteers"].value == 31
