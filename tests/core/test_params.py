"""`?year=` is read the same way on every page (core.params)."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core.params import recent_years, year_param

THIS_YEAR = timezone.localdate().year


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", THIS_YEAR),
        ("?year=2019", 2019),
        (f"?year={THIS_YEAR + 1}", THIS_YEAR + 1),
        (f"?year={THIS_YEAR + 2}", THIS_YEAR),
        ("?year=1999", THIS_YEAR),
        ("?year=20x9", THIS_YEAR),
        ("?year=", THIS_YEAR),
    ],
)
def test_year_param_takes_a_year_in_range_and_falls_back_to_this_year(query, expected):
    assert year_param(RequestFactory().get(f"/{query}")) == expected


def test_year_param_keeps_to_the_bounds_and_default_it_is_given():
    request = RequestFactory().get("/?year=2010")
    assert year_param(request, low=2015, default=2020) == 2020
    assert year_param(request, high=2012) == 2010


def test_the_year_choices_are_recent_years_newest_first_with_the_selected_one():
    assert recent_years(THIS_YEAR) == list(range(THIS_YEAR, THIS_YEAR - 6, -1))
    assert recent_years(2001)[-1] == 2001
    assert recent_years(THIS_YEAR + 1)[0] == THIS_YEAR + 1
