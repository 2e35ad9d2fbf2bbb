"""Children's data: who sees it, what of it, and that every view and export is logged."""

import datetime as dt

import pytest
from django.urls import reverse

from aid_cases.models import CareVisit, Child, ChildAccessLog
from core.models import AuditEntry
from core.scoping import Role

pytestmark = pytest.mark.django_db


def _logs(child, kind="view"):
    return ChildAccessLog.objects.filter(child=child, kind=kind).count()


def test_each_view_of_a_child_is_logged_and_the_page_shows_who_viewed(client, inside, office, director):
    client.force_login(director)
    client.get(reverse("aid_cases:child_detail", args=[inside.child.pk]))
    client.force_login(office)

    response = client.get(reverse("aid_cases:child_detail", args=[inside.child.pk]))

    assert _logs(inside.child) == 2
    viewers = [entry.user for entry in response.context["viewers"]]
    assert viewers == [office, director]


def test_a_case_page_is_a_view_of_the_child_too(client, inside, office):
    client.force_login(office)
    client.get(reverse("aid_cases:case_detail", args=[inside.case.pk]))

    assert _logs(inside.child) == 1


def test_a_director_sees_the_age_but_not_the_birth_date_nor_the_id_number(client, inside, director):
    client.force_login(director)

    html = client.get(reverse("aid_cases:child_detail", args=[inside.child.pk])).content.decode()

    assert "2013年4月2日" not in html
    assert f"{inside.child_person.age}岁" in html
    assert inside.child_person.id_number not in html


def test_the_office_sees_the_birth_date_but_the_id_number_masked(client, inside, office, world):
    client.force_login(office)

    html = client.get(reverse("aid_cases:child_detail", args=[inside.child.pk])).content.decode()

    assert "2013年4月2日" in html
    assert inside.child_person.id_number not in html
    assert inside.child_person.id_number[-4:] in html


def test_county_staff_who_may_see_whole_id_numbers_still_see_a_childs_masked(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(reverse("aid_cases:child_detail", args=[world.inside.child.pk])).content.decode()

    assert world.inside.child_person.id_number not in html


def test_the_whole_id_number_needs_a_reason_and_is_logged(client, inside, office):
    client.force_login(office)
    url = reverse("aid_cases:child_reveal_id_number", args=[inside.child.pk])

    refused = client.post(url, {"reason": ""})
    assert inside.child_person.id_number not in refused.content.decode()
    assert _logs(inside.child, "id_number") == 0

    shown = client.post(url, {"reason": "办理学籍资助核对"})
    assert inside.child_person.id_number in shown.content.decode()
    entry = ChildAccessLog.objects.get(child=inside.child, kind="id_number")
    assert (entry.user, entry.reason) == (office, "办理学籍资助核对")


def test_an_export_is_logged_with_its_filters(client, inside, office):
    client.force_login(office)

    response = client.get(reverse("aid_cases:case_export"), {"status": "active"})

    assert response.status_code == 200
    assert inside.child_person.name in response.content.decode("utf-8-sig")
    entry = ChildAccessLog.objects.get(kind="export", user=office)
    assert entry.filters == {"status": "active"}
    assert entry.row_count >= 1


def _audited(kind, child=None):
    entries = AuditEntry.objects.filter(kind=kind)
    if child is not None:
        entries = entries.filter(target_model="aid_cases.Child", target_id=str(child.pk))
    return list(entries)


def test_each_view_of_a_child_is_in_the_audit_trail_labelled_without_the_name(client, inside, office):
    client.force_login(office)

    client.get(reverse("aid_cases:child_detail", args=[inside.child.pk]))
    client.get(reverse("aid_cases:case_detail", args=[inside.case.pk]))

    entries = _audited(AuditEntry.Kind.VIEW_PERSONAL, inside.child)
    assert [(e.user, e.target_label, e.ip_address) for e in entries] == [(office, "受助儿童", "127.0.0.1")] * 2
    assert inside.child_person.name not in str([e.detail for e in entries])


def test_a_care_visit_page_is_a_view_of_each_child_it_names(client, inside, office):
    visit = CareVisit.objects.create(
        committee=inside.case.committee, visited_on=dt.date(2024, 6, 1), occasion=CareVisit.Occasion.CHILDRENS_DAY
    )
    visit.children.add(inside.child)
    client.force_login(office)

    assert client.get(reverse("aid_cases:carevisit_detail", args=[visit.pk])).status_code == 200

    assert _logs(inside.child) == 1
    assert len(_audited(AuditEntry.Kind.VIEW_PERSONAL, inside.child)) == 1


def test_an_export_of_children_is_in_the_audit_trail_with_its_filters_and_rows(client, inside, office):
    client.force_login(office)

    client.get(reverse("aid_cases:case_export"), {"status": "active"})

    (entry,) = _audited(AuditEntry.Kind.EXPORT)
    assert entry.user == office
    assert entry.target_label == "受助儿童"
    assert entry.detail["filters"] == {"status": "active"}
    assert entry.detail["rows"] >= 1


def test_county_staff_find_a_childs_views_on_the_audit_page(client, world, inside, office):
    client.force_login(office)
    client.get(reverse("aid_cases:child_detail", args=[inside.child.pk]))
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(reverse("core:audit_list"), {"kind": AuditEntry.Kind.VIEW_PERSONAL}).content.decode()

    assert "受助儿童" in html
    assert inside.child_person.name not in html


@pytest.mark.parametrize("role", [Role.LEADER, Role.BRANCH_SECRETARY])
def test_leaders_and_secretaries_read_counts_and_no_name(client, world, role):
    client.force_login(world.users[role])

    response = client.get(reverse("aid_cases:overview"))

    html = response.content.decode()
    assert response.status_code == 200
    for county in (world.inside, world.outside):
        assert county.child_person.name not in html
        assert county.child.school not in html
        assert county.village.name not in html


def test_the_leaders_numbers_are_their_countys(client, world):
    client.force_login(world.users[Role.LEADER])

    numbers = client.get(reverse("aid_cases:overview")).context["numbers"]

    assert numbers["open_cases"] == 2  # the inside county's two cases, none of the other county's
    assert dict((c.value, n) for c, n in numbers["circumstances"])["left_behind"] == 1


def test_registering_the_same_id_number_again_links_the_existing_child(client, inside, office):
    client.force_login(office)

    response = client.post(
        reverse("aid_cases:child_create"), _registration(inside, id_number=inside.child_person.id_number)
    )

    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert response.context["duplicates"] == [inside.child]
    assert inside.child.get_absolute_url() in response.content.decode()


def test_the_same_name_birth_date_and_guardian_warns_until_confirmed(client, inside, office):
    client.force_login(office)
    data = _registration(inside, name=inside.child_person.name, birth_date="2013-04-02", guardian=inside.guardian.name)
    before = Child.objects.count()

    warned = client.post(reverse("aid_cases:child_create"), data)
    assert warned.status_code == 200
    assert warned.context["duplicates"] == [inside.child]
    assert Child.objects.count() == before

    saved = client.post(reverse("aid_cases:child_create"), {**data, "not_duplicate": "on"})
    assert saved.status_code == 302
    assert Child.objects.count() == before + 1


def test_a_new_child_is_saved_with_guardian_and_consent(client, inside, office):
    client.force_login(office)

    response = client.post(reverse("aid_cases:child_create"), _registration(inside))

    child = Child.objects.get(person__name="王小明")
    assert response.status_code == 302
    assert child.circumstances == ["left_behind"]
    assert child.guardians.get().relation == "grandparent"
    assert child.consents.get().purpose == "keep"


def test_a_childs_receipt_is_streamed_only_in_scope(client, world):
    url = reverse("aid_cases:disbursement_receipt", args=[world.inside.disbursement.pk])
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    assert client.get(url).status_code == 200
    client.force_login(world.users[Role.LEADER])
    assert client.get(url).status_code == 404
    assert "/media/" not in world.inside.disbursement.get_absolute_url()


def _registration(inside, *, name="王小明", id_number="", birth_date="2014-09-01", guardian="王奶奶"):
    return {
        "name": name,
        "id_number": id_number,
        "gender": "M",
        "birth_date": birth_date,
        "region": inside.village.pk,
        "school": "灵溪镇中心小学",
        "grade": "五年级",
        "circumstances": ["left_behind"],
        "guardian_name": guardian,
        "guardian_relation": "grandparent",
        "consent_on": dt.date.today().isoformat(),
    }
