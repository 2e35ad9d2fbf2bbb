"""Tests for the project format modules under config/formats."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.conf import settings
from django.test.utils import override_settings
from django.utils import dateformat, formats, translation

from config.formats.en import formats as en_formats
from config.formats.zh_Hans import formats as zh_formats

if not settings.configured:  # only the Django loader tests need settings
    settings.configure(USE_I18N=False)

MODULES = [zh_formats, en_formats]
SEPT_5 = date(2016, 9, 5)


def parse(formats_list, text, as_type):
    for fmt in formats_list:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.date() if as_type is date else parsed
    return None


@pytest.mark.parametrize("module", MODULES, ids=["zh_Hans", "en"])
@pytest.mark.parametrize(
    "text",
    [
        "2016年9月5日",
        "2016年09月05日",
        "2016-09-05",
        "2016-9-5",
        "2016/9/5",
        "2016/09/05",
        "2016.9.5",
    ],
)
def test_date_input_formats_accept_chinese_and_iso_dates(module, text):
    assert parse(module.DATE_INPUT_FORMATS, text, date) == SEPT_5


def test_the_first_date_input_format_is_iso_so_widgets_render_iso():
    assert zh_formats.DATE_INPUT_FORMATS[0] == "%Y-%m-%d"
    assert en_formats.DATE_INPUT_FORMATS[0] == "%Y-%m-%d"


@pytest.mark.parametrize("text", ["Sep 5 2016", "September 5, 2016", "5 Sep 2016"])
def test_english_date_input_formats_accept_spelled_out_months(text):
    assert parse(en_formats.DATE_INPUT_FORMATS, text, date) == SEPT_5


@pytest.mark.parametrize("module", MODULES, ids=["zh_Hans", "en"])
@pytest.mark.parametrize("text", ["9/5/2016", "5/9/2016", "2016年9月"])
def test_ambiguous_or_partial_dates_are_not_accepted(module, text):
    assert parse(module.DATE_INPUT_FORMATS, text, date) is None


@pytest.mark.parametrize("module", MODULES, ids=["zh_Hans", "en"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年9月5日 20:45", datetime(2016, 9, 5, 20, 45)),
        ("2016年9月5日 20:45:29", datetime(2016, 9, 5, 20, 45, 29)),
        ("2016年9月5日 20时45分", datetime(2016, 9, 5, 20, 45)),
        ("2016-9-5 20:45", datetime(2016, 9, 5, 20, 45)),
        ("2016-09-05 20:45:29", datetime(2016, 9, 5, 20, 45, 29)),
        ("2016/9/5 08:05", datetime(2016, 9, 5, 8, 5)),
        ("2016.9.5 8:05", datetime(2016, 9, 5, 8, 5)),
        ("2016年9月5日", datetime(2016, 9, 5)),
    ],
)
def test_datetime_input_formats_accept_date_and_time(module, text, expected):
    assert parse(module.DATETIME_INPUT_FORMATS, text, datetime) == expected


@pytest.mark.parametrize("module", MODULES, ids=["zh_Hans", "en"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:45", time(20, 45)),
        ("20:45:29", time(20, 45, 29)),
        ("20时45分", time(20, 45)),
    ],
)
def test_time_input_formats_accept_colon_and_chinese_times(module, text, expected):
    assert parse(module.TIME_INPUT_FORMATS, text, datetime).time() == expected


def test_chinese_output_formats():
    assert zh_formats.DATE_FORMAT == "Y年n月j日"
    assert zh_formats.SHORT_DATE_FORMAT == "Y-m-d"
    assert zh_formats.DATETIME_FORMAT == "Y年n月j日 H:i"
    assert zh_formats.TIME_FORMAT == "H:i"
    assert zh_formats.YEAR_MONTH_FORMAT == "Y年n月"
    assert zh_formats.MONTH_DAY_FORMAT == "n月j日"
    assert zh_formats.FIRST_DAY_OF_WEEK == 1


@pytest.mark.parametrize("module", MODULES, ids=["zh_Hans", "en"])
def test_numbers_use_point_and_comma_grouped_by_three(module):
    assert module.DECIMAL_SEPARATOR == "."
    assert module.THOUSAND_SEPARATOR == ","
    assert module.NUMBER_GROUPING == 3


def test_english_dates_are_written_out():
    assert en_formats.DATE_FORMAT == "N j, Y"


# --- Through Django's format loader -----------------------------------------


@pytest.fixture
def project_formats():
    with override_settings(FORMAT_MODULE_PATH="config.formats"):
        yield


@pytest.mark.usefixtures("project_formats")
def test_django_renders_dates_with_the_chinese_formats():
    def render(format_name):
        return dateformat.format(SEPT_5, formats.get_format(format_name, lang="zh-hans"))

    assert render("DATE_FORMAT") == "2016年9月5日"
    assert render("YEAR_MONTH_FORMAT") == "2016年9月"
    assert render("MONTH_DAY_FORMAT") == "9月5日"
    assert render("SHORT_DATE_FORMAT") == "2016-09-05"


@pytest.mark.usefixtures("project_formats")
def test_django_loader_uses_the_en_module_for_regional_english():
    assert formats.get_format("DATE_FORMAT", lang="en-us") == "N j, Y"
    assert formats.get_format("DATE_FORMAT", lang="en-gb") == "N j, Y"


@pytest.mark.usefixtures("project_formats")
def test_django_adds_iso_input_formats_to_the_project_ones():
    zh_inputs = formats.get_format("DATE_INPUT_FORMATS", lang="zh-hans")
    assert zh_inputs[: len(zh_formats.DATE_INPUT_FORMATS)] == zh_formats.DATE_INPUT_FORMATS
    assert "%Y-%m-%d" in zh_inputs


@pytest.mark.usefixtures("project_formats")
def test_a_django_date_field_parses_chinese_input():
    with override_settings(LANGUAGE_CODE="zh-hans"), translation.override("zh-hans"):
        field = forms.DateField()
        assert field.clean("2016年9月5日") == SEPT_5
        assert field.clean("2016/9/5") == SEPT_5
        assert forms.DateTimeField().clean("2016年9月5日 20时45分").replace(tzinfo=None) == datetime(2016, 9, 5, 20, 45)
