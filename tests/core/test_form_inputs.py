"""One date style everywhere and the number keypad for phone numbers, in every form of the project."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from core.forms import MonthField
from core.widgets import DateInput, MonthInput, PhoneInput

PROJECT_APPS = [
    a for a in apps.get_app_configs() if a.path.startswith(str(settings.BASE_DIR)) and ".venv" not in a.path
]


def _form_classes():
    for app in PROJECT_APPS:
        for name in ("forms", "person_forms"):
            try:
                module = importlib.import_module(f"{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            modules = [module]
            if hasattr(module, "__path__"):  # a package of areas (branches.forms)
                modules += [
                    importlib.import_module(m.name)
                    for m in pkgutil.iter_modules(module.__path__, f"{module.__name__}.")
                ]
            for mod in modules:
                for value in vars(mod).values():
                    if (
                        isinstance(value, type)
                        and issubclass(value, forms.BaseForm)
                        and value.__module__ == mod.__name__
                    ):
                        yield value


FORMS = sorted(set(_form_classes()), key=lambda c: f"{c.__module__}.{c.__name__}")


def test_the_project_has_forms_to_check():
    assert len(FORMS) > 20


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_date_field_uses_the_one_date_input(form_class):
    """A day takes DateInput; a month (core.forms.MonthField) the one month input."""

    def right_widget(field):
        if isinstance(field, MonthField):
            return isinstance(field.widget, MonthInput)
        return isinstance(field.widget, (DateInput, forms.HiddenInput))

    wrong = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField) and not right_widget(field)
    ]
    assert not wrong, f"{form_class.__name__}: {wrong} should use core.widgets.DateInput (MonthInput for a month)"


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_phone_fields_open_the_number_keypad(form_class):
    wrong = [
        name
        for name, field in form_class.base_fields.items()
        if name in {"mobile", "phone", "contact_phone"} and not isinstance(field.widget, PhoneInput)
    ]
    assert not wrong, f"{form_class.__name__}: {wrong} should use core.widgets.PhoneInput"


def test_the_date_input_carries_its_hint_outside_the_box_and_the_phone_input_is_tel():
    html = DateInput().render("on", None)
    assert 'type="date"' in html
    assert "placeholder" not in html
    assert "data-typed-date" in html
    assert "2016年9月5日" in html  # the hint date_typing.js puts below the field
    phone = PhoneInput().render("mobile", "")
    assert 'type="tel"' in phone
    assert 'inputmode="tel"' in phone


@pytest.mark.parametrize("typed", ["2016年9月5日", "2016/9/5", "2016-09-05"])
def test_a_date_field_reads_each_way_of_typing_a_date(typed):
    import datetime as dt

    assert forms.DateField(widget=DateInput()).clean(typed) == dt.date(2016, 9, 5)
