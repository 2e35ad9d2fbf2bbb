"""Who sees and changes which rows: querysets, posts, role permissions and ID masking."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch, Post, YouthCareCommittee
from core import roles
from core.models import Person, Region, User
from core.roles import sync_role_groups
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

COUNTY, COMMITTEE, SECRETARY, DIRECTOR, LEADER, ADMIN = (
    Role.COUNTY_STAFF,
    Role.COMMITTEE_STAFF,
    Role.BRANCH_SECRETARY,
    Role.COMMITTEE_DIRECTOR,
    Role.LEADER,
    Role.ADMIN,
)


def people_of(county) -> set[int]:
    return {county.person.pk, county.secretary_person.pk, county.director_person.pk, county.care_pair.cadre.pk}


def regions_of(county) -> set[str]:
    return {county.region.pk, county.town.pk, county.village.pk}


def world_people(world) -> set[int]:
    return people_of(world.inside) | people_of(world.outside)


def ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def fresh(user) -> User:
    """The user loaded again: no cached permissions, and the session-wide world object stays untouched."""
    return User.objects.get(pk=user.pk)


# --- Person ------------------------------------------------------------------------------------

# Which county's people each role may read / change (the world has two counties).
PERSON_SCOPE = {
    COUNTY: ({"inside"}, {"inside"}),
    COMMITTEE: ({"inside"}, {"inside"}),
    SECRETARY: (set(), set()),
    DIRECTOR: (set(), set()),
    LEADER: (set(), set()),  # no personal data for leaders
    ADMIN: ({"inside", "outside"}, {"inside", "outside"}),
}


def expected_people(world, counties: set[str]) -> set[int]:
    return set().union(*(people_of(getattr(world, name)) for name in counties)) if counties else set()


@pytest.mark.parametrize("role", [r for r in Role if r != COMMITTEE])
def test_each_role_sees_exactly_the_people_of_its_scope(world, role):
    user = world.users[role]
    readable, _ = PERSON_SCOPE[role]

    visible = ids(Person.objects.visible_to(user).filter(pk__in=world_people(world)))

    assert visible == expected_people(world, readable)


@pytest.mark.parametrize("role", [r for r in Role if r != COMMITTEE])
def test_each_role_may_change_exactly_the_people_of_its_scope(world, role):
    user = world.users[role]
    _, writable = PERSON_SCOPE[role]

    editable = ids(Person.objects.editable_by(user).filter(pk__in=world_people(world)))

    assert editable == expected_people(world, writable)


def test_committee_staff_reach_only_the_people_of_their_committees(world):
    """PIPL's minimum necessary: the committee director, not the county's retirees, secretaries or cadres."""
    user = world.users[COMMITTEE]

    visible = ids(Person.objects.visible_to(user).filter(pk__in=world_people(world)))
    editable = ids(Person.objects.editable_by(user).filter(pk__in=world_people(world)))

    # The director; the retiree and the secretary whom the committee registered as volunteers
    # (volunteers' reach), the retiree's record staying read-only (branches' read_only).
    inside = world.inside
    assert visible == {inside.director_person.pk, inside.person.pk, inside.secretary_person.pk}
    assert editable == {inside.director_person.pk, inside.secretary_person.pk}


def test_committee_staff_may_read_but_not_change_a_retiree_who_holds_a_committee_post(world):
    user = world.users[COMMITTEE]
    inside = world.inside
    Post.objects.create(person=inside.person, committee=inside.committee, role="member", start_on=dt.date(2025, 1, 1))

    assert Person.objects.visible_to(user).filter(pk=world.inside.person.pk).exists() is True
    assert Person.objects.editable_by(user).filter(pk=world.inside.person.pk).exists() is False


def test_committee_staff_reach_a_person_no_branch_record_claims_yet(world):
    person = f.PersonFactory(region=world.inside.town)

    assert Person.objects.editable_by(world.users[COMMITTEE]).filter(pk=person.pk).exists() is True


def test_county_staff_see_no_person_outside_their_county_at_all(world):
    visible = Person.all_objects.visible_to(world.users[COUNTY])

    assert not visible.exclude(region__code__startswith="433127").exists()
    assert visible.exists() is True


# --- Region ------------------------------------------------------------------------------------

REGION_READ = {
    COUNTY: {"inside"},
    COMMITTEE: {"inside"},
    SECRETARY: set(),
    DIRECTOR: set(),
    LEADER: {"inside"},
    ADMIN: {"inside", "outside"},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_the_regions_of_its_scope(world, role):
    user = world.users[role]
    all_world = regions_of(world.inside) | regions_of(world.outside)
    expected = (
        set().union(*(regions_of(getattr(world, name)) for name in REGION_READ[role])) if REGION_READ[role] else set()
    )

    assert ids(Region.objects.visible_to(user).filter(pk__in=all_world)) == expected


def test_region_scoped_users_do_not_see_the_province_and_city_above_them(world):
    visible = ids(Region.objects.visible_to(world.users[COUNTY]))

    assert visible == regions_of(world.inside)


@pytest.mark.parametrize("role", list(Role))
def test_only_the_administrator_may_change_regions(world, role):
    editable = Region.objects.editable_by(world.users[role])

    assert editable.filter(pk=world.inside.region.pk).exists() is (role == ADMIN)


# --- Users who see nothing ---------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_an_inactive_user_sees_and_changes_nothing(world, role):
    user = fresh(world.users[role])
    user.is_active = False

    assert Person.objects.visible_to(user).exists() is False
    assert Person.objects.editable_by(user).exists() is False
    assert Region.objects.visible_to(user).exists() is False
    assert Branch.objects.visible_to(user).exists() is False


def test_an_anonymous_user_sees_nothing(world):
    anonymous = AnonymousUser()

    assert Person.objects.visible_to(anonymous).exists() is False
    assert Person.objects.editable_by(anonymous).exists() is False
    assert Region.objects.visible_to(anonymous).exists() is False
    assert Branch.objects.visible_to(anonymous).exists() is False


def test_a_region_scoped_user_without_a_region_sees_nothing(world):
    user = fresh(world.users[COUNTY])
    user.region = None
    user.region_id = None

    assert Person.objects.visible_to(user).exists() is False
    assert Region.objects.visible_to(user).exists() is False


# --- Posts give branch secretaries and committee directors their scope -------------------------


def test_a_branch_secretary_sees_the_branch_of_their_current_post(world):
    secretary = world.users[SECRETARY]

    assert ids(Branch.objects.visible_to(secretary)) == {world.inside.branch.pk}


def test_a_branch_secretary_whose_post_ended_loses_the_branch(world):
    secretary = world.users[SECRETARY]
    post = Post.objects.get(pk=world.inside.secretary_post.pk)
    post.end_on = timezone.localdate() - dt.timedelta(days=1)
    post.save()

    assert Branch.objects.visible_to(secretary).exists() is False


def test_a_post_ending_today_still_counts(world):
    post = Post.objects.get(pk=world.inside.secretary_post.pk)
    post.end_on = timezone.localdate()
    post.save()

    assert ids(Branch.objects.visible_to(world.users[SECRETARY])) == {world.inside.branch.pk}


def test_a_post_starting_tomorrow_does_not_count_yet(world):
    post = Post.objects.get(pk=world.inside.secretary_post.pk)
    post.start_on = timezone.localdate() + dt.timedelta(days=1)
    post.save()

    assert Branch.objects.visible_to(world.users[SECRETARY]).exists() is False


def test_an_archived_post_gives_no_scope(world):
    Post.objects.get(pk=world.inside.secretary_post.pk).archive(by=world.users[ADMIN])

    assert Branch.objects.visible_to(world.users[SECRETARY]).exists() is False


def test_a_new_post_elsewhere_moves_the_secretary_to_that_branch(world):
    secretary = world.users[SECRETARY]
    Post.objects.filter(pk=world.inside.secretary_post.pk).update(end_on=timezone.localdate() - dt.timedelta(days=1))
    Post.objects.create(
        person=secretary.person,
        branch=world.inside.general_branch,
        role=Post.Role.SECRETARY,
        start_on=timezone.localdate() - dt.timedelta(days=1),
    )

    assert ids(Branch.objects.visible_to(secretary)) == {world.inside.general_branch.pk}


def test_a_committee_director_sees_the_committee_of_their_current_post(world):
    director = world.users[DIRECTOR]

    assert ids(YouthCareCommittee.objects.visible_to(director)) == {world.inside.committee.pk}
    assert ids(YouthCareCommittee.objects.editable_by(director)) == {world.inside.committee.pk}


def test_a_committee_director_whose_post_ended_loses_the_committee(world):
    director = world.users[DIRECTOR]
    post = Post.objects.get(pk=world.inside.director_post.pk)
    post.end_on = timezone.localdate() - dt.timedelta(days=1)
    post.save()

    assert YouthCareCommittee.objects.visible_to(director).exists() is False
    assert Branch.objects.visible_to(director).exists() is False


def test_an_ordinary_committee_member_post_gives_a_director_no_committee(world):
    director = world.users[DIRECTOR]
    post = Post.objects.get(pk=world.inside.director_post.pk)
    post.end_on = timezone.localdate() - dt.timedelta(days=1)
    post.save()
    Post.objects.create(
        person=director.person,
        committee=world.inside.committee,
        role=Post.Role.MEMBER,
        start_on=dt.date(2024, 1, 1),
    )

    assert YouthCareCommittee.objects.visible_to(director).exists() is False


def test_the_user_model_keeps_no_copy_of_the_branch_or_committee():
    field_names = {f.name for f in User._meta.get_fields()}

    assert not field_names & {"branch", "committee", "branches", "committees"}


# --- Roles are Django permissions held by groups -----------------------------------------------


def test_migrate_creates_one_group_per_role(world):
    assert set(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == set(Role.values)


def test_the_county_staff_group_holds_the_person_permissions(world):
    group = Group.objects.get(name=COUNTY)
    codenames = set(group.permissions.filter(content_type__app_label="core").values_list("codename", flat=True))

    assert {"view_person", "add_person", "change_person", "view_id_number", "restore_records"} <= codenames


def test_sync_role_groups_puts_back_a_permission_removed_by_hand(world):
    group = Group.objects.get(name=COUNTY)
    group.permissions.remove(group.permissions.get(codename="view_id_number"))

    sync_role_groups()

    assert group.permissions.filter(codename="view_id_number").exists() is True


def test_sync_role_groups_takes_away_what_the_table_no_longer_grants(world, monkeypatch):
    monkeypatch.setattr(roles, "role_permissions", lambda: {COUNTY: ["core.view_person"]})

    sync_role_groups()

    assert list(Group.objects.get(name=COUNTY).permissions.values_list("codename", flat=True)) == ["view_person"]


@pytest.mark.parametrize(
    ("role", "perm", "granted"),
    [
        (COUNTY, "core.view_person", True),
        (COUNTY, "core.restore_records", True),
        (COUNTY, "core.view_id_number", True),
        (COMMITTEE, "core.change_person", True),
        (COMMITTEE, "core.restore_records", False),
        (SECRETARY, "core.view_person", False),
        (SECRETARY, "branches.view_branch", True),
        (DIRECTOR, "core.view_id_number", False),
        (DIRECTOR, "branches.change_youthcarecommittee", True),
        (LEADER, "core.view_person", False),
        (LEADER, "core.view_id_number", False),
        (LEADER, "core.view_region", True),
        (ADMIN, "core.change_region", True),
    ],
)
def test_the_role_backend_grants_the_roles_permissions(world, role, perm, granted):
    assert fresh(world.users[role]).has_perm(perm) is granted


def test_a_user_who_is_not_a_superuser_gets_admin_permissions_from_the_admin_role(world):
    admin = User.objects.create(username="plain-admin", role=ADMIN, is_staff=True)

    assert admin.is_superuser is False
    assert admin.has_perm("core.change_region") is True
    assert admin.has_perm("core.delete_person") is True


def test_a_users_permissions_change_with_their_role(world):
    user = world.users[COUNTY]
    assert fresh(user).has_perm("core.view_person") is True

    User.objects.filter(pk=user.pk).update(role=LEADER)

    assert fresh(user).has_perm("core.view_person") is False
    assert fresh(user).has_perm("core.view_region") is True


def test_an_inactive_user_holds_no_permission(world):
    User.objects.filter(pk=world.users[COUNTY].pk).update(is_active=False)

    assert fresh(world.users[COUNTY]).has_perm("core.view_person") is False


def test_joining_another_group_by_hand_grants_nothing(world):
    """The role is the only source of group permissions (no second membership table)."""
    leader = world.users[LEADER]
    leader.groups.add(Group.objects.get(name=COUNTY))

    assert fresh(leader).has_perm("core.view_person") is False


# --- ID numbers are masked for every role (the whole number: tests/core/test_id_number_reveal.py) --


def render_id_number(user, person) -> str:
    return Template("{% id_number person %}").render(Context({"user": user, "person": person}))


@pytest.mark.parametrize("role", [COUNTY, COMMITTEE, SECRETARY, DIRECTOR, LEADER, ADMIN])
def test_the_id_number_tag_masks_for_every_role(world, role):
    person = world.inside.person
    number = person.id_number

    shown = render_id_number(fresh(world.users[role]), person)

    assert shown == f"{number[:6]}********{number[-4:]}"


def test_the_id_number_tag_says_when_no_number_is_registered(world):
    person = Person(name="无证", id_number="")

    assert render_id_number(fresh(world.users[COUNTY]), person) == "未登记"


def test_the_id_number_tag_falls_back_to_the_request_user(world):
    request = RequestFactory().get("/")
    request.user = fresh(world.users[LEADER])
    number = world.inside.person.id_number

    shown = Template("{% id_number person %}").render(Context({"request": request, "person": world.inside.person}))

    assert shown == f"{number[:6]}********{number[-4:]}"


def test_the_person_page_shows_county_staff_the_masked_number_and_the_reveal_control(client, world):
    client.force_login(world.users[COUNTY])
    person = world.inside.person

    response = client.get(reverse("core:person_detail", args=[person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number not in html
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in html
    assert reverse("core:person_reveal_id_number", args=[person.pk]) in html


@pytest.mark.parametrize("role", [SECRETARY, LEADER])
def test_the_person_page_template_masks_the_number_for_a_secretary_or_leader(world, role):
    person = world.inside.person
    request = RequestFactory().get("/")
    user = fresh(world.users[role])
    request.user = user

    html = render_to_string("core/person_detail.html", {"object": person, "user": user}, request=request)

    assert person.id_number not in html
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in html
