"""Archive instead of delete: archived people leave lists and counts; county staff can restore them."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.history import history_of
from core.models import Person
from core.scoping import Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return PersonFactory(region=world.inside.town, name="归档测试人")


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def archive_url(person):
    return reverse("core:person_archive", args=[person.pk])


def restore_url(person):
    return reverse("core:person_restore", args=[person.pk])


def test_archiving_hides_the_person_from_the_default_manager_only(world, person):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    assert Person.objects.filter(pk=person.pk).exists() is False
    assert Person.all_objects.filter(pk=person.pk).exists() is True
    assert Person.objects.visible_to(world.users[Role.COUNTY_STAFF]).filter(pk=person.pk).exists() is False


def test_archiving_records_when_and_by_whom(world, person):
    staff = world.users[Role.COUNTY_STAFF]

    person.archive(by=staff)
    person = Person.all_objects.get(pk=person.pk)

    assert person.is_archived is True
    assert person.archived_by == staff
    assert person.archived_at is not None


def test_the_archive_button_archives_and_the_list_no_longer_shows_the_person(client, world, person):
    staff_client = login(client, world, Role.COUNTY_STAFF)
    assert "归档测试人" in staff_client.get(reverse("core:person_list")).content.decode()

    response = staff_client.post(archive_url(person))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:person_list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已删除：归档测试人。可恢复：如需恢复，请联系老干部局工作人员。"
    ]
    assert Person.all_objects.get(pk=person.pk).is_archived is True
    listed = staff_client.get(reverse("core:person_list"))
    assert person not in listed.context["object_list"]
    assert person.get_absolute_url() not in listed.content.decode()


def test_searching_does_not_find_an_archived_person(client, world, person):
    staff_client = login(client, world, Role.COUNTY_STAFF)
    staff_client.post(archive_url(person))

    response = staff_client.get(reverse("core:person_list"), {"q": "归档测试"})

    assert list(response.context["object_list"]) == []


def test_committee_staff_may_archive_too(client, world, person):
    response = login(client, world, Role.COMMITTEE_STAFF).post(archive_url(person))

    assert response.status_code == 302
    assert Person.all_objects.get(pk=person.pk).is_archived is True


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.COMMITTEE_STAFF])
def test_archive_is_post_only(client, world, person, role):
    response = login(client, world, role).get(archive_url(person))

    assert response.status_code == 405
    assert Person.objects.filter(pk=person.pk).exists() is True


def test_restore_is_post_only(client, world, person):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    response = login(client, world, Role.COUNTY_STAFF).get(restore_url(person))

    assert response.status_code == 405
    assert Person.all_objects.get(pk=person.pk).is_archived is True


def test_county_staff_can_restore_an_archived_person(client, world, person):
    person.archive(by=world.users[Role.COMMITTEE_STAFF])

    response = login(client, world, Role.COUNTY_STAFF).post(restore_url(person))

    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    restored = Person.objects.get(pk=person.pk)
    assert (restored.is_archived, restored.archived_by) == (False, None)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COMMITTEE_STAFF, 403),
        (Role.BRANCH_SECRETARY, 404),
        (Role.COMMITTEE_DIRECTOR, 404),
        (Role.LEADER, 404),
    ],
)
def test_other_roles_cannot_restore(client, world, person, role, status):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    response = login(client, world, role).post(restore_url(person))

    assert response.status_code == status
    assert Person.all_objects.get(pk=person.pk).is_archived is True


def test_the_restore_permission_belongs_to_county_staff_alone_among_the_working_roles(world):
    holders = {role for role in Role if role != Role.ADMIN and world.users[role].has_perm("core.restore_records")}

    assert holders == {Role.COUNTY_STAFF}


def test_county_staff_cannot_restore_a_person_of_another_county(client, world):
    outsider = PersonFactory(region=world.outside.town)
    outsider.archive(by=world.users[Role.ADMIN])

    response = login(client, world, Role.COUNTY_STAFF).post(restore_url(outsider))

    assert response.status_code == 404
    assert Person.all_objects.get(pk=outsider.pk).is_archived is True


def test_an_archived_person_keeps_a_detail_page_with_a_restore_button_for_county_staff(client, world, person):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    response = login(client, world, Role.COUNTY_STAFF).get(person.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "已删除" in html
    assert restore_url(person) in html
    assert reverse("core:person_update", args=[person.pk]) not in html
    assert archive_url(person) not in html


def test_committee_staff_see_no_restore_button(client, world, person):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    response = login(client, world, Role.COMMITTEE_STAFF).get(person.get_absolute_url())

    assert response.status_code == 200
    assert restore_url(person) not in response.content.decode()


def test_an_archived_person_cannot_be_edited_until_restored(client, world, person):
    person.archive(by=world.users[Role.COUNTY_STAFF])

    response = login(client, world, Role.COUNTY_STAFF).get(reverse("core:person_update", args=[person.pk]))

    assert response.status_code == 404


def test_archiving_twice_is_not_found(client, world, person):
    staff_client = login(client, world, Role.COUNTY_STAFF)
    staff_client.post(archive_url(person))

    assert staff_client.post(archive_url(person)).status_code == 404


def test_history_keeps_the_archive_and_restore_events(client, world, person):
    staff = world.users[Role.COUNTY_STAFF]
    staff_client = login(client, world, Role.COUNTY_STAFF)

    staff_client.post(archive_url(person))
    staff_client.post(restore_url(person))

    restore_event, archive_event = history_of(person, staff)[:2]
    assert (archive_event.user, archive_event.kind) == (staff, "删除")
    assert (restore_event.user, restore_event.kind) == (staff, "恢复")
    history_page = staff_client.get(reverse("core:person_history", args=[person.pk])).content.decode()
    assert f"· 删除 · {staff.display_name}" in history_page
    assert f"· 恢复 · {staff.display_name}" in history_page
