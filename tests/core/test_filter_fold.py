"""On a phone the list filters fold behind one 筛选 button that says how many are on; the search box stays out."""

import re

import pytest
from django.urls import reverse

from core.scoping import Role

pytestmark = pytest.mark.django_db


def _page(client, world, **params):
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("branches:retiree_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def _fold(html: str) -> str:
    start = html.index('data-testid="filter-fold"')
    return html[start : html.index("</form>", start)]


def test_the_filters_fold_behind_one_button_and_the_search_box_stays_out(client, world):
    html = _page(client, world)
    fold = _fold(html)
    assert 'data-testid="filter-toggle"' in html
    assert 'data-bs-target="#yl-filters"' in html
    assert 'class="collapse d-md-block yl-filter-fold"' in html  # open from md up
    assert 'name="status"' in fold
    assert 'name="q"' not in fold
    assert 'name="q"' in html
    assert 'data-testid="filter-count"' not in html  # nothing on


def test_the_button_counts_the_filters_that_are_on_but_not_the_sort_order(client, world):
    html = _page(client, world, status="retired", is_party_member="true", q="zhang", o="-pinyin")
    count = re.search(r'data-testid="filter-count">(\d+)<', html)
    assert count is not None
    assert count.group(1) == "2"


def test_a_filter_with_an_error_opens_the_fold(client, world):
    html = _page(client, world, branch="not-a-number")
    assert 'class="collapse d-md-block yl-filter-fold show"' in html
