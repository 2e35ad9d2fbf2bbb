"""Leaders read organisations and numbers: no organisation page shows them a person's name.

Post holders, committee members, the work-committee members who guide a branch
(联系的党工委委员) and the members who made guidance visits are all named for
the other roles, and replaced by a neutral label (or left out) for leaders.
"""

import pytest
from django.urls import reverse

from core.models import Person
from core.scoping import Role

pytestmark = pytest.mark.django_db

LEADER_PAGES = [
    ("branches:branch_detail", "branch"),
    ("branches:committee_detail", "committee"),
    ("branches:workcommittee_detail", "work_committee"),
    ("branches:cluster_detail", "cluster"),
    ("branches:venue_detail", "venue"),
    ("branches:branch_list", None),
    ("branches:committee_list", None),
    ("branches:workcommittee_list", None),
]


def _page(client, world, role, url_name, obj) -> str:
    client.force_login(world.users[role])
    args = [getattr(world.inside, obj).pk] if obj else []
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _named_people(page: str) -> list[str]:
    return sorted(name for name in Person.objects.values_list("name", flat=True) if name in page)


@pytest.mark.parametrize(("url_name", "obj"), LEADER_PAGES, ids=[name for name, _ in LEADER_PAGES])
def test_a_leaders_organisation_page_names_nobody(client, world, url_name, obj):
    page = _page(client, world, Role.LEADER, url_name, obj)

    assert _named_people(page) == []


def test_the_branch_page_names_its_guide_for_county_staff_not_for_the_leader(client, world):
    guide = world.inside.wc_member.person.name

    assert guide in _page(client, world, Role.COUNTY_STAFF, "branches:branch_detail", "branch")
    leader_page = _page(client, world, Role.LEADER, "branches:branch_detail", "branch")
    assert guide not in leader_page
    assert "联系的党工委委员" in leader_page  # the branch has a guide: the leader learns that much


def test_the_committee_page_names_its_members_for_the_director(client, world):
    page = _page(client, world, Role.COMMITTEE_DIRECTOR, "branches:committee_detail", "committee")

    assert world.inside.director_person.name in page
