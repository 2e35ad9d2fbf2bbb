"""Honour and assessment constraints, the shipped 六好 / 五好 criteria lists, and the row rules."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from branches.models import Assessment, AssessmentCriterion, AssessmentScheme, Honour
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

SHIPPED = importlib.import_module("branches.migrations.0002_default_assessment_schemes")


def _honour(**recipients):
    return Honour.objects.create(
        title="先进基层党组织",
        level=Honour.Level.COUNTY,
        awarded_by="区委",
        awarded_on=dt.date(2024, 6, 27),
        **recipients,
    )


def test_the_database_refuses_an_honour_for_two_recipients(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _honour(branch=world.inside.branch, person=world.inside.person)


def test_the_database_refuses_an_honour_without_recipient(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _honour()


def test_an_honour_for_one_committee_is_kept(world):
    honour = _honour(committee=world.inside.committee)
    assert honour.recipient == world.inside.committee


def test_the_database_refuses_a_second_assessment_of_the_same_year(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(scheme=world.inside.scheme, year=2026, branch=world.inside.branch)


def test_an_archived_assessment_leaves_room_for_a_new_one(world, users):
    world.inside.assessment.archive(by=None)
    again = Assessment.objects.create(scheme=world.inside.scheme, year=2026, branch=world.inside.branch)
    assert again.pk != world.inside.assessment.pk


def test_the_database_refuses_a_criterion_without_points(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentCriterion.objects.create(scheme=world.inside.scheme, title="空", max_score=0)


def _shipped(name):
    return AssessmentScheme.objects.get(region__isnull=True, name=name)


def test_migrate_ships_the_six_good_branch_scheme():
    scheme = _shipped("六好离退休干部党支部")
    titles = list(scheme.criteria.order_by("order").values_list("title", flat=True))
    assert scheme.target == AssessmentScheme.Target.BRANCH
    assert titles == ["政治引领好", "组织设置好", "学习教育好", "管理服务好", "作用发挥好", "保障落实好"]
    assert sum(c.max_score for c in scheme.criteria.all()) == Decimal(100)
    points = " ".join(scheme.criteria.values_list("description", flat=True))
    for practice in ("三会一课", "主题党日", "送学上门", "个性需求", "阵地", "经费"):
        assert practice in points


def test_migrate_ships_the_five_good_committee_scheme():
    scheme = _shipped("五好基层关工委")
    titles = list(scheme.criteria.order_by("order").values_list("title", flat=True))
    assert scheme.target == AssessmentScheme.Target.COMMITTEE
    assert titles == ["组织领导好", "五老队伍好", "工作制度好", "活动阵地好", "工作成效好"]
    assert all(c.description for c in scheme.criteria.all())


def test_the_data_migration_reverses_exactly_its_rows(world):
    county_scheme = world.inside.scheme
    before = AssessmentCriterion.all_objects.count()

    SHIPPED.remove_schemes(apps, None)

    assert not AssessmentScheme.all_objects.filter(region__isnull=True).exists()
    assert AssessmentCriterion.all_objects.count() == before - 11
    assert AssessmentScheme.objects.filter(pk=county_scheme.pk).exists()

    SHIPPED.add_schemes(apps, None)
    SHIPPED.add_schemes(apps, None)  # running it twice adds nothing twice
    assert AssessmentScheme.all_objects.filter(region__isnull=True).count() == 2
    assert AssessmentCriterion.all_objects.count() == before


def test_the_data_migration_is_reversible():
    operation = SHIPPED.Migration.operations[0]
    assert operation.reversible is True


# --- Row rules (core.access asks these; issue 6) ----------------------------------------------


def _committee_records(inside):
    scheme = AssessmentScheme.objects.create(name="五好基层关工委", target="committee", region=inside.region)
    criterion = AssessmentCriterion.objects.create(scheme=scheme, order=1, title="组织领导好")
    assessment = Assessment.objects.create(scheme=scheme, year=2026, committee=inside.committee)
    item = assessment.items.create(criterion=criterion)
    honour = _honour(committee=inside.committee)
    return [honour, scheme, criterion, assessment, item]


def test_committee_staff_change_committee_records_and_only_read_the_branchs(world, users):
    inside, staff = world.inside, users[Role.COMMITTEE_STAFF]
    branch_records = [inside.honour, inside.scheme, inside.criterion, inside.assessment, inside.assessment_item]
    for record in branch_records + _committee_records(inside):
        manager = type(record).objects
        assert manager.visible_to(staff).filter(pk=record.pk).exists() is True, record
        editable = manager.editable_by(staff).filter(pk=record.pk).exists()
        assert editable is (record not in branch_records), record


def test_county_staff_change_the_records_of_both(world, users):
    inside, staff = world.inside, users[Role.COUNTY_STAFF]
    for record in [inside.honour, inside.scheme, inside.assessment, *_committee_records(inside)]:
        assert type(record).objects.editable_by(staff).filter(pk=record.pk).exists() is True, record


def test_reviewers_review_the_targets_of_the_town_or_county_they_sit_at(world, users):
    inside, outside = world.inside, world.outside
    reviewers = {
        "county": users[Role.COUNTY_STAFF],
        "town": f.UserFactory(role=Role.COUNTY_STAFF, region=inside.town),
        "village": f.UserFactory(role=Role.COUNTY_STAFF, region=inside.village),
        "admin": users[Role.ADMIN],
    }
    reviewable = {
        name: set(Assessment.objects.reviewable_by(user).values_list("pk", flat=True))
        for name, user in reviewers.items()
    }
    both = {inside.assessment.pk, outside.assessment.pk}
    assert reviewable["county"] & both == {inside.assessment.pk}
    assert reviewable["town"] & both == {inside.assessment.pk}
    assert reviewable["village"] == set()
    assert reviewable["admin"] >= both
    for role in (Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.LEADER):
        assert Assessment.objects.reviewable_by(users[role]).exists() is False, role
