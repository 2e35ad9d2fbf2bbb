"""Every URL of the project, every role, inside and outside the scope.

The cases live in tests/access/cases_*.py, one module per app or feature.
A URL that has no case fails `test_every_url_has_a_case`.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import tests.access
from core import access
from core.scoping import Role
from tests.access.matrix import ROLES, Case, assert_common_headers
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


def test_leaders_never_open_the_history_of_personal_records():
    """A personal record's history needs `core.view_personal_data`, which leaders lack (`access.VIEW_HISTORY`)."""
    personal = []
    for case in CASES:
        if case.url_name.endswith("_history"):
            view = resolve(reverse(case.url_name, args=[1])).func
            model = view.view_initkwargs.get("model") or view.view_class.model
            if access.is_personal(model):
                personal.append(model.__name__)
                assert case.expect[Role.LEADER] in (403, 404), case.id
    assert {"Person", "Retiree"} <= set(personal)


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
    if case.method == "get":
        # Every page, for every role, whatever it answers: the security headers, and never cached.
        assert_common_headers(response, f"{role} {case.id} {response.status_code}")
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", [c for c in CASES if (c.obj or c.kwargs) and c.record], ids=lambda c: c.id)
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


# --- A refused write changes nothing ----------------------------------------------------------


def _refusals():
    """(case, role, county) for every POST that a role is refused (403/404), inside or outside its scope."""
    for case in CASES:
        if case.method != "post":
            continue
        for role in ROLES:
            if case.expect[role] in (403, 404):
                yield pytest.param(case, role, "inside", id=f"{case.id}-{role}-inside")
            if role != Role.ADMIN and (case.obj or case.kwargs) and case.record:
                yield pytest.param(case, role, "outside", id=f"{case.id}-{role}-outside")


def _event_models():
    import pghistory.models
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, pghistory.models.Event) and not m._meta.proxy]


def _history_events() -> int:
    """All history events of all tracked models, in one statement (events are only ever added)."""
    from django.db import connection

    tables = [m._meta.db_table for m in _event_models()]
    sql = " + ".join(f'(SELECT count(*) FROM "{table}")' for table in tables)  # noqa: S608 (our table names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]


def _audit_entries() -> int:
    from core.models import AuditEntry

    return AuditEntry.objects.count()


def _row(obj) -> dict:
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


@pytest.mark.parametrize(("case", "role", "where"), list(_refusals()))
def test_a_refused_write_leaves_the_row_and_its_history_as_they_were(client, world, case, role, where):
    county = getattr(world, where)
    target = getattr(county, case.obj) if case.obj else None
    before_row = _row(target) if target is not None else None
    before_events = _history_events()
    client.force_login(world.users[role])  # (a login writes its audit entry here, before the count)
    before_entries = _audit_entries()

    response = _request(client, case, county)

    assert response.status_code in (403, 404)
    assert _history_events() == before_events
    assert _audit_entries() == before_entries  # a refused reveal or export is no audited event
    if target is not None:
        assert _row(target) == before_row


def test_the_history_count_sees_an_allowed_write(client, world):
    """The check above can fail: an archive that is allowed adds an event and changes the row."""
    venue = world.inside.venue
    before_row, before_events = _row(venue), _history_events()
    client.force_login(world.users[Role.COUNTY_STAFF])

    client.post(reverse("branches:venue_archive", args=[venue.pk]))

    assert _history_events() > before_events
    assert _row(venue) != before_row


def test_the_audit_count_sees_an_allowed_reveal(client, world):
    """The audit check above can fail: a reveal that is allowed writes an entry."""
    client.force_login(world.users[Role.COUNTY_STAFF])
    before = _audit_entries()

    client.post(reverse("core:person_reveal_id_number", args=[world.inside.person.pk]), {"reason": "核对"})

    assert _audit_entries() == before + 1
