"""Pages of the volunteers app: registration and the pipeline, the service form, confirmation,
certificates and their public verification, the database view; query counts flat in the data size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import YouthCareCommittee
from core.scoping import Role
from volunteers import models as v
from volunteers.certificates import mask_name

pytestmark = pytest.mark.django_db


def login(client, world, role):
    client.force_login(world.users[role])
    return world.users[role]


# --- Registration and the pipeline ----------------------------------------------------------


def test_the_committee_page_lists_retirees_not_yet_registered_and_registers_one_in_one_click(
    client, world, inside, new_retiree
):
    login(client, world, Role.COMMITTEE_DIRECTOR)

    page = client.get(reverse("branches:committee_detail", args=[inside.committee.pk])).content.decode()

    assert "尚未登记为五老志愿者" in page
    assert new_retiree.person.name in page
    assert inside.person.name not in page.split("尚未登记为五老志愿者")[1]  # already a volunteer
    url = f"{reverse('volunteers:volunteer_register')}?committee={inside.committee.pk}&retiree={new_retiree.pk}"
    assert url.replace("&", "&amp;") in page

    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["former_unit"] == "镇人民政府"
    assert form.context["form"].initial["specialties"] == ["education"]
    response = client.post(
        url,
        {
            "committee": inside.committee.pk,
            "retiree_id": new_retiree.pk,
            "category": "cadre",
            "former_unit": "镇人民政府",
            "registered_on": "2026-05-01",
            "fit_for_field_work": "on",
        },
    )

    volunteer = v.Volunteer.objects.get(person=new_retiree.person)
    assert response.status_code == 302
    assert volunteer.retiree == new_retiree
    assert volunteer.committee == inside.committee
    page = client.get(reverse("branches:committee_detail", args=[inside.committee.pk])).content.decode()
    assert new_retiree.person.name not in page.split("尚未登记为五老志愿者")[1]


def test_the_branch_page_shows_each_retirees_volunteer_status_to_the_secretary(client, world, inside, new_retiree):
    login(client, world, Role.BRANCH_SECRETARY)

    page = client.get(reverse("branches:branch_detail", args=[inside.branch.pk])).content.decode()

    assert "尚未登记为五老志愿者：1人" in page
    assert f"{inside.committee.name}（{inside.volunteer.number}" in page
    assert reverse("volunteers:volunteer_register") not in page  # secretaries see the status, register nothing


def test_a_person_registered_elsewhere_is_shown_where_and_needs_a_tick(client, world, inside):
    other = YouthCareCommittee.objects.create(
        name="灵溪镇中学关工委", level=YouthCareCommittee.Level.SCHOOL, region=inside.town
    )
    login(client, world, Role.COUNTY_STAFF)
    data = {
        "committee": other.pk,
        "name": inside.person.name,
        "id_number": inside.person.id_number,
        "category": "cadre",
        "registered_on": "2026-05-01",
    }

    first = client.post(reverse("volunteers:volunteer_register"), data)

    assert first.status_code == 200
    assert (
        f"{inside.committee.name}（{inside.volunteer.number}）" in first.context["form"].errors["confirm_elsewhere"][0]
    )
    second = client.post(reverse("volunteers:volunteer_register"), {**data, "confirm_elsewhere": "on"})
    assert second.status_code == 302
    assert v.Volunteer.objects.filter(person=inside.person).count() == 2  # the same Person, two committees


def test_the_same_committee_twice_is_a_clear_error(client, world, inside):
    login(client, world, Role.COUNTY_STAFF)
    data = {
        "committee": inside.committee.pk,
        "name": inside.person.name,
        "id_number": inside.person.id_number,
        "category": "cadre",
        "registered_on": "2026-05-01",
    }

    response = client.post(reverse("volunteers:volunteer_register"), data)

    assert response.status_code == 200
    assert "此人已在本关工委登记为五老志愿者" in response.content.decode()


# --- Service records ------------------------------------------------------------------------


def test_one_form_with_eleven_ticks_records_one_patrol(client, world, inside, make_volunteer):
    crew = [make_volunteer() for _ in range(11)]
    login(client, world, Role.COMMITTEE_DIRECTOR)
    data = {
        "committee": inside.committee.pk,
        "served_on": "2026-07-15",
        "kind": "sanitation",
        "hours": "2",
        "volunteers": [c.pk for c in crew],
        f"hours_{crew[0].pk}": "3.5",
        "minors_served": "0",
        "adults_served": "0",
    }

    response = client.post(reverse("volunteers:servicerecord_create"), data)

    record = v.ServiceRecord.objects.get(served_on=dt.date(2026, 7, 15), kind="sanitation")
    assert response.status_code == 302
    assert record.status == v.ServiceRecord.Status.CONFIRMED
    assert record.hours.count() == 11
    assert record.hours.get(volunteer=crew[0]).hours == Decimal("3.5")
    assert sum(h.hours for h in record.hours.all()) == Decimal("23.5")


def test_hours_errors_sit_on_the_ticks_and_nothing_is_saved(client, world, inside):
    login(client, world, Role.COMMITTEE_DIRECTOR)
    before = v.ServiceRecord.all_objects.count()
    data = {
        "committee": inside.committee.pk,
        "served_on": inside.service_record.served_on.isoformat(),
        "kind": "tutoring",
        "hours": "23",
        "volunteers": [inside.volunteer.pk],
        "minors_served": "0",
        "adults_served": "0",
    }

    response = client.post(reverse("volunteers:servicerecord_create"), data)

    assert response.status_code == 200
    assert "超过每天24小时" in " ".join(response.context["form"].errors["volunteers"])
    assert v.ServiceRecord.all_objects.count() == before


def test_the_director_confirms_in_bulk_from_the_list(client, world, inside, record, team_leader):
    second = record([inside.leader_volunteer], by=team_leader, team=inside.team)
    login(client, world, Role.COMMITTEE_DIRECTOR)

    page = client.get(reverse("volunteers:servicerecord_list") + "?status=pending").content.decode()
    response = client.post(
        reverse("volunteers:servicerecord_confirm"), {"records": [inside.service_record.pk, second.pk]}
    )

    assert f'name="records" value="{second.pk}"' in page
    assert response.status_code == 302
    assert set(
        v.ServiceRecord.objects.filter(pk__in=[inside.service_record.pk, second.pk]).values_list("status", flat=True)
    ) == {"confirmed"}


def test_the_directors_home_shows_waiting_records(client, world, inside):
    login(client, world, Role.COMMITTEE_DIRECTOR)

    response = client.get(reverse("core:home"))

    assert "服务队长记录的 1 条服务等待您确认" in response.content.decode()


def test_confirming_another_countys_record_is_not_found(client, world):
    login(client, world, Role.COMMITTEE_DIRECTOR)

    response = client.post(reverse("volunteers:servicerecord_confirm"), {"records": [world.outside.service_record.pk]})

    assert response.status_code == 404
    world.outside.service_record.refresh_from_db()
    assert world.outside.service_record.status == v.ServiceRecord.Status.PENDING


# --- Certificates ---------------------------------------------------------------------------


def test_the_verification_page_says_valid_with_a_masked_name_only(client, inside):
    cache.clear()
    certificate = inside.certificate

    page = client.get(certificate.verification_path()).content.decode()

    assert "真实有效" in page
    assert mask_name(inside.person.name) in page
    assert inside.person.name not in page
    assert inside.volunteer.number not in page
    assert certificate.facts["id_number"] not in page


def test_an_altered_certificate_and_an_unknown_number_say_so(client, inside):
    cache.clear()
    certificate = inside.certificate

    wrong_code = client.get(reverse("volunteers:certificate_verify", args=[certificate.number]) + "?c=000000000000")
    v.ServiceCertificate.objects.filter(pk=certificate.pk).update(facts={**certificate.facts, "total_hours": "99.0"})
    tampered = client.get(certificate.verification_path())
    unknown = client.get(reverse("volunteers:certificate_verify", args=["ZYFW-000000-2026-99999"]))

    assert "不一致" in wrong_code.content.decode()
    assert "不一致" in tampered.content.decode()
    assert "查无编号" in unknown.content.decode()


def test_the_verification_url_is_rate_limited(client, inside):
    cache.clear()
    url = inside.certificate.verification_path()

    statuses = [client.get(url).status_code for _ in range(21)]

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    cache.clear()


def test_the_certificate_prints_with_its_qr_code_and_downloads_as_pdf(client, world, inside):
    login(client, world, Role.COMMITTEE_DIRECTOR)

    page = client.get(reverse("volunteers:certificate_detail", args=[inside.certificate.pk])).content.decode()
    pdf = client.get(reverse("volunteers:certificate_pdf", args=[inside.certificate.pk]))

    assert inside.certificate.number in page
    assert 'src="data:image/svg+xml' in page
    assert inside.certificate.verification_path().replace("&", "&amp;").split("?")[0] in page
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_mask_name_hides_one_character():
    assert mask_name("张谦") == "张*"
    assert mask_name("李建国") == "李*国"
    assert mask_name("欧阳明月") == "欧**月"


# --- Leaders and the database view ----------------------------------------------------------


def test_leaders_see_the_database_counts_and_no_name(client, world, inside):
    login(client, world, Role.LEADER)

    response = client.get(reverse("volunteers:database"))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["stats"]["total"] == 2
    for name in (inside.person.name, inside.secretary_person.name):
        assert name not in page


# --- Query counts flat in the data size -----------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(inside, make_volunteer, record, n):
    crew = [make_volunteer() for _ in range(n)]
    for i, volunteer in enumerate(crew):
        v.TeamMembership.objects.create(team=inside.team, volunteer=volunteer, joined_on=dt.date(2024, 3, 1))
        record([volunteer, inside.leader_volunteer] if i % 5 == 0 else [volunteer], day=dt.date(2026, 4, 1 + i % 20))
    return crew


@pytest.mark.parametrize(
    ("role", "url_of"),
    [
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:volunteer_list")),
        (Role.COMMITTEE_STAFF, lambda w: reverse("volunteers:volunteer_list") + "?q=zh"),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:servicerecord_list")),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:volunteer_detail", args=[w.leader_volunteer.pk])),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:team_detail", args=[w.team.pk])),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:team_list")),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:database")),
        (Role.LEADER, lambda w: reverse("volunteers:database")),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:servicerecord_create")),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("branches:committee_detail", args=[w.committee.pk])),
        (Role.BRANCH_SECRETARY, lambda w: reverse("branches:branch_detail", args=[w.branch.pk])),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:certificate_list")),
        (Role.COMMITTEE_DIRECTOR, lambda w: reverse("volunteers:suggestion_list")),
    ],
)
def test_page_queries_do_not_grow_with_the_data(client, world, inside, make_volunteer, record, role, url_of):
    login(client, world, role)
    _grow(inside, make_volunteer, record, 2)
    small = _queries(client, url_of(inside))

    _grow(inside, make_volunteer, record, 20)
    large = _queries(client, url_of(inside))

    assert large == small
