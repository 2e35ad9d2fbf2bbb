"""Every sort choice of every list filter reads in Chinese: none falls back to django-filter's English.

django-filter looks an ascending label up by the model field (`pinyin`) and a
descending one by the parameter (`-name`); a label keyed by the wrong one is
silently replaced by an English "Name".
"""

import importlib
import pkgutil
import re
from pathlib import Path

import django_filters
import pytest
from django.utils import translation

PROJECT_APPS = ("core", "branches", "volunteers", "aid_cases", "reports")
PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _import_filter_modules() -> None:
    for app in PROJECT_APPS:
        try:
            package = importlib.import_module(f"{app}.filters")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.filters":
                raise
            continue
        for module in pkgutil.iter_modules(getattr(package, "__path__", [])):
            importlib.import_module(f"{app}.filters.{module.name}")


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _project_filtersets() -> list:
    _import_filter_modules()
    found = {c for c in _subclasses(django_filters.FilterSet) if c.__module__.split(".")[0] in PROJECT_APPS}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _sort_choices():
    for filterset in _project_filtersets():
        for name, declared in filterset.base_filters.items():
            if isinstance(declared, django_filters.OrderingFilter):
                for value, label in declared.extra["choices"]:
                    yield pytest.param(label, id=f"{filterset.__name__}.{name}={value}")


OUR_MESSAGE_IDS = set(re.findall(r'^msgid "(.+)"$', PO.read_text(encoding="utf-8"), re.MULTILINE))


def test_the_project_has_sort_choices_to_check():
    assert len(list(_sort_choices())) > 30


@pytest.mark.parametrize("label", list(_sort_choices()))
def test_each_sort_choice_label_is_one_of_our_chinese_messages(label):
    with translation.override("zh-hans"):
        text = str(label)
    assert CJK.search(text), text
    assert text in OUR_MESSAGE_IDS, text
