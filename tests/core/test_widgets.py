"""The one date widget and the picker widget (core.widgets)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from core.forms import MonthField, ScopedFormMixin
from core.input import parse_month
from core.models import Person, Region
from core.scoping import Role
from core.widgets import DateInput, LookupSelect, restrict


class DayForm(forms.Form):
    day = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("typed", ["2016年9月5日", "2016/9/5", "2016-09-05", "2016-9-5"])
def test_the_date_field_accepts_the_chinese_formats_and_shows_them_back_as_iso(typed):
    with translation.override("zh-hans"):
        form = DayForm({"day": typed})

        assert form.is_valid() is True, form.errors
        assert form.cleaned_data["day"] == dt.date(2016, 9, 5)
        assert 'type="date"' in str(form["day"])
        assert 'value="2016-09-05"' in str(form["day"])


def test_a_date_that_is_not_one_is_shown_back_as_typed_with_an_error():
    with translation.override("zh-hans"):
        form = DayForm({"day": "2016年13月5日"})

        assert form.is_valid() is False
        assert 'value="2016年13月5日"' in str(form["day"])


def test_an_initial_date_is_rendered_in_iso_for_the_browser():
    html = str(DayForm(initial={"day": dt.date(2026, 7, 1)})["day"])

    assert re.search(r'<input type="date" name="day" value="2026-07-01"', html)


def test_no_module_defines_a_date_widget_of_its_own():
    base = Path(settings.BASE_DIR)
    apps = ("core", "branches", "volunteers", "aid_cases", "reports")
    sources = [path for app in apps for path in (base / app).rglob("*.py")]
    widget = re.compile(r"class \w*DateInput\(|forms\.DateInput\(")
    own = [str(path.relative_to(base)) for path in sources if widget.search(path.read_text(encoding="utf-8"))]

    assert own == ["core/widgets.py"]


class PeopleForm(ScopedFormMixin, forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all())
    region = forms.ModelChoiceField(queryset=Region.objects.all(), required=False)


@pytest.mark.django_db
def test_model_choices_become_pickers_and_each_form_keeps_its_own_params(world):
    user = world.users[Role.COUNTY_STAFF]
    first, second = PeopleForm(user=user), PeopleForm(user=user)

    restrict(first.fields["region"], level="village")

    assert isinstance(first.fields["person"].widget, LookupSelect)
    assert first.fields["region"].widget.params == {"level": "village"}
    assert second.fields["region"].widget.params == {}
    assert list(first.fields["region"].queryset) == [world.inside.village]
    assert 'data-lookup-url="/lookup/region/?level=village"' in str(first["region"])
    assert 'data-lookup-url="/lookup/region/"' in str(second["region"])


@pytest.mark.django_db
def test_a_picker_renders_the_chosen_row_only_if_it_is_in_scope(world):
    user = world.users[Role.COUNTY_STAFF]

    inside = str(PeopleForm({"person": world.inside.person.pk}, user=user)["person"])
    outside = str(PeopleForm({"person": world.outside.person.pk}, user=user)["person"])
    garbage = str(PeopleForm({"person": "x'; --"}, user=user)["person"])

    assert re.findall(r"<option[^>]*>([^<]*)</option>", inside) == ["请选择", "内张谦（灵溪镇）"]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", outside) == ["请选择"]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", garbage) == ["请选择"]


@pytest.mark.django_db
def test_restrict_refuses_a_field_without_a_picker(world):
    form = PeopleForm(user=world.users[Role.COUNTY_STAFF])
    form.fields["person"].widget = forms.HiddenInput()

    with pytest.raises(TypeError):
        restrict(form.fields["person"], exclude=1)


class MonthForm(forms.Form):
    month = MonthField(required=False)


@pytest.mark.parametrize(
    "typed",
    [
        "2020-06",
        "2020-6",
        "2020/6",
        "2020.06",
        "2020年6月",
        "２０２０年６月",
        " 2020 年 6 月 ",
        "2020-06-17",
        "2020年6月17日",
    ],
)
def test_the_month_field_reads_a_month_as_people_write_it(typed):
    with translation.override("zh-hans"):
        form = MonthForm({"month": typed})

        assert form.is_valid() is True, form.errors
        assert form.cleaned_data["month"] == dt.date(2020, 6, 1)
        assert 'type="month"' in str(form["month"])
        assert 'value="2020-06"' in str(form["month"])


@pytest.mark.parametrize("typed", ["2020-13", "2020年0月", "六月", "2020", "1899-12"])
def test_a_month_that_is_not_one_gets_a_chinese_message_and_is_shown_back(typed):
    with translation.override("zh-hans"):
        form = MonthForm({"month": typed})

        assert form.is_valid() is False
        assert form.errors["month"][0].startswith(("请填写年月", "日期不能早于1900年"))
        assert f'value="{typed.strip()}"' in str(form["month"]) or typed == "1899-12"


def test_an_empty_month_is_none_and_a_date_value_is_its_month():
    form = MonthForm({"month": ""})
    assert form.is_valid() is True
    assert form.cleaned_data["month"] is None
    assert 'value="2020-06"' in str(MonthForm(initial={"month": dt.date(2020, 6, 17)})["month"])


def test_parse_month_says_none_rather_than_guessing():
    assert parse_month("2020-06") == dt.date(2020, 6, 1)
    assert parse_month("") is None
    assert parse_month("6/2020") is None
