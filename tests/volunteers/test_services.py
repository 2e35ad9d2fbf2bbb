"""Recording service (谁记录谁证明), the hours rules, confirmation, totals, certificates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.scoping import Role
from volunteers import models as v
from volunteers import services
from volunteers.models import facts_digest
from volunteers.selectors import committee_pipeline, database_view, service_totals, volunteer_service_summary

pytestmark = pytest.mark.django_db


def test_a_directors_record_is_confirmed_at_once(make_volunteer, record, director):
    crew = [make_volunteer() for _ in range(3)]

    saved = record(crew, hours="2", by=director)

    assert saved.status == v.ServiceRecord.Status.CONFIRMED
    assert saved.confirmed_by == director
    assert saved.hours.count() == 3


def test_a_team_leaders_record_waits_and_the_director_confirms_it(inside, record, team_leader, director):
    saved = record([inside.volunteer], hours="1.5", by=team_leader, team=inside.team)
    assert saved.status == v.ServiceRecord.Status.PENDING
    assert volunteer_service_summary(inside.volunteer)["hour_total"] == 0  # only confirmed hours count

    with pytest.raises(ValidationError):
        services.service_records_confirm(by=team_leader, records=[saved])  # whoever records does not self-certify

    assert services.service_records_confirm(by=director, records=[saved, inside.service_record]) == 2
    assert volunteer_service_summary(inside.volunteer)["hour_total"] == Decimal("3.5")


def test_a_returned_record_carries_its_reason_and_does_not_count(inside, director):
    services.service_records_return(by=director, records=[inside.service_record], reason="签到表缺页")

    inside.service_record.refresh_from_db()
    assert inside.service_record.status == v.ServiceRecord.Status.RETURNED
    assert inside.service_record.return_reason == "签到表缺页"
    with pytest.raises(ValidationError):
        services.service_records_return(by=director, records=[inside.service_record], reason=" ")


def test_hours_per_day_are_checked_across_records(inside, record, director):
    record([inside.volunteer], hours="20", day=inside.service_record.served_on)  # 2 + 20

    with pytest.raises(ValidationError) as error:
        record([inside.volunteer], hours="3", day=inside.service_record.served_on)

    assert "超过每天24小时" in str(error.value)


def test_a_volunteer_who_left_cannot_be_ticked_for_a_later_date(make_volunteer, record):
    gone = make_volunteer(status=v.Volunteer.Status.LEFT, status_on=dt.date(2026, 4, 30))

    with pytest.raises(ValidationError) as error:
        record([gone], day=dt.date(2026, 5, 4))

    assert "不在册" in str(error.value)
    assert not v.ServiceRecord.objects.filter(served_on=dt.date(2026, 5, 4), hours__volunteer=gone).exists()


def test_future_dates_are_refused(inside, record):
    with pytest.raises(ValidationError):
        record([inside.volunteer], day=dt.date.today() + dt.timedelta(days=1))


def test_hour_totals_on_known_data(inside, make_volunteer, record, team_leader):
    a, b = make_volunteer(), make_volunteer()
    record([a, b], hours="2", day=dt.date(2025, 7, 1), minors_served=30)
    record([a], hours="3.5", day=dt.date(2026, 7, 2), adults_served=10)
    record([a], hours="4", day=dt.date(2026, 7, 3), by=team_leader)  # waits: not counted

    summary = volunteer_service_summary(a)

    assert summary["hour_total"] == Decimal("5.5")
    assert summary["pending"] == Decimal("4")
    assert summary["services"] == 2
    assert summary["person_times"] == 40
    assert [(y["year"], y["hour_total"]) for y in summary["by_year"]] == [(2026, Decimal("3.5")), (2025, Decimal("2"))]
    committee_records = v.ServiceRecord.objects.filter(hours__volunteer__in=[a, b]).distinct()
    totals = service_totals(v.ServiceRecord.objects.filter(pk__in=committee_records.values("pk")))
    assert (totals["records"], totals["hour_total"], totals["minors"], totals["adults"]) == (2, Decimal("7.5"), 30, 10)


def test_the_database_view_counts_by_category_age_and_health(make_volunteer, inside):
    make_volunteer(category=v.Volunteer.Category.VETERAN, fit_for_field_work=False, specialties=["law"])
    make_volunteer(category=v.Volunteer.Category.VETERAN, specialties=["law", "arts"])
    rows = v.Volunteer.objects.filter(committee=inside.committee, category=v.Volunteer.Category.VETERAN)

    stats = database_view(rows)

    assert stats["total"] == 2
    assert dict(stats["categories"])[v.Volunteer.Category.VETERAN.label] == 2
    assert dict(stats["specialties"])[v.Volunteer.Specialty.LAW.label] == 2
    assert dict(stats["specialties"])[v.Volunteer.Specialty.ARTS.label] == 1
    assert [n for _, n in stats["health"]] == [1, 1]
    assert sum(n for _, n in stats["ages"]) == 2


def test_certificate_facts_are_frozen_at_issue(inside, make_volunteer, record, director):
    volunteer = make_volunteer()
    saved = record([volunteer], hours="3", day=dt.date(2026, 2, 3))
    certificate = services.certificate_issue(
        by=director,
        volunteer=volunteer,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        person_in_charge="王主任",
        handler="李干事",
        contact="0833-1234567",
    )
    assert certificate.total_hours == Decimal("3")
    assert certificate.facts["services"] == [{"date": "2026-02-03", "kind": "防溺水巡查", "hours": "3.0"}]

    services.service_record_save(by=director, record=saved, hours={volunteer: Decimal("5")}, version=saved.version)
    certificate.refresh_from_db()

    assert certificate.total_hours == Decimal("3")
    assert certificate.facts["total_hours"] == "3.0"
    assert certificate.is_unchanged() is True
    assert certificate.facts_hash == facts_digest(certificate.facts)


def test_certificate_numbers_run_per_county_and_year_and_a_reissue_keeps_it(inside, director):
    first = inside.certificate
    second = services.certificate_issue(
        by=director,
        volunteer=inside.leader_volunteer,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 2, 1),
        person_in_charge="王主任",
        handler="李干事",
        contact="1",
    )
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert second.number.startswith(f"ZYFW-{inside.region.code[:6]}-")

    services.certificate_reissue(by=director, certificate=second)
    second.refresh_from_db()

    assert second.reissue_count == 1
    assert second.reissued_on is not None
    assert v.ServiceCertificate.objects.filter(number=second.number).count() == 1
    assert second.is_unchanged() is True


def test_registration_links_the_same_person_and_numbers_them(inside, director, new_retiree):
    registration = v.Volunteer(
        committee=inside.committee, retiree=new_retiree, person=new_retiree.person, category="cadre"
    )
    registration.registered_on = dt.date(2026, 5, 1)
    assert committee_pipeline(inside.committee).filter(pk=new_retiree.pk).exists() is True

    volunteer = services.volunteer_register(by=director, volunteer=registration)

    assert volunteer.number == "WL00003"  # after the world's WL00001, WL00002
    assert volunteer.county_code == inside.region.code
    assert committee_pipeline(inside.committee).filter(pk=new_retiree.pk).exists() is False


def test_only_roles_that_confirm_get_confirmed_records(world, inside, record):
    staff = world.users[Role.COMMITTEE_STAFF]

    assert record([inside.leader_volunteer], by=staff).status == v.ServiceRecord.Status.CONFIRMED
