"""A hand-edited URL never gives a 500: every page reads its query through core.params.

Each page a user opens with GET is asked with the parameters views read (and the ones
list filters read), set to values a person could type or a truncated link could carry.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.scoping import Role

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "-1", "99999999999999999999", "9999-12", "0001-01", "%00'"]
NAMES = [
    "year", "month", "page", "branch", "retiree", "member", "committee", "scheme", "held_on",
    "direction", "q", "archived", "kind", "status", "region", "cluster", "o", "exclude",
    # the filters the home page's 待办事项 link to
    "to_hold", "behind", "open_over_days", "waiting_for_me", "near_overspend",
]  # fmt: skip
# Pages that are not pages: they answer a POST, log out, or switch a preference.
NOT_PAGES = {"core:logout", "core:toggle_large_font", "set_language", "core:login"}


def _pages_without_arguments(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _pages_without_arguments(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in NOT_PAGES and "regex" not in type(entry.pattern).__name__.lower():
                yield name


def _pages(world):
    inside = world.inside
    yield from (reverse(name) for name in _pages_without_arguments())
    yield reverse("branches:workcommittee_detail", args=[inside.work_committee.pk])
    yield reverse("branches:compliance", args=[inside.branch.pk])
    yield reverse("branches:branch_detail", args=[inside.branch.pk])
    yield reverse("branches:cluster_detail", args=[inside.cluster.pk])
    yield reverse("core:lookup", args=["branch"])


@pytest.mark.parametrize(
    ("role", "value"),
    [(Role.COUNTY_STAFF, value) for value in HOSTILE] + [(Role.BRANCH_SECRETARY, value) for value in HOSTILE[:3]],
)
def test_no_page_answers_a_hostile_query_with_a_500(client, world, role, value):
    client.force_login(world.users[role])
    failures = []
    for url in _pages(world):
        query = "&".join(f"{name}={value}" for name in NAMES)
        try:
            status = client.get(f"{url}?{query}").status_code
        except Exception as error:  # listed with the others, so one run names every page at fault
            status = repr(error)
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{url}: {status}")
    assert not failures


@pytest.mark.parametrize(
    "url",
    [
        "/branches/needs/new/?retiree=abc",
        "/branches/needs/new/?retiree=99999999999999999999",
        "/branches/birthdays/?month=9999-12",
        "/branches/birthdays/?month=0001-01",
        "/branches/compliance/?year=-1",
        "/branches/compliance/?year=99999999999999999999",
        "/branches/activities/new/?branch=abc",
        "/branches/assessments/new/?scheme=abc&branch=-1&year=0",
    ],
)
def test_the_reported_urls_answer_a_page(client, world, url):
    client.force_login(world.users[Role.COUNTY_STAFF])
    assert client.get(url).status_code in {200, 404}
