"""显示完整号码: every page shows ID numbers masked; a role allowed to reveal asks for one record's whole
number with a reason (POST), and each answer writes one audit entry. The decision is core.access's."""

import pytest
from django.urls import reverse

from core import access
from core.models import AuditEntry, User
from core.scoping import Role

pytestmark = pytest.mark.django_db

COUNTY, COMMITTEE, SECRETARY, DIRECTOR, LEADER, ADMIN = (
    Role.COUNTY_STAFF,
    Role.COMMITTEE_STAFF,
    Role.BRANCH_SECRETARY,
    Role.COMMITTEE_DIRECTOR,
    Role.LEADER,
    Role.ADMIN,
)


def masked(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def reveal_url(person) -> str:
    return reverse("core:person_reveal_id_number", args=[person.pk])


def reveals(person) -> int:
    return AuditEntry.objects.filter(
        kind=AuditEntry.Kind.REVEAL_ID, target_model="core.Person", target_id=str(person.pk)
    ).count()


# --- Masked by default on every page that shows a number ---------------------------------------


def _pages(w):
    """(url, person whose number it shows) for every kind of page that shows an ID number."""
    return {
        "person_detail": (reverse("core:person_detail", args=[w.person.pk]), w.person),
        "person_list": (reverse("core:person_list"), w.person),
        "retiree_detail": (reverse("branches:retiree_detail", args=[w.retiree.pk]), w.retiree.person),
        "transfer_list": (reverse("branches:transferrequest_list"), w.transfer_request.retiree.person),
        "volunteer_detail": (reverse("volunteers:volunteer_detail", args=[w.volunteer.pk]), w.volunteer.person),
        "volunteer_print": (reverse("volunteers:volunteer_print", args=[w.volunteer.pk]), w.volunteer.person),
        "child_detail": (reverse("aid_cases:child_detail", args=[w.child.pk]), w.child.person),
    }


# (Histories mask the number too: tests/core/test_history.py.)
PAGES = ["person_detail", "person_list", "retiree_detail", "transfer_list"]
PAGES += ["volunteer_detail", "volunteer_print", "child_detail"]


@pytest.mark.parametrize("role", [COUNTY, ADMIN])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_number_masked_even_to_roles_that_may_reveal_it(client, world, role, page):
    url, person = _pages(world.inside)[page]
    client.force_login(world.users[role])

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number not in html
    assert masked(person.id_number) in html


@pytest.mark.parametrize("page", ["person_detail", "retiree_detail", "volunteer_detail"])
def test_record_pages_offer_the_control_to_county_staff(client, world, page):
    url, person = _pages(world.inside)[page]
    client.force_login(world.users[COUNTY])

    html = client.get(url).content.decode()

    assert "显示完整号码" in html
    assert reveal_url(person) in html


@pytest.mark.parametrize("role", [COMMITTEE, SECRETARY, DIRECTOR, LEADER])
@pytest.mark.parametrize("page", ["person_detail", "retiree_detail", "volunteer_detail"])
def test_other_roles_never_see_the_control(client, world, role, page):
    url, person = _pages(world.inside)[page]
    client.force_login(world.users[role])

    response = client.get(url)

    if response.status_code == 200:
        assert reveal_url(person) not in response.content.decode()


def test_lists_offer_no_control(client, world):
    client.force_login(world.users[COUNTY])

    html = client.get(reverse("core:person_list")).content.decode()

    assert "显示完整号码" not in html


def test_the_record_page_query_count_stays_fixed(client, world, django_assert_max_num_queries):
    client.force_login(world.users[COUNTY])
    url = reverse("branches:retiree_detail", args=[world.inside.retiree.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


# --- The decision lives in core.access ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(COUNTY, True), (COMMITTEE, False), (SECRETARY, False), (DIRECTOR, False), (LEADER, False), (ADMIN, True)],
)
def test_who_may_reveal_a_persons_number(world, role, allowed):
    user = User.objects.get(pk=world.users[role].pk)

    assert access.can_reveal_id_number(user, world.inside.person) is allowed


def test_county_staff_may_not_reveal_a_number_outside_their_county(world):
    user = User.objects.get(pk=world.users[COUNTY].pk)

    assert access.can_reveal_id_number(user, world.outside.person) is False


def test_a_childs_number_needs_the_aid_permission(world):
    committee = User.objects.get(pk=world.users[COMMITTEE].pk)
    director = User.objects.get(pk=world.users[DIRECTOR].pk)

    assert access.can_reveal_id_number(committee, world.inside.child) is True
    assert access.can_reveal_id_number(director, world.inside.child) is False


# --- Revealing -------------------------------------------------------------------------------


def test_a_reveal_shows_the_whole_number_and_writes_one_audit_entry_with_the_reason(client, world):
    person = world.inside.person
    client.force_login(world.users[COUNTY])

    response = client.post(reveal_url(person), {"reason": "核对养老待遇发放", "next": "/people/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number in html
    assert 'href="/people/"' in html  # back where the user came from
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.REVEAL_ID, target_id=str(person.pk))
    assert entry.reason == "核对养老待遇发放"
    assert entry.user_id == world.users[COUNTY].pk
    assert entry.target_model == "core.Person"
    assert person.id_number not in entry.target_label


def test_an_htmx_reveal_answers_a_fragment(client, world):
    person = world.inside.person
    client.force_login(world.users[COUNTY])

    response = client.post(reveal_url(person), {"reason": "核对"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert person.id_number in html
    assert "<html" not in html
    assert reveals(person) == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_is_refused_with_a_chinese_message_and_nothing_is_written(client, world, reason):
    person = world.inside.person
    client.force_login(world.users[COUNTY])

    response = client.post(reveal_url(person), {"reason": reason})

    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number not in html
    assert "请填写查看完整号码的理由" in html
    assert response.context["form"].errors["reason"] == ["请填写查看完整号码的理由"]
    assert reveals(person) == 0


@pytest.mark.parametrize(("role", "status"), [(COMMITTEE, 403), (SECRETARY, 404), (DIRECTOR, 404), (LEADER, 404)])
def test_roles_without_the_permission_are_refused_and_nothing_is_written(client, world, role, status):
    person = world.inside.person
    client.force_login(world.users[role])

    response = client.post(reveal_url(person), {"reason": "看看"})

    assert response.status_code == status
    assert person.id_number not in response.content.decode()
    assert reveals(person) == 0


def test_a_get_is_not_a_reveal(client, world):
    client.force_login(world.users[COUNTY])

    assert client.get(reveal_url(world.inside.person)).status_code == 405
    assert reveals(world.inside.person) == 0


def test_a_childs_reveal_is_audited_too(client, world):
    child = world.inside.child
    client.force_login(world.users[COMMITTEE])

    response = client.post(reverse("aid_cases:child_reveal_id_number", args=[child.pk]), {"reason": "办理学籍资助"})

    assert child.person.id_number in response.content.decode()
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.REVEAL_ID, target_model="aid_cases.Child")
    assert (entry.target_id, entry.target_label, entry.reason) == (str(child.pk), "受助儿童", "办理学籍资助")
