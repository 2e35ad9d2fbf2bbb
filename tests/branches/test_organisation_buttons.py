"""Every button and link of the organisation pages leads somewhere the user may go.

For each role, each organisation page the role may open is rendered; every link
(`<a href>`) and every form action on it that points at an organisation URL is
then followed: a GET must answer 200, a POST must not be refused (403) or hidden
(404). POSTs are rolled back, so one page's buttons are all tried on the same data.
"""

import re

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from branches.views import organisation
from core.scoping import Role

pytestmark = pytest.mark.django_db

ORGANISATION_URL_NAMES = {f"branches:{p.name}" for p in organisation.urlpatterns if p.name}

PAGES = [
    ("branches:branch_detail", "branch"),
    ("branches:branch_detail", "general_branch"),
    ("branches:committee_detail", "committee"),
    ("branches:workcommittee_detail", "work_committee"),
    ("branches:cluster_detail", "cluster"),
    ("branches:venue_detail", "venue"),
    ("branches:guidancevisit_list", None),
    ("branches:branch_list", None),
    ("branches:committee_list", None),
    ("branches:venue_list", None),
]

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#?]*)', re.IGNORECASE)
POST_FORM = re.compile(r'<form\b[^>]*method="post"[^>]*action="(/[^"]*)"', re.IGNORECASE)


def _organisation_url(url: str) -> bool:
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.view_name in ORGANISATION_URL_NAMES


def _main(html: str) -> str:
    """The page's own content: the menu is core.hooks' business."""
    return html[html.index('<main id="main"') :]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("url_name", "obj"), PAGES, ids=[f"{n}:{o}" for n, o in PAGES])
def test_every_button_on_the_page_is_one_the_user_may_use(client, world, role, url_name, obj):
    client.force_login(world.users[role])
    page = client.get(reverse(url_name, args=[getattr(world.inside, obj).pk] if obj else []))
    if page.status_code != 200:
        # A refused page offers nothing: it must be refused, not broken (the matrix checks which).
        assert page.status_code in (403, 404)
        return
    html = _main(page.content.decode())

    refused = []
    for url in sorted({u for u in LINK.findall(html) if _organisation_url(u)} - {page.request["PATH_INFO"]}):
        status = client.get(url).status_code
        if status != 200:
            refused.append(("GET", url, status))
    for url in sorted({u for u in POST_FORM.findall(html) if _organisation_url(u)}):
        with transaction.atomic():
            status = client.post(url).status_code
            transaction.set_rollback(True)
        if status in (403, 404):
            refused.append(("POST", url, status))

    assert refused == []


def test_the_buttons_follow_the_role(client, world):
    """County staff manage the branch committee; the secretary reads it; committee staff archive committees."""
    branch_url = reverse("branches:branch_detail", args=[world.inside.branch.pk])
    committee_url = reverse("branches:committee_detail", args=[world.inside.committee.pk])
    post_update = reverse("branches:post_update", args=[world.inside.secretary_post.pk])
    committee_archive = reverse("branches:committee_archive", args=[world.inside.committee.pk])

    client.force_login(world.users[Role.COUNTY_STAFF])
    assert post_update in client.get(branch_url).content.decode()
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    assert post_update not in client.get(branch_url).content.decode()
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    assert committee_archive in client.get(committee_url).content.decode()
    client.force_login(world.users[Role.COMMITTEE_DIRECTOR])
    assert committee_archive not in client.get(committee_url).content.decode()
