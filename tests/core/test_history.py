"""Every create, change and archive is kept, with who did it (PostgreSQL triggers), and shown
to each viewer as the record's own page would show it: labels, names, masked ID numbers."""

import datetime as dt

import pghistory
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import HardshipPayment, Honour, Retiree
from core.history import history_of, title_for
from core.models import Person, Region, User
from core.scoping import Role
from core.validators import mask_id_number
from tests.factories import HonourFactory, PersonFactory, RegionFactory, UserFactory, make_id_number

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


@pytest.fixture
def committee_staff(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def leader(world):
    return world.users[Role.LEADER]


def fresh(user: User) -> User:
    """The user as a request would load them: no permissions cached from an earlier test."""
    return User.objects.get(pk=user.pk)


def changed_fields(entry) -> set[str]:
    return {change.field for change in entry.changes}


def change_of(entry, field: str):
    return next(c for c in entry.changes if c.field == field)


def test_creating_a_person_through_the_form_records_who_created_them(staff_client, staff, world):
    response = staff_client.post(
        reverse("core:person_create"),
        {"name": "刘新来", "region": world.inside.town.pk, "mobile": "13800000000", "birth_date": "1950-01-02"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="刘新来")

    events = history_of(person, staff)

    assert [e.label for e in events] == ["insert"]
    assert events[0].user == staff
    assert events[0].url == reverse("core:person_create")


def test_changing_a_person_records_the_user_and_the_changed_field(staff_client, staff, person):
    response = staff_client.post(
        reverse("core:person_update", args=[person.pk]), form_data(person, address="灵溪镇2号")
    )
    assert response.status_code == 302

    latest = history_of(person, staff)[0]

    assert latest.label == "update"
    assert latest.user == staff
    assert changed_fields(latest) == {"address"}
    change = latest.changes[0]
    assert (change.label, change.before, change.after) == ("住址", "灵溪镇1号", "灵溪镇2号")


def test_bookkeeping_columns_are_not_listed_as_changes(staff_client, staff, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, name="王建华"))

    latest = history_of(person, staff)[0]

    assert changed_fields(latest) == {"name"}  # not version, updated_at or the pinyin keys


def test_archiving_and_restoring_are_kinds_of_event_not_changed_columns(staff_client, staff, person):
    response = staff_client.post(reverse("core:person_archive", args=[person.pk]))
    assert response.status_code == 302
    staff_client.post(reverse("core:person_restore", args=[person.pk]))

    restored, archived, _created = history_of(person, staff)

    assert (archived.kind, archived.user, archived.editor) == ("删除", staff, staff.display_name)
    assert restored.kind == "恢复"
    assert archived.changes == []  # not archived_at, archived_by_id or updated_at
    assert restored.changes == []


def test_events_are_listed_newest_first(staff_client, staff, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="A"))
    person.refresh_from_db()
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="B"))

    events = history_of(person, staff)

    assert [e.label for e in events] == ["update", "update", "insert"]
    assert [c.after for c in events[0].changes] == ["B"]
    assert [c.after for c in events[1].changes] == ["A"]


def test_a_queryset_update_is_recorded_too(staff, person):
    Person.objects.filter(pk=person.pk).update(address="批量修改的地址")

    latest = history_of(person, staff)[0]

    assert latest.label == "update"
    assert latest.user is None  # no request, so no user: but the change itself is kept
    assert [(c.field, c.after) for c in latest.changes] == [("address", "批量修改的地址")]


def test_bulk_create_is_recorded_too(staff, world):
    people = [Person(name=name, region=world.inside.town) for name in ("批量甲", "批量乙")]
    for p in people:
        p.fill_derived_fields()

    created = Person.objects.bulk_create(people)

    for p in created:
        assert [e.label for e in history_of(p, staff)] == ["insert"]


def test_the_history_of_one_person_leaves_out_other_people(staff, person, world):
    Person.objects.filter(pk=world.inside.person.pk).update(address="别人的地址")

    assert [e.label for e in history_of(person, staff)] == ["insert"]


def test_the_history_page_lists_who_changed_what(staff_client, staff, person):
    staff_client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="灵溪镇2号"))
    staff_client.post(reverse("core:person_archive", args=[person.pk]))

    response = staff_client.get(reverse("core:person_history", args=[person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "王建国 的历史版本" in html
    assert "住址" in html
    assert "<del>灵溪镇1号</del>" in html
    assert "<ins>灵溪镇2号</ins>" in html
    assert f"· 删除 · {staff.display_name}" in html
    assert "归档时间" not in html
    assert "· 创建 ·" in html
    assert html.count(staff.display_name) >= 2
    assert len(response.context["events"]) == 3


def test_the_history_page_of_an_archived_person_still_opens(staff_client, staff, person):
    person.archive(by=staff)

    response = staff_client.get(reverse("core:person_history", args=[person.pk]))

    assert response.status_code == 200
    assert len(response.context["events"]) == 2


def test_reading_the_history_takes_two_queries_however_many_users_took_part(
    client, world, staff, person, django_assert_num_queries
):
    for role in (Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.ADMIN):
        client.force_login(world.users[role])
        person.refresh_from_db()
        client.post(reverse("core:person_update", args=[person.pk]), form_data(person, address=f"{role}的地址"))
    viewer = fresh(staff)
    viewer.get_all_permissions()  # loaded once per request by the page's own checks

    with django_assert_num_queries(2):
        events = history_of(person, viewer)
        names = [e.user.username if e.user else None for e in events]
        editors = [e.editor for e in events]

    assert names == ["admin", "committee_staff", "county_staff", None]
    assert editors == ["admin", "committee_staff", "county_staff", "系统"]


# What each value looks like: labels, choices, names, 是/否, dates, money.


def test_choice_fields_show_their_labels(staff, person):
    Person.objects.filter(pk=person.pk).update(gender=Person.Gender.FEMALE if person.gender == "M" else "M")

    change = change_of(history_of(person, staff)[0], "gender")

    assert change.label == "性别"
    assert {change.before, change.after} == {"男", "女"}


def test_a_foreign_key_shows_the_related_records_name(staff, person, world):
    village = world.inside.village
    Person.objects.filter(pk=person.pk).update(region=village)

    change = change_of(history_of(person, staff)[0], "region_id")

    assert (change.label, change.before, change.after) == ("所在区划", "灵溪镇", village.name)


def test_a_related_record_the_viewer_may_not_see_is_not_named(staff, person, world):
    Person.objects.filter(pk=person.pk).update(region=world.outside.town)

    change = change_of(history_of(person, staff)[0], "region_id")

    assert change.after == "（无权查看）"
    assert world.outside.town.name not in change.after


def test_booleans_dates_and_money_read_as_on_the_record_page(staff, world):
    retiree = world.inside.retiree
    Retiree.objects.filter(pk=retiree.pk).update(lives_alone=True, retired_on=dt.date(2004, 9, 1))
    payment = world.inside.hardship_payment
    HardshipPayment.objects.filter(pk=payment.pk).update(amount="2500.5")

    retiree_changes = history_of(retiree, staff)[0]
    payment_change = change_of(history_of(payment, staff)[0], "amount")

    assert (change_of(retiree_changes, "lives_alone").before, change_of(retiree_changes, "lives_alone").after) == (
        "否",
        "是",
    )
    assert change_of(retiree_changes, "retired_on").after == "2004年9月1日"
    assert (payment_change.before, payment_change.after) == ("2,000.00 元", "2,500.50 元")


# ID numbers: masked as `{% id_number %}` masks them, for every viewer.


@pytest.fixture
def unclaimed_person(world):
    """A person no retiree record claims: within committee staff's reach, as a new committee member."""
    person = PersonFactory(region=world.inside.town, name="李新登", id_number="")
    Person.objects.filter(pk=person.pk).update(id_number=make_id_number("433127", dt.date(1950, 3, 8), 7, True))
    person.refresh_from_db()
    return person


def test_the_id_number_is_masked_for_a_viewer_without_the_permission(client, committee_staff, unclaimed_person):
    number = unclaimed_person.id_number
    client.force_login(committee_staff)

    response = client.get(reverse("core:person_history", args=[unclaimed_person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert number not in html
    assert f"<ins>{number[:6]}********{number[-4:]}</ins>" in html


def test_the_id_number_is_masked_for_county_staff_too(staff_client, unclaimed_person):
    number = unclaimed_person.id_number

    html = staff_client.get(reverse("core:person_history", args=[unclaimed_person.pk])).content.decode()

    assert number not in html
    assert f"<ins>{number[:6]}********{number[-4:]}</ins>" in html


def test_a_model_declares_which_fields_its_history_masks(committee_staff, unclaimed_person):
    assert Person.history_masked_fields == {"id_number": "id_number"}

    change = change_of(history_of(unclaimed_person, fresh(committee_staff))[0], "id_number")

    assert (change.before, change.after) == ("—", mask_id_number(unclaimed_person.id_number))


# Leaders: organisations and numbers, never a person's name.


@pytest.fixture
def person_honour(world, staff):
    honour = HonourFactory(person=world.inside.person, title="优秀共产党员")
    other = PersonFactory(region=world.inside.town, name="赵德明")
    with pghistory.context(user=staff.pk, url="/honours/"):
        Honour.objects.filter(pk=honour.pk).update(person=other, level=Honour.Level.CITY)
    return honour


def test_a_leader_sees_a_persons_honour_history_without_any_name(client, leader, staff, person_honour, world):
    client.force_login(leader)

    response = client.get(reverse("branches:honour_history", args=[person_honour.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for name in (world.inside.person.name, "赵德明", staff.display_name):
        assert name not in html
    assert "优秀共产党员 的历史版本" in html
    assert "<del>（不显示姓名）</del> → <ins>（不显示姓名）</ins>" in html
    assert "<ins>市级</ins>" in html
    assert "· 修改 · 老干部局工作人员" in html


def test_county_staff_see_the_names_in_the_same_history(staff_client, staff, person_honour, world):
    response = staff_client.get(reverse("branches:honour_history", args=[person_honour.pk]))

    html = response.content.decode()
    assert f"<del>{world.inside.person.name}</del> → <ins>赵德明</ins>" in html
    assert f"· 修改 · {staff.display_name}" in html


def test_the_history_of_a_personal_record_needs_the_personal_data_permission(staff_client, person):
    """A role that may open a person's page but not see personal data (as leaders) gets no history of it."""
    Group.objects.get(name=Role.COUNTY_STAFF).permissions.remove(
        Permission.objects.get(content_type__app_label="core", codename="view_personal_data")
    )

    assert staff_client.get(reverse("core:person_detail", args=[person.pk])).status_code == 200
    assert staff_client.get(reverse("core:person_history", args=[person.pk])).status_code == 403


# The page costs the same however long the history is.


def _history_page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_history_page_query_count_does_not_grow_with_the_events(
    staff_client, person, world, django_assert_max_num_queries
):
    url = reverse("core:person_history", args=[person.pk])
    county = world.inside.region
    towns = [
        RegionFactory(code=f"433127{n}00000", name=f"第{n}镇", level=Region.Level.TOWN, parent=county)
        for n in (2, 3, 4)
    ]
    editors = [UserFactory(role=Role.BRANCH_SECRETARY, person=PersonFactory(region=towns[0])) for _ in range(3)]
    with pghistory.context(user=editors[0].pk):
        Person.objects.filter(pk=person.pk).update(region=towns[0])
    few = _history_page_queries(staff_client, url)

    for n in range(30):
        with pghistory.context(user=editors[n % 3].pk):
            Person.objects.filter(pk=person.pk).update(region=towns[n % 3], gender="MF"[n % 2], note=f"第{n}次")

    with django_assert_max_num_queries(few):
        response = staff_client.get(url)
    assert len(response.context["events"]) == 32


def test_a_record_that_points_at_a_person_is_named_by_its_kind_for_leaders(world, staff, leader):
    visit = world.inside.guidance_visit  # its member is a work committee member: a person

    assert title_for(visit, fresh(leader)) == "到点指导"
    assert title_for(visit, fresh(staff)) == str(visit)
