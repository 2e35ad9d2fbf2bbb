"""换届 (term change): old posts end, new ones start, in one transaction or not at all."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches import models as b
from branches.services.organisation import post_change_term
from core.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


@pytest.fixture
def county():
    return f.RegionFactory(code="439902000000", name="换届县", level=Region.Level.COUNTY)


@pytest.fixture
def branch(county):
    branch = f.BranchFactory(region=county)
    f.PostFactory(branch=branch, role=b.Post.Role.SECRETARY, person__region=county)
    f.PostFactory(branch=branch, role=b.Post.Role.COMMITTEE_MEMBER, person__region=county)
    return branch


def _people(county, n):
    return f.PersonFactory.create_batch(n, region=county)


def test_it_ends_the_old_posts_and_starts_the_new_ones(branch, county):
    old = set(b.Post.objects.filter(branch=branch).values_list("pk", flat=True))
    secretary, member, member2 = _people(county, 3)
    rows = [
        {"person": secretary, "role": "secretary", "monthly_allowance": Decimal("200")},
        {"person": member, "role": "committee_member", "duty": "organisation", "monthly_allowance": Decimal("150")},
        {"person": member2, "role": "committee_member", "duty": "youth_care", "monthly_allowance": Decimal("150")},
    ]

    created = post_change_term(organisation=branch, on=ON, posts=rows, by=None)

    assert len(created) == 3
    ended = b.Post.objects.filter(pk__in=old)
    assert set(ended.values_list("end_on", flat=True)) == {dt.date(2026, 5, 31)}
    current = b.Post.objects.filter(branch=branch).current(ON)
    assert set(current.values_list("person", flat=True)) == {secretary.pk, member.pk, member2.pk}
    assert current.get(role="secretary").monthly_allowance == Decimal("200.00")
    assert current.get(person=member2).duty == "youth_care"


def test_it_works_for_a_committee(county):
    committee = f.CommitteeFactory(region=county)
    f.PostFactory(branch=None, committee=committee, role=b.Post.Role.EXECUTIVE_DIRECTOR)
    director, police = _people(county, 2)
    post_change_term(
        organisation=committee,
        on=ON,
        posts=[
            {"person": director, "role": "executive_director"},
            {"person": police, "role": "member", "outside_role": "派出所所长"},
        ],
        by=None,
    )
    assert committee.current_posts().get(role="executive_director").person == director
    assert committee.current_posts().get(person=police).outside_role == "派出所所长"


def _unchanged(branch):
    return list(b.Post.all_objects.filter(branch=branch).order_by("pk").values_list("pk", "end_on"))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (lambda p: [{"person": p[0], "role": "secretary"}, {"person": p[1], "role": "secretary"}], "一名书记"),
        (lambda p: [{"person": p[0], "role": "secretary"}, {"person": None, "role": "committee_member"}], "选择人员"),
        (lambda p: [{"person": p[0], "role": "executive_director"}], "不适用"),
        (lambda p: [], "至少"),
    ],
    ids=["two secretaries", "missing person", "committee role in a branch", "empty committee"],
)
def test_invalid_new_committee_saves_nothing(branch, county, rows, message):
    before = _unchanged(branch)
    with pytest.raises(ValidationError, match=message):
        post_change_term(organisation=branch, on=ON, posts=rows(_people(county, 2)), by=None)
    assert _unchanged(branch) == before


def test_a_row_refused_by_model_validation_rolls_back_the_ended_posts(branch, county):
    """The old posts are ended before the new ones are validated: the transaction must undo that."""
    before = _unchanged(branch)
    person = _people(county, 1)[0]
    rows = [
        {"person": person, "role": "secretary"},
        {"person": person, "role": "committee_member", "monthly_allowance": Decimal("-1")},
    ]
    with pytest.raises(ValidationError):
        post_change_term(organisation=branch, on=ON, posts=rows, by=None)
    assert _unchanged(branch) == before


def test_it_refuses_when_a_current_post_starts_on_the_term_date(branch, county):
    f.PostFactory(branch=branch, role=b.Post.Role.DEPUTY_SECRETARY, start_on=ON)
    before = _unchanged(branch)
    with pytest.raises(ValidationError, match="当天或之后"):
        post_change_term(
            organisation=branch, on=ON, posts=[{"person": _people(county, 1)[0], "role": "secretary"}], by=None
        )
    assert _unchanged(branch) == before
