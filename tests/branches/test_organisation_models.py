"""The organisation's rules in the database, and its querysets' annotations."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from branches import models as b
from branches.selectors.organisation import (
    branch_organisation_summary,
    cluster_totals,
    clusters_with_counts,
    committee_detail_data,
    work_committee_members,
)
from core.models import Region
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return f.RegionFactory(code="439901000000", name="测试县", level=Region.Level.COUNTY)


@pytest.fixture
def branch(county):
    return f.BranchFactory(region=county, kind=b.Branch.Kind.AGENCY_RETIREE, name="苏稽镇机关退休党支部")


@pytest.fixture
def committee(county, branch):
    return f.CommitteeFactory(region=county, branch=branch, name="苏稽镇关工委")


def _refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        b.Post.objects.create(**kwargs)


def test_the_database_refuses_a_second_current_secretary(branch):
    f.PostFactory(branch=branch, role=b.Post.Role.SECRETARY)
    _refused(person=f.PersonFactory(), branch=branch, role=b.Post.Role.SECRETARY, start_on=dt.date(2024, 1, 1))


def test_an_ended_secretary_leaves_room_for_the_next(branch):
    f.PostFactory(branch=branch, role=b.Post.Role.SECRETARY, end_on=dt.date(2023, 12, 31))
    post = f.PostFactory(branch=branch, role=b.Post.Role.SECRETARY, start_on=dt.date(2024, 1, 1))
    assert post.pk is not None


def test_the_database_refuses_a_second_current_executive_director(committee):
    role = b.Post.Role.EXECUTIVE_DIRECTOR
    f.PostFactory(branch=None, committee=committee, role=role)
    _refused(person=f.PersonFactory(), committee=committee, role=role, start_on=dt.date(2024, 1, 1))


def test_the_database_refuses_an_end_before_the_start(branch):
    _refused(
        person=f.PersonFactory(),
        branch=branch,
        role=b.Post.Role.COMMITTEE_MEMBER,
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2023, 1, 1),
    )


def test_the_database_refuses_a_post_in_a_branch_and_a_committee(branch, committee):
    _refused(person=f.PersonFactory(), branch=branch, committee=committee, role="member", start_on=dt.date(2024, 1, 1))


def test_the_database_refuses_a_committee_role_in_a_branch(branch):
    _refused(person=f.PersonFactory(), branch=branch, role="executive_director", start_on=dt.date(2024, 1, 1))


def test_one_shoulder_when_the_executive_director_holds_a_branch_post(branch, committee):
    person = f.PersonFactory(name="王元金")
    f.PostFactory(person=person, branch=branch, role=b.Post.Role.COMMITTEE_MEMBER)
    f.PostFactory(person=person, branch=None, committee=committee, role=b.Post.Role.EXECUTIVE_DIRECTOR)

    annotated = b.YouthCareCommittee.objects.with_one_shoulder().get(pk=committee.pk)
    assert annotated.one_shoulder is True
    data = committee_detail_data(committee)
    assert data["one_shoulder"]["person"] == person
    assert [p.branch for p in data["one_shoulder"]["branch_posts"]] == [branch]


def test_no_one_shoulder_without_a_current_branch_post(branch, committee):
    person = f.PersonFactory()
    f.PostFactory(person=person, branch=branch, role=b.Post.Role.COMMITTEE_MEMBER, end_on=dt.date(2023, 1, 1))
    f.PostFactory(person=person, branch=None, committee=committee, role=b.Post.Role.EXECUTIVE_DIRECTOR)
    # A plain committee member holding a branch post is not 一肩挑 either.
    other = f.PersonFactory()
    f.PostFactory(person=other, branch=branch, role=b.Post.Role.SECRETARY)
    f.PostFactory(person=other, branch=None, committee=committee, role=b.Post.Role.MEMBER)

    assert b.YouthCareCommittee.objects.with_one_shoulder().get(pk=committee.pk).one_shoulder is False
    assert committee_detail_data(committee)["one_shoulder"] is None


def test_member_counts_count_current_memberships_and_party_members(branch):
    f.RetireeFactory.create_batch(3, branch=branch, person__region=branch.region)
    f.RetireeFactory(branch=branch, person__region=branch.region, is_party_member=False, joined_party_on=None)
    gone = f.RetireeFactory(branch=branch, person__region=branch.region)
    gone.memberships.update(end_on=dt.date(2025, 6, 1))
    empty = f.BranchFactory(region=branch.region)

    counted = {x.pk: x for x in b.Branch.objects.filter(pk__in=[branch.pk, empty.pk]).with_member_counts()}
    assert counted[branch.pk].member_count == 4
    assert counted[branch.pk].party_member_count == 3
    assert counted[empty.pk].member_count is None  # no rows: the template shows 0
    on_the_old_date = b.Branch.objects.with_member_counts(dt.date(2025, 5, 1)).get(pk=branch.pk)
    assert on_the_old_date.member_count == 5


def test_clusters_count_their_branches_and_members(county):
    first, second = f.ClusterFactory(region=county), f.ClusterFactory(region=county)
    for _ in range(3):
        x = f.BranchFactory(region=county, cluster=first)
        f.RetireeFactory(branch=x, person__region=county)
    f.BranchFactory(region=county, cluster=second)
    f.BranchFactory(region=county, cluster=second).archive(by=None)
    f.BranchFactory(region=county)  # not in a cluster

    counted = {c.pk: c for c in clusters_with_counts(b.Cluster.objects.filter(region=county))}
    assert (counted[first.pk].branch_count, counted[first.pk].member_count) == (3, 3)
    assert (counted[second.pk].branch_count, counted[second.pk].member_count) == (1, 0)

    user = f.UserFactory(role=Role.COUNTY_STAFF, region=county)
    totals = cluster_totals(user)
    assert totals == {
        "branches": 5,
        "standing": 5,
        "general": 0,
        "gathering": 0,
        "clustered": 4,
        "clusters": 2,
        "unclustered": 1,
        "members": 3,
        "covered": 3,
    }


def test_the_cluster_totals_keep_general_and_temporary_branches_apart_from_the_coverage(county):
    standing = f.BranchFactory(region=county, cluster=f.ClusterFactory(region=county))
    general = f.BranchFactory(region=county, kind=b.Branch.Kind.GENERAL)
    temporary = f.BranchFactory(region=county, kind=b.Branch.Kind.TEMPORARY, parent=general)
    f.RetireeFactory(branch=standing, person__region=county)
    f.RetireeFactory(branch=general, person__region=county)  # members of a general and a temporary
    f.RetireeFactory(branch=temporary, person__region=county)  # branch are not covered by it

    totals = cluster_totals(f.UserFactory(role=Role.COUNTY_STAFF, region=county))

    assert (totals["standing"], totals["general"], totals["gathering"]) == (1, 1, 1)
    assert (totals["clustered"], totals["unclustered"]) == (1, 0)
    assert (totals["members"], totals["covered"]) == (3, 1)


def test_members_behind_on_guidance_visits(county):
    wc = f.WorkCommitteeFactory(region=county, required_visits_per_year=4)
    diligent = f.WorkCommitteeMemberFactory(work_committee=wc)
    late = f.WorkCommitteeMemberFactory(work_committee=wc)
    f.WorkCommitteeMemberFactory(work_committee=wc, end_on=dt.date(2024, 12, 31))  # not in office in 2026
    target = f.BranchFactory(region=county)
    for month in (2, 5, 8, 11):
        f.GuidanceVisitFactory(member=diligent, branch=target, visited_on=dt.date(2026, month, 3))
    f.GuidanceVisitFactory(member=late, branch=target, visited_on=dt.date(2026, 3, 3))
    f.GuidanceVisitFactory(member=late, branch=target, visited_on=dt.date(2025, 3, 3))  # other year
    f.GuidanceVisitFactory(member=late, branch=target, visited_on=dt.date(2026, 4, 3)).archive(by=None)

    members = {m.pk: m for m in work_committee_members(wc, year=2026)}
    assert set(members) == {diligent.pk, late.pk}
    assert (members[diligent.pk].visit_count, members[diligent.pk].behind) == (4, False)
    assert (members[late.pk].visit_count, members[late.pk].behind) == (1, True)


def test_branch_summary_runs_a_fixed_number_of_queries(
    branch, committee, django_assert_num_queries, django_assert_max_num_queries
):
    general = f.BranchFactory(region=branch.region, kind=b.Branch.Kind.GENERAL)
    branch.parent = general
    branch.cluster = f.ClusterFactory(region=branch.region)
    branch.save()
    for _ in range(3):
        child = f.BranchFactory(region=branch.region, parent=general)
        f.RetireeFactory(branch=child, person__region=branch.region)
    for role in (b.Post.Role.SECRETARY, b.Post.Role.COMMITTEE_MEMBER, b.Post.Role.COMMITTEE_MEMBER):
        f.PostFactory(branch=branch, role=role)
    wc_member = f.WorkCommitteeMemberFactory(work_committee=f.WorkCommitteeFactory(region=branch.region))
    wc_member.branches.add(branch)
    f.GuidanceVisitFactory.create_batch(3, member=wc_member, branch=branch, visited_on=dt.date(2026, 5, 1))
    branch.venues.add(f.VenueFactory(region=branch.region), f.VenueFactory(region=branch.region))

    with django_assert_num_queries(7):
        summary = branch_organisation_summary(branch, on=dt.date(2026, 11, 1))
    assert len(summary["posts"]) == 3
    assert summary["posts"][0].role == b.Post.Role.SECRETARY
    assert len(summary["venues"]) == 2
    assert len(summary["guidance_visits"]) == 3
    assert summary["guides"] == [wc_member]
    assert summary["cluster"] == branch.cluster
    assert [c.one_shoulder for c in summary["committees"]] == [False]

    with django_assert_max_num_queries(7):  # no cluster: one query fewer
        general_summary = branch_organisation_summary(general, on=dt.date(2026, 11, 1))
    assert len(general_summary["children"]) == 4
    assert sum(c.member_count or 0 for c in general_summary["children"]) == 3
