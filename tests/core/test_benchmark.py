"""`manage.py benchmark` times the pages the apps register through core.hooks."""

import pytest
from django.urls import reverse

from core import hooks
from core.hooks import BenchmarkPage
from core.management.commands.benchmark import pages_to_time


def test_every_registered_benchmark_page_is_a_url():
    assert len(hooks.registry.benchmark_pages) > 20
    for page in hooks.registry.benchmark_pages:
        url_name = page.url_name.partition("?")[0]
        assert reverse(url_name, args=[1] * page.arity if page.argument else [])


def test_every_app_registers_the_scale_of_its_pages():
    assert [label for label, _model in hooks.registry.benchmark_scale] == [
        "branches",
        "retirees",
        "activities",
        "attendance",
        "volunteers",
        "service records",
        "service hours",
        "children",
        "aid cases",
        "pairings",
        "disbursements",
        "fund entries",
        "ledgers",
    ]


@pytest.mark.django_db
def test_pages_are_timed_by_login_and_province_pages_only_when_their_login_exists(world, monkeypatch):
    pages = [
        BenchmarkPage("leader", "core:home", province=True),
        BenchmarkPage("county_staff", "core:home"),
        BenchmarkPage("branch_secretary", "core:home"),
        BenchmarkPage("county_staff", "branches:branch_list"),
        BenchmarkPage("nobody_yet", "core:home", province=True),
    ]
    monkeypatch.setattr(hooks, "registry", hooks.Registry(benchmark_pages=pages))
    assert pages_to_time() == [pages[1], pages[3], pages[2], pages[0]]
