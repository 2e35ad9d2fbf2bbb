"""The volunteers demo matches the seed reports' figures, and loading it twice adds nothing."""

import io

import pytest
from django.db.models import Count, Q, Sum

from branches.models import YouthCareCommittee
from core.models import User
from volunteers import demo as volunteers_demo
from volunteers.models import ServiceRecord, Suggestion, Team, Volunteer
from volunteers.selectors import committee_pipeline

pytestmark = pytest.mark.django_db


def _counts():
    return {model.__name__: model.all_objects.count() for model in (Volunteer, Team, ServiceRecord, Suggestion)}


def _committee(name):
    return YouthCareCommittee.objects.get(name=name)


def test_ziying_has_three_teams_a_year_of_tutoring_and_32_mediations_in_2024(demo):
    committee = _committee("子营街道关工委")
    records = ServiceRecord.objects.filter(committee=committee, status=ServiceRecord.Status.CONFIRMED)

    tutoring = records.filter(kind=ServiceRecord.Kind.TUTORING).aggregate(n=Count("pk"), minors=Sum("minors_served"))
    mediations = records.filter(kind=ServiceRecord.Kind.MEDIATION, served_on__year=2024)

    assert committee.teams.count() == 3
    assert tutoring["n"] >= 20
    assert tutoring["minors"] >= 400
    assert mediations.count() == 32
    assert Suggestion.objects.filter(committee=committee).count() >= 20


def test_dizhuang_has_an_11_person_sanitation_group_exam_duty_and_30_shows(demo):
    committee = _committee("低庄镇关工委")
    records = ServiceRecord.objects.filter(committee=committee)
    sanitation = committee.teams.get(purpose=Team.Purpose.SANITATION)

    shows = records.filter(kind=ServiceRecord.Kind.CULTURE).aggregate(
        large=Count("pk", filter=Q(culture_scale="large")), small=Count("pk", filter=Q(culture_scale="small"))
    )
    exam = records.filter(kind=ServiceRecord.Kind.EXAM_TRAFFIC).aggregate(n=Sum("minors_served"))

    assert sanitation.memberships.current().count() == 11
    assert shows == {"large": 10, "small": 20}
    assert 900 <= exam["n"] <= 1000


def test_daiyue_has_71_advisory_groups_in_115_decisions(demo):
    committee = _committee("岱岳区关工委")

    assert committee.teams.filter(purpose=Team.Purpose.ADVISORY).count() == 71
    assert Suggestion.objects.filter(committee=committee).exclude(decision="").count() == 115


def test_suji_keeps_a_pipeline_and_the_team_leaders_waiting_records(demo):
    committee = _committee("苏稽镇关工委")
    secretary = User.objects.get(username="shuji")

    assert committee.volunteers.filter(retiree__branch__name="苏稽镇机关退休党支部").exists()
    assert committee_pipeline(committee).exists()
    assert ServiceRecord.objects.filter(committee=committee, status="pending").count() == 3
    assert Team.objects.filter(leader__person=secretary.person, committee=committee).exists()
    assert committee.certificates.count() == 1


def test_loading_twice_changes_no_counts(demo):
    before = _counts()

    volunteers_demo.load(io.StringIO())

    assert _counts() == before
