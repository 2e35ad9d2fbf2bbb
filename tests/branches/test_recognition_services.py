"""The assessment status flow, scheme copies and criterion order (branches/services/recognition.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from branches.models import Assessment, AssessmentCriterion, AssessmentScheme
from branches.selectors.recognition import assessment_totals, has_town_reviewer
from branches.services import recognition as services
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Assessment.Status


@pytest.fixture
def inside(world):
    return world.inside


@pytest.fixture
def scheme(inside):
    """The county's 六好 scheme with two items (10 and 20 points) and an archived one."""
    AssessmentCriterion.objects.create(scheme=inside.scheme, order=2, title="学习教育好", max_score=20)
    old = AssessmentCriterion.objects.create(scheme=inside.scheme, order=3, title="旧项目", max_score=5)
    old.archive(by=None)
    return inside.scheme


@pytest.fixture
def town_staff(inside):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=inside.town)


@pytest.fixture
def assessment(scheme, inside, users):
    return services.assessment_start(scheme=scheme, year=2025, branch=inside.branch, by=users[Role.BRANCH_SECRETARY])


def _score_all(assessment, *scores):
    for item, score in zip(assessment.items.order_by("criterion__order"), scores):
        item.self_score = Decimal(score)
        item.save()


def _scores(assessment, *values):
    items = assessment.items.order_by("criterion__order")
    return {item.pk: Decimal(v) for item, v in zip(items, values)}


def test_start_creates_one_item_per_active_criterion(assessment):
    titles = list(assessment.items.order_by("criterion__order").values_list("criterion__title", flat=True))
    assert assessment.status == Status.DRAFT
    assert titles == ["政治引领好", "学习教育好"]


def test_start_refuses_a_second_assessment_of_the_year_clearly(assessment, scheme, inside, users):
    with pytest.raises(ValidationError) as error:
        services.assessment_start(scheme=scheme, year=2025, branch=inside.branch, by=users[Role.COUNTY_STAFF])
    assert "该支部本年度已有这项评估" in " ".join(error.value.messages)


def test_start_refuses_a_committee_scheme_for_a_branch(inside, users):
    five_good = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    with pytest.raises(ValidationError, match="关工委"):
        services.assessment_start(scheme=five_good, year=2025, branch=inside.branch, by=users[Role.COUNTY_STAFF])


def test_start_refuses_a_scheme_of_another_county(world, users):
    with pytest.raises(ValidationError, match="其他县"):
        services.assessment_start(
            scheme=world.outside.scheme, year=2025, branch=world.inside.branch, by=users[Role.ADMIN]
        )


def test_submit_needs_every_item_scored(assessment, users):
    _score_all(assessment, "8")
    with pytest.raises(ValidationError, match="学习教育好"):
        services.assessment_submit(assessment=assessment, by=users[Role.BRANCH_SECRETARY])
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_submit_refuses_a_self_score_above_the_maximum(assessment, users):
    _score_all(assessment, "11", "20")
    with pytest.raises(ValidationError, match="0到10"):
        services.assessment_submit(assessment=assessment, by=users[Role.BRANCH_SECRETARY])


def test_the_whole_flow_from_start_to_county_review(assessment, users, town_staff):
    secretary, county = users[Role.BRANCH_SECRETARY], users[Role.COUNTY_STAFF]
    _score_all(assessment, "9", "18.5")

    services.assessment_submit(assessment=assessment, by=secretary)
    assert assessment.status == Status.SUBMITTED
    assert assessment.submitted_at is not None
    assert has_town_reviewer(assessment) is True

    services.assessment_town_review(
        assessment=assessment, comment="台账规范", scores=_scores(assessment, "8", "18"), by=town_staff
    )
    assert assessment.status == Status.TOWN_REVIEWED
    assert assessment.town_reviewed_by == town_staff

    services.assessment_county_review(
        assessment=assessment, comment="同意", scores=_scores(assessment, "8", "17"), by=county
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.REVIEWED
    assert (assessment.county_reviewed_by, assessment.county_comment) == (county, "同意")
    totals = assessment_totals(assessment)
    assert (totals["self_total"], totals["town_total"], totals["county_total"]) == (
        Decimal("27.5"),
        Decimal(26),
        Decimal(25),
    )
    assert totals["max_total"] == Decimal(30)


@pytest.fixture
def submitted(assessment, users):
    _score_all(assessment, "9", "18")
    return services.assessment_submit(assessment=assessment, by=users[Role.BRANCH_SECRETARY])


def test_county_staff_cannot_do_the_town_review(submitted, users):
    with pytest.raises(ValidationError, match="乡镇"):
        services.assessment_town_review(
            assessment=submitted, comment="好", scores=_scores(submitted, 9, 18), by=users[Role.COUNTY_STAFF]
        )


def test_staff_of_another_town_cannot_do_the_town_review(submitted, inside):
    other_town = f.RegionFactory(code=inside.region.code[:6] + "200000", name="石堤镇", level="town")
    with pytest.raises(ValidationError, match="乡镇"):
        services.assessment_town_review(
            assessment=submitted,
            comment="好",
            scores=_scores(submitted, 9, 18),
            by=f.UserFactory(role=Role.COUNTY_STAFF, region=other_town),
        )


def test_the_county_waits_for_the_town_where_the_town_has_a_reviewer(submitted, users, town_staff):
    with pytest.raises(ValidationError, match="请先由乡镇"):
        services.assessment_county_review(
            assessment=submitted, comment="同意", scores=_scores(submitted, 9, 18), by=users[Role.COUNTY_STAFF]
        )


def test_the_county_reviews_directly_where_the_town_has_no_reviewer(submitted, users):
    assert has_town_reviewer(submitted) is False
    services.assessment_county_review(
        assessment=submitted, comment="同意", scores=_scores(submitted, 9, 18), by=users[Role.COUNTY_STAFF]
    )
    assert submitted.status == Status.REVIEWED


def test_a_town_score_above_the_maximum_is_refused(submitted, town_staff):
    with pytest.raises(ValidationError, match="0到20"):
        services.assessment_town_review(
            assessment=submitted, comment="好", scores=_scores(submitted, 9, 25), by=town_staff
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_review_needs_a_comment(submitted, town_staff):
    with pytest.raises(ValidationError, match="审核意见"):
        services.assessment_town_review(
            assessment=submitted, comment=" ", scores=_scores(submitted, 9, 18), by=town_staff
        )


def test_a_returned_assessment_can_be_corrected_and_submitted_again(submitted, users, town_staff):
    services.assessment_return(assessment=submitted, comment="请补充主题党日记录", by=town_staff)
    assert submitted.status == Status.RETURNED
    assert submitted.town_comment == "请补充主题党日记录"

    services.assessment_submit(assessment=submitted, by=users[Role.BRANCH_SECRETARY])
    assert submitted.status == Status.SUBMITTED
    assert submitted.town_comment == ""


def test_the_town_cannot_return_what_it_has_reviewed_but_the_county_can(submitted, users, town_staff):
    services.assessment_town_review(assessment=submitted, comment="好", scores=_scores(submitted, 9, 18), by=town_staff)
    with pytest.raises(ValidationError):
        services.assessment_return(assessment=submitted, comment="再看看", by=town_staff)
    services.assessment_return(assessment=submitted, comment="经费台账不全", by=users[Role.COUNTY_STAFF])
    assert (submitted.status, submitted.county_comment) == (Status.RETURNED, "经费台账不全")


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("submit", "不能提交"),
        ("town", "不能进行乡镇审核"),
        ("county", "不能进行县级审定"),
        ("return", "不能退回"),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(submitted, users, town_staff, step, message):
    county = users[Role.COUNTY_STAFF]
    services.assessment_town_review(assessment=submitted, comment="好", scores=_scores(submitted, 9, 18), by=town_staff)
    services.assessment_county_review(assessment=submitted, comment="同意", scores=_scores(submitted, 9, 18), by=county)
    calls = {
        "submit": lambda: services.assessment_submit(assessment=submitted, by=users[Role.BRANCH_SECRETARY]),
        "town": lambda: services.assessment_town_review(
            assessment=submitted, comment="好", scores=_scores(submitted, 9, 18), by=town_staff
        ),
        "county": lambda: services.assessment_county_review(
            assessment=submitted, comment="好", scores=_scores(submitted, 9, 18), by=county
        ),
        "return": lambda: services.assessment_return(assessment=submitted, comment="退回", by=county),
    }
    with pytest.raises(ValidationError, match=message):
        calls[step]()


def test_a_draft_cannot_be_reviewed(assessment, town_staff):
    with pytest.raises(ValidationError, match="草稿"):
        services.assessment_town_review(assessment=assessment, comment="好", scores={}, by=town_staff)


def test_the_secretary_of_another_branch_cannot_submit(assessment, inside):
    other_branch = f.BranchFactory(region=inside.town)
    other = f.PersonFactory(region=inside.town)
    f.PostFactory(person=other, branch=other_branch, role="secretary")
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=assessment, by=f.UserFactory(role=Role.BRANCH_SECRETARY, person=other))


def test_copying_a_shipped_scheme_gives_the_county_its_own_criteria(inside, users):
    shipped = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    copy = services.scheme_copy_for_region(scheme=shipped, region=inside.region, by=users[Role.COMMITTEE_STAFF])
    assert (copy.region, copy.target, copy.name) == (inside.region, shipped.target, shipped.name)
    assert list(copy.criteria.values_list("title", "max_score", "order")) == list(
        shipped.criteria.values_list("title", "max_score", "order")
    )
    assert shipped.criteria.count() == 5  # the shipped list is untouched


def test_a_county_gets_one_copy_of_a_scheme(inside, users):
    shipped = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    services.scheme_copy_for_region(scheme=shipped, region=inside.region, by=users[Role.COUNTY_STAFF])
    with pytest.raises(ValidationError, match="已有"):
        services.scheme_copy_for_region(scheme=shipped, region=inside.region, by=users[Role.COUNTY_STAFF])


def test_nobody_copies_into_another_county(world, users):
    shipped = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    with pytest.raises(PermissionDenied):
        services.scheme_copy_for_region(scheme=shipped, region=world.outside.region, by=users[Role.COUNTY_STAFF])


def test_moving_a_criterion_up_swaps_it_with_the_one_above(scheme, users):
    second = scheme.criteria.get(title="学习教育好")
    services.criterion_move(criterion=second, up=True, by=users[Role.COUNTY_STAFF])
    assert list(scheme.criteria.order_by("order").values_list("title", flat=True)) == ["学习教育好", "政治引领好"]
    services.criterion_move(criterion=second, up=True, by=users[Role.COUNTY_STAFF])  # already first: nothing
    assert scheme.criteria.get(title="学习教育好").order == 1


def test_moving_a_criterion_raises_the_version_of_each_renumbered_one(scheme, users):
    """bulk_update leaves the version out; the database raises it anyway, so open edit forms see a conflict."""
    before = dict(scheme.criteria.values_list("title", "version"))

    services.criterion_move(criterion=scheme.criteria.get(title="学习教育好"), up=True, by=users[Role.COUNTY_STAFF])

    after = dict(scheme.criteria.values_list("title", "version"))
    assert after == {title: version + 1 for title, version in before.items()}
