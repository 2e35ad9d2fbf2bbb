"""Every create, change and archive of a Person is kept, with who did it (PostgreSQL triggers)."""

import pytest
from django.urls import reverse

from core.history import history_of
from core.models import Person
from core.scoping import Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def form_data(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "mobile": person.mobile,
        "region": person.region_id,
        "address": person.address,
        "note": person.note,
        "version": person.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(world):
    return world.users[Role.COUNTY_STAFF]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def person(world):
    return PersonFactory(region=world.inside.town, name="王建国", mobile="13900000001", address="灵溪镇1号")


def changed_fields(entry) -> set[str]:
    return {change.field for change in entry.changes}


def test_creating_a_person_through_the_form_records_who_created_them(staff_client, staff, world):
    response = staff_client.post(
        reverse("core:person_create"),
        {"name": "刘新来", "region": world.inside.town.pk, "mobile": "13800000000", "birth_date": "1950-01-02"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="刘新来")

    events = history_of(person)

    assert [e.label for e in events] == ["insert"]
    assert events[0].user == staff
    assert events[0].url == reverse("core:person_create")


def test_changing_a_person_records_the_user_and_the_changed_field(staff_client, staff, person):
    response = staff_client.post(
        reverse("core:person_update", args=[person.pk]), form_data(person, address="灵溪镇2号")
    )
    assert response.status_code == 302

    latest = history_of(person)[0]

    assert latest.label == "update"
    assert latest.user == staff
    assert changed_fields(latest) == {"address"}
    change = latest.changes[0]
    assert (change.label, change.before, change.after) == ("住址", "灵溪镇1号", "灵溪镇2号")


def test_bookkeeping_columns_are_not_listed_as_changes(staff_client, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, name="王建华"))

    latest = history_of(person)[0]

    assert changed_fields(latest) == {"name"}  # not version, updated_at or the pinyin keys


def test_archiving_a_person_records_the_archive_and_who_did_it(staff_client, staff, person):
    response = staff_client.post(reverse("core:person_archive", args=[person.pk]))
    assert response.status_code == 302

    latest = history_of(person)[0]

    assert latest.user == staff
    assert {"archived_at", "archived_by_id"} <= changed_fields(latest)
    assert {"归档时间", "归档人"} <= {change.label for change in latest.changes}
    assert next(c.after for c in latest.changes if c.field == "archived_by_id") == staff.pk


def test_events_are_listed_newest_first(staff_client, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="A"))
    person.refresh_from_db()
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="B"))

    events = history_of(person)

    assert [e.label for e in events] == ["update", "update", "insert"]
    assert [c.after for c in events[0].changes] == ["B"]
    assert [c.after for c in events[1].changes] == ["A"]


def test_a_queryset_update_is_recorded_too(person):
    Person.objects.filter(pk=person.pk).update(address="批量修改的地址")

    latest = history_of(person)[0]

    assert latest.label == "update"
    assert latest.user is None  # no request, so no user: but the change itself is kept
    assert [(c.field, c.after) for c in latest.changes] == [("address", "批量修改的地址")]


def test_bulk_create_is_recorded_too(world):
    people = [Person(name=name, region=world.inside.town) for name in ("批量甲", "批量乙")]
    for p in people:
        p.fill_derived_fields()

    created = Person.objects.bulk_create(people)

    for p in created:
        assert [e.label for e in history_of(p)] == ["insert"]


def test_the_history_of_one_person_leaves_out_other_people(person, world):
    Person.objects.filter(pk=world.inside.person.pk).update(address="别人的地址")

    assert [e.label for e in history_of(person)] == ["insert"]


def test_the_history_page_lists_who_changed_what(staff_client, staff, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="灵溪镇2号"))
    staff_client.post(reverse("core:person_archive", args=[person.pk]))

    response = staff_client.get(reverse("core:person_history", args=[person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "王建国 的修改记录" in html
    assert "住址" in html
    assert "<del>灵溪镇1号</del>" in html
    assert "<ins>灵溪镇2号</ins>" in html
    assert "归档时间" in html
    assert "创建" in html
    assert html.count(staff.display_name) >= 2
    assert len(response.context["events"]) == 3


def test_the_history_page_of_an_archived_person_still_opens(staff_client, staff, person):
    person.archive(by=staff)

    response = staff_client.get(reverse("core:person_history", args=[person.pk]))

    assert response.status_code == 200
    assert len(response.context["events"]) == 2


def test_reading_the_history_takes_two_queries_however_many_users_took_part(
    client, world, person, django_assert_num_queries
):
    for role in (Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.ADMIN):
        client.force_login(world.users[role])
        person.refresh_from_db()
        client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address=f"{role}的地址"))

    with django_assert_num_queries(2):
        events = history_of(person)
        names = [e.user.username if e.user else None for e in events]

    assert names == ["admin", "committee_staff", "county_staff", None]
