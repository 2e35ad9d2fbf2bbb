"""No dropdown says "---------": its empty choice reads 全部 in every list filter and 请选择 in every form."""

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.test import RequestFactory

from core.forms import ScopedFormMixin, label_empty_choices
from core.scoping import Role
from tests.core.test_filter_labels import PROJECT_APPS, _project_filtersets, _subclasses

pytestmark = pytest.mark.django_db

DEFAULT_LABELS = ("---------", "—", "", "Unknown", "未知")  # what Django and django-filter would say
EMPTY_OPTION = re.compile(r'<option value="(?:|unknown)"[^>]*>([^<]*)</option>')


def _import_form_modules() -> None:
    for app in PROJECT_APPS:
        for name in ("forms", "person_forms"):
            try:
                package = importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.{name}":
                    raise
                continue
            for module in pkgutil.iter_modules(getattr(package, "__path__", [])):
                importlib.import_module(f"{app}.{name}.{module.name}")


def _project_forms() -> list:
    _import_form_modules()
    found = {
        c
        for c in _subclasses(forms.BaseForm)
        if c.__module__.split(".")[0] in PROJECT_APPS and not getattr(getattr(c, "Meta", None), "abstract", False)
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _arguments(world) -> dict:
    """What the forms that belong to one record are opened with (by keyword)."""
    w = world.inside
    return {
        "branch": w.branch,
        "activity": w.activity,
        "post": w.post,
        "care_pair": w.care_pair,
        "retiree": w.retiree,
        "roles": [w.post.role],
        "items": [w.assessment_item],
        "level": "county",
        "case": w.case,
        "drive": w.drive,
        "user": world.users[Role.ADMIN],  # the user a password form is about (security's forms)
        "committee": w.committee,
        "ledger": w.ledger,
        "receivers": [w.ledger],
        "organiser": w.branch,
    }


def _empty_labels(html: str) -> list[str]:
    return EMPTY_OPTION.findall(html)


def test_every_filters_empty_choice_reads_all(world):
    request = RequestFactory().get("/")
    request.user = world.users[Role.ADMIN]
    checked = 0
    for filterset_class in _project_filtersets():
        if filterset_class._meta.model is None:
            continue  # a base class
        html = str(filterset_class(data={}, queryset=filterset_class._meta.model.objects.all(), request=request).form)
        labels = _empty_labels(html)
        if not labels:
            continue  # a filter of text boxes and dates only
        assert not set(labels) & set(DEFAULT_LABELS), f"{filterset_class.__name__}: {labels}"
        # Every empty choice says 全部 but the archived switch's, which says what it shows (在用).
        assert set(labels) - {"在用"} == {"全部"}, f"{filterset_class.__name__}: {labels}"
        checked += 1
    assert checked >= 10


def test_every_forms_empty_choice_reads_please_choose(world):
    args = _arguments(world)
    checked = []
    for form_class in _project_forms():
        if form_class.__module__ == "core.forms" or form_class.__name__.endswith("Mixin"):
            continue  # the base classes themselves
        init = form_class.__init__
        names = init.__code__.co_varnames[1 : init.__code__.co_argcount + init.__code__.co_kwonlyargcount]
        kwargs = {name: value for name, value in args.items() if name in names}
        if issubclass(form_class, ScopedFormMixin):
            kwargs["user"] = world.users[Role.ADMIN]
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        if model is not None:  # an edit form: opened on the world's record of its model
            kwargs["instance"] = next((v for v in vars(world.inside).values() if type(v) is model), None)
        form = form_class(**kwargs)
        html = "".join(str(form[name]) for name in form.fields)
        labels = _empty_labels(html)
        assert not set(labels) & set(DEFAULT_LABELS), f"{form_class.__name__}: {labels}"
        if labels:
            assert set(labels) <= {"请选择"}, f"{form_class.__name__}: {labels}"
            checked.append(form_class.__name__)
    assert len(checked) >= 10, checked


def test_a_label_chosen_on_purpose_stays():
    class Choice(forms.Form):
        kind = forms.ChoiceField(choices=[("", "不限"), ("a", "甲")], required=False)
        other = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")], required=False)

    form = label_empty_choices(Choice(), "请选择")
    assert _empty_labels(str(form["kind"])) == ["不限"]
    assert _empty_labels(str(form["other"])) == ["请选择"]
