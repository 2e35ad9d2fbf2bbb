"""`?year=` is read the same way on every page (core.params)."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core.params import choice_param, date_param, int_param, month_param, pk_param, recent_years, text_param, year_param

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
    assert recent_years(-1) == recent_years(THIS_YEAR)  # an impossible year is never offered


def _get(query: str):
    return RequestFactory().get(f"/{query}")


@pytest.mark.parametrize("raw", ["abc", "", "1.5", "99999999999999999999", "-0x1", " "])
def test_int_param_gives_the_default_for_what_is_not_a_whole_number(raw):
    assert int_param(_get(f"?n={raw}"), "n", default=7) == 7


def test_int_param_keeps_to_its_bounds():
    assert int_param(_get("?n=5"), "n", min=1, max=10) == 5
    assert int_param(_get("?n=0"), "n", min=1) is None
    assert int_param(_get("?n=11"), "n", max=10) is None


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), ("0", None), ("-3", None), ("abc", None), ("9" * 20, None)])
def test_pk_param_is_a_positive_key_that_fits_the_database(raw, expected):
    assert pk_param(_get(f"?retiree={raw}"), "retiree") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-09", dt.date(2016, 9, 1)),
        ("9999-12", None),
        ("0001-01", None),
        ("2016-13", None),
        ("2016-00", None),
        ("x", None),
    ],
)
def test_month_param_is_the_first_day_of_a_month_within_range(raw, expected):
    assert month_param(_get(f"?month={raw}")) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2016-09-05", dt.date(2016, 9, 5)), ("2016-02-30", None), ("9999-12-31", None), ("1", None)],
)
def test_date_param_is_a_date_within_range(raw, expected):
    assert date_param(_get(f"?on={raw}"), "on") == expected


def test_a_warned_bad_value_leaves_a_message(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = rf.get("/?month=9999-12")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert month_param(request, warn=True) is None
    assert [str(m) for m in get_messages(request)] == ["网址中的参数“month”不正确，已忽略。"]


def test_choice_and_text_params():
    assert choice_param(_get("?d=out"), "d", ("in", "out"), default="in") == "out"
    assert choice_param(_get("?d=sideways"), "d", ("in", "out"), default="in") == "in"
    assert text_param(_get("?q=%20张%00三%20"), "q") == "张三"
