"""Every URL of the project, every role, inside and outside the scope.

The cases live in tests/access/cases_*.py, one module per app or feature.
A URL that has no case fails `test_every_url_has_a_case`.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.access
from core.scoping import Role
from tests.access.matrix import ROLES, Case
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

# Third-party URL sets that are not ours to scope.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


def _load_cases() -> list[Case]:
    cases = []
    for module in pkgutil.iter_modules(tests.access.__path__):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.access.{module.name}").CASES)
    return cases


CASES = _load_cases()


def _project_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _project_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXCLUDED_NAMES:
            yield f"{namespace}{entry.name}"


def test_every_url_has_a_case():
    missing = set(_project_url_names()) - {case.url_name for case in CASES}
    assert not missing, f"URLs without an access case: {sorted(missing)}"


def test_no_case_is_listed_twice():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def _url(case: Case, county) -> str:
    if case.kwargs:
        return reverse(case.url_name, kwargs=case.kwargs(county))
    if case.obj:
        return reverse(case.url_name, args=[getattr(county, case.obj).pk])
    return reverse(case.url_name)


def _request(client, case: Case, county):
    url = _url(case, county)
    if case.method == "post":
        return client.post(url, case.data(county) if case.data else {})
    return client.get(url)


@pytest.mark.parametrize("case", [c for c in CASES if not c.public], ids=lambda c: c.id)
def test_anonymous_users_are_sent_to_login(client, world, case):
    response = _request(client, case, world.inside)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_inside_scope(client, world, case, role):
    client.force_login(world.users[role])
    response = _request(client, case, world.inside)
    assert response.status_code == case.expect[role], response.content[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", [c for c in CASES if c.obj or c.kwargs], ids=lambda c: c.id)
def test_outside_scope_is_not_found(client, world, case, role):
    client.force_login(world.users[role])
    response = _request(client, case, world.outside)
    expected = case.expect[role] if role == Role.ADMIN else 404
    assert response.status_code == expected


@pytest.mark.parametrize("case", [c for c in CASES if c.public], ids=lambda c: c.id)
def test_public_urls_answer_anonymous_users(client, world, case):
    assert _request(client, case, world.inside).status_code in (200, 302)


def test_users_log_in_with_the_test_password(client, world):
    assert client.login(username="county_staff", password=PASSWORD) is True
