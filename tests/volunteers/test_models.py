"""What the database itself refuses: a second registration in one committee, hours out of range,
more than 24 hours of one volunteer on one day across records."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from volunteers import models as v

pytestmark = pytest.mark.django_db


def test_a_person_cannot_be_registered_twice_in_one_committee(inside):
    with pytest.raises(IntegrityError), transaction.atomic():
        v.Volunteer.objects.create(
            person=inside.person,
            committee=inside.committee,
            number="WL09999",
            category=v.Volunteer.Category.CADRE,
            registered_on=dt.date(2025, 1, 1),
        )


def test_volunteer_numbers_are_unique_in_the_county(inside, make_volunteer):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_volunteer(number=inside.volunteer.number)


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_hours_outside_0_to_24_are_refused(inside, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        v.ServiceHours.objects.create(record=inside.service_record, volunteer=inside.leader_volunteer, hours=hours)


def test_the_database_refuses_more_than_24_hours_a_day_across_records(inside, team_leader):
    other = v.ServiceRecord.objects.create(
        committee=inside.committee,
        region=inside.committee.region,
        served_on=inside.service_record.served_on,
        kind=v.ServiceRecord.Kind.TUTORING,
        recorded_by=team_leader,
    )
    v.ServiceHours.objects.create(record=other, volunteer=inside.volunteer, hours=22)  # 2 + 22 = 24: allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        v.ServiceHours.objects.filter(record=other).update(hours="22.5")


def test_a_mediation_outcome_belongs_to_mediations_only(inside):
    with pytest.raises(IntegrityError), transaction.atomic():
        v.ServiceRecord.objects.filter(pk=inside.service_record.pk).update(outcome="resolved")


def test_a_volunteer_who_left_may_not_serve_after_leaving(make_volunteer):
    volunteer = make_volunteer(status=v.Volunteer.Status.LEFT, status_on=dt.date(2025, 6, 30))

    assert volunteer.may_serve_on(dt.date(2025, 6, 30)) is True
    assert volunteer.may_serve_on(dt.date(2025, 7, 1)) is False
    assert volunteer.may_serve_on(dt.date(2023, 12, 31)) is False  # before registering
