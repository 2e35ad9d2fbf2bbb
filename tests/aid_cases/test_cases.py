"""The status flow of a case: who may take which step, the timeline, and what a refusal leaves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aid_cases import services
from aid_cases.models import AidCase, CaseEvent
from core.scoping import Role

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _row(case):
    return AidCase.all_objects.filter(pk=case.pk).values().get()


def test_the_town_verifies_and_the_county_approves(inside, office, director):
    case = inside.pending_case

    services.case_transition(case=case, action="verify", by=director, on=TODAY, comment="已入户核实")
    services.case_transition(case=case, action="approve", by=office, on=TODAY)

    case.refresh_from_db()
    assert case.status == AidCase.Status.APPROVED
    assert case.verified_by == director
    steps = list(CaseEvent.objects.filter(case=case).values_list("from_status", "to_status", "by"))
    assert steps == [("registered", "verified", director.pk), ("verified", "approved", office.pk)]


def test_whoever_verified_may_not_approve_too(inside, office):
    case = inside.pending_case
    services.case_transition(case=case, action="verify", by=office, on=TODAY)
    before = _row(case)

    with pytest.raises(ValidationError):
        services.case_transition(case=case, action="approve", by=office, on=TODAY)

    assert _row(case) == before


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.BRANCH_SECRETARY, Role.LEADER])
def test_roles_without_the_step_are_refused_and_the_case_stays(world, role):
    case = world.inside.pending_case
    before, events = _row(case), CaseEvent.objects.filter(case=case).count()

    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, action="verify", by=world.users[role], on=TODAY)

    assert _row(case) == before
    assert CaseEvent.objects.filter(case=case).count() == events


def test_a_director_does_not_approve_for_the_county(inside, director, office):
    """The handling (town) committee's director verifies; approving is for the committee above it."""
    case = inside.pending_case
    services.case_transition(case=case, action="verify", by=office, on=TODAY)

    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, action="approve", by=director, on=TODAY)


def test_the_director_of_the_county_committee_approves(inside, office):
    from tests import factories as f

    county_committee = f.CommitteeFactory(region=inside.region, level="county")
    inside.committee.parent = county_committee
    inside.committee.save(update_fields=["parent"])
    person = f.PersonFactory(region=inside.region)
    f.PostFactory(person=person, branch=None, committee=county_committee, role="executive_director")
    county_director = f.UserFactory(role=Role.COMMITTEE_DIRECTOR, person=person, region=None)
    case = inside.pending_case
    services.case_transition(case=case, action="verify", by=office, on=TODAY)

    services.case_transition(case=case, action="approve", by=county_director, on=TODAY)

    case.refresh_from_db()
    assert case.status == AidCase.Status.APPROVED


def test_a_step_from_the_wrong_status_is_refused(inside, office):
    with pytest.raises(ValidationError):
        services.case_transition(case=inside.pending_case, action="approve", by=office, on=TODAY)


def test_closing_needs_a_reason_and_reopening_a_comment(inside, office):
    case = inside.pending_case
    with pytest.raises(ValidationError):
        services.case_transition(case=case, action="close", by=office, on=TODAY)

    services.case_transition(case=case, action="close", by=office, on=TODAY, close_reason="moved_away")
    with pytest.raises(ValidationError):
        services.case_transition(case=case, action="reopen", by=office, on=TODAY)
    services.case_transition(case=case, action="reopen", by=office, on=TODAY, comment="已迁回本镇")

    case.refresh_from_db()
    assert case.status == AidCase.Status.REGISTERED
    assert case.close_reason == ""
    assert case.closed_on is None


def test_a_future_date_is_refused(inside, office):
    with pytest.raises(ValidationError) as error:
        services.case_transition(case=inside.pending_case, action="verify", by=office, on=TODAY + dt.timedelta(days=3))
    assert "on" in error.value.error_dict


def test_a_pairing_needs_an_approved_case(inside, office):
    with pytest.raises(ValidationError):
        services.pairing_create(
            case=inside.pending_case,
            sponsor=inside.sponsor,
            monthly_amount=Decimal("500"),
            start_on=dt.date(2025, 1, 1),
            end_condition="直至毕业",
            by=office,
        )


@pytest.mark.parametrize(
    ("reason", "status", "close_reason"),
    [
        ("sponsor_withdrew", "waiting", ""),
        ("completed", "closed", "graduated"),
        ("child_moved", "closed", "moved_away"),
    ],
)
def test_the_end_reason_decides_what_becomes_of_the_case(inside, office, reason, status, close_reason):
    services.pairing_end(pairing=inside.pairing, ended_on=dt.date(2025, 6, 30), reason=reason, by=office)

    inside.case.refresh_from_db()
    inside.pairing.refresh_from_db()
    assert inside.pairing.status == "ended"
    assert inside.case.status == status
    assert inside.case.close_reason == close_reason
    assert CaseEvent.objects.filter(case=inside.case, action="pairing_end").exists()


def test_a_new_pairing_brings_a_waiting_case_back(inside, office):
    services.pairing_end(pairing=inside.pairing, ended_on=dt.date(2025, 6, 30), reason="sponsor_withdrew", by=office)

    services.pairing_create(
        case=inside.case,
        sponsor=inside.sponsor,
        monthly_amount=Decimal("800"),
        start_on=dt.date(2025, 7, 1),
        planned_end_on=dt.date(2028, 6, 30),
        by=office,
    )

    inside.case.refresh_from_db()
    assert inside.case.status == AidCase.Status.ACTIVE


def test_pausing_keeps_every_pause_as_history(inside, office):
    pairing = inside.pairing
    services.pairing_pause(pairing=pairing, from_month=dt.date(2025, 1, 1), reason="住院", by=office)
    services.pairing_resume(pairing=pairing, month=dt.date(2025, 3, 1), by=office)
    services.pairing_pause(pairing=pairing, from_month=dt.date(2025, 7, 1), reason="暑假外出", by=office)

    assert list(pairing.pauses.values_list("from_month", "resumed_month")) == [
        (dt.date(2025, 1, 1), dt.date(2025, 3, 1)),
        (dt.date(2025, 7, 1), None),
    ]
    with pytest.raises(ValidationError):
        services.pairing_pause(pairing=pairing, from_month=dt.date(2025, 8, 1), reason="again", by=office)
