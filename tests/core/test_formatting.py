"""Tests for core.formatting display helpers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import (
    format_cn_date,
    format_cn_month,
    format_person_times,
    format_wan,
    format_wan_yuan,
    format_yuan,
)

if not settings.configured:  # the helpers call gettext
    settings.configure(USE_I18N=False)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.5"), "1,234.50 元"),
        (1234.5, "1,234.50 元"),
        (0, "0.00 元"),
        (1234567, "1,234,567.00 元"),
        (Decimal("0.005"), "0.01 元"),
        (Decimal("2.675"), "2.68 元"),
        (2.675, "2.68 元"),
        (Decimal("-1234.5"), "-1,234.50 元"),
        (Decimal("-0.001"), "0.00 元"),
        ("88.8", "88.80 元"),
    ],
)
def test_format_yuan_shows_two_decimals_with_thousands_separators(amount, shown):
    assert format_yuan(amount) == shown


@pytest.mark.parametrize(
    "formatter",
    [
        format_yuan,
        format_wan,
        format_wan_yuan,
        format_cn_date,
        format_cn_month,
        format_person_times,
    ],
)
def test_none_is_shown_as_a_dash(formatter):
    assert formatter(None) == "—"


@pytest.mark.parametrize("bad", ["abc", float("nan"), float("inf"), Decimal("NaN")])
def test_format_yuan_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        format_yuan(bad)


def test_format_yuan_rejects_booleans():
    with pytest.raises(TypeError):
        format_yuan(True)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (160350, "16.04万元"),
        (100000, "10.00万元"),
        (9800, "0.98万元"),
        (Decimal("160349.99"), "16.03万元"),
        (Decimal("160350.00"), "16.04万元"),
        (50, "0.01万元"),
        (49, "0.00万元"),
        (0, "0.00万元"),
        (123456789, "12,345.68万元"),
        (Decimal(-160350), "-16.04万元"),
    ],
)
def test_format_wan_yuan_rounds_half_up_to_two_decimals(amount, shown):
    assert format_wan_yuan(amount) == shown


def test_format_wan_yuan_of_160350_is_16_04():
    assert format_wan_yuan(160350) == "16.04万元"


def test_format_wan_returns_only_the_number():
    assert format_wan(160350) == "16.04"
    assert format_wan(Decimal(9800)) == "0.98"


@given(st.integers(min_value=0, max_value=10**12))
def test_format_wan_matches_exact_half_up_rounding(amount):
    # amount / 10000 rounded half-up to cents == (amount + 50) // 100 cents
    cents = (amount + 50) // 100
    assert format_wan(amount).replace(",", "") == f"{cents // 100}.{cents % 100:02d}"


def test_format_cn_date_writes_year_month_day():
    assert format_cn_date(date(2024, 12, 31)) == "2024年12月31日"
    assert format_cn_date(date(2024, 1, 5)) == "2024年1月5日"
    assert format_cn_date(datetime(2024, 3, 8, 23, 59)) == "2024年3月8日"


def test_format_cn_month_writes_year_month():
    assert format_cn_month(date(2024, 12, 31)) == "2024年12月"
    assert format_cn_month(date(2024, 2, 1)) == "2024年2月"


def test_format_person_times_appends_the_unit():
    assert format_person_times(843) == "843人次"
    assert format_person_times(0) == "0人次"
    assert format_person_times(12345) == "12,345人次"
