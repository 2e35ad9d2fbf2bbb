"""The demo data looks like the seed reports, and loading it twice adds nothing.

Counts in a region are compared before and after loading (tests/demo/yongshun.py), so the
shared world's records in the same regions (tests/world.py) do not change the result.
"""

import io

import pytest
from django.db.models import Count, Q

from branches import demo as branches_demo
from branches.models import (
    Activity,
    Attendance,
    Branch,
    CarePair,
    Honour,
    Membership,
    Need,
    Post,
    Retiree,
    YouthCareCommittee,
)
from core.models import Person, User
from core.scoping import Role
from core.validators import validate_id_number
from tests.demo import yongshun

pytestmark = pytest.mark.django_db

TODAY = yongshun.TODAY
YONGSHUN = yongshun.CODE


def _table_counts():
    return {
        model.__name__: model.all_objects.count()
        for model in (Person, Retiree, Membership, Branch, Post, Activity, Attendance, Need, Honour, CarePair)
    } | {"User": User.objects.count()}


def test_yongshun_has_52_branches_in_12_clusters_covering_1491_retirees(demo):
    before = demo.yongshun_before
    after = yongshun.numbers()
    assert after["branches"] - before["branches"] == 52
    assert after["clusters"] - before["clusters"] == 12
    assert after["clusters_used"] - before["clusters_used"] == 12
    assert after["memberships"] - before["memberships"] == 1491
    assert after["care_pairs"] - before["care_pairs"] == 21


def test_the_senior_university_general_branch_has_15_temporary_branches_without_members(demo):
    general = Branch.objects.annotate(
        temporary=Count("children", filter=Q(children__kind=Branch.Kind.TEMPORARY)),
        members=Count("children__memberships"),
    ).get(name="县老年大学临时党总支", kind=Branch.Kind.GENERAL)
    assert general.temporary == 15
    assert general.members == 0
    assert general.honours.get().level == Honour.Level.COUNTY


def test_suji_branch_has_74_members_42_in_the_party_and_a_committee_of_three(demo):
    branch = Branch.objects.with_member_counts(TODAY).get(name="苏稽镇机关退休党支部")
    assert (branch.member_count, branch.party_member_count) == (74, 42)
    roles = Post.objects.current(TODAY).filter(branch=branch).values("role").annotate(n=Count("pk"))
    assert {row["role"]: row["n"] for row in roles} == {Post.Role.SECRETARY: 1, Post.Role.COMMITTEE_MEMBER: 2}
    assert set(Post.objects.filter(branch=branch).values_list("monthly_allowance", flat=True).distinct()) == {200, 150}


def test_suji_committee_is_one_shoulder_with_11_members(demo):
    committee = YouthCareCommittee.objects.with_one_shoulder().get(name="苏稽镇关工委")
    assert committee.one_shoulder
    assert committee.branch.name == "苏稽镇机关退休党支部"
    assert committee.parent.level == YouthCareCommittee.Level.COUNTY
    assert Post.objects.current(TODAY).filter(committee=committee).count() == 11
    shoulders = YouthCareCommittee.objects.with_one_shoulder().filter(
        one_shoulder=True, region__code__startswith="511102"
    )
    assert set(shoulders.values_list("name", flat=True)) == {
        "苏稽镇关工委",
        "大佛街道关工委",
        "棉竹镇关工委",
        "区民政局关工委",
    }


def test_every_demo_person_has_a_valid_id_number(demo):
    numbers = list(Person.all_objects.exclude(id_number="").values_list("id_number", flat=True))
    assert len(numbers) > 2000
    for number in numbers:
        validate_id_number(number)


def test_loading_twice_changes_no_counts(demo):
    counts = _table_counts()
    branches_demo.load(io.StringIO())
    assert _table_counts() == counts


def test_demo_accounts_see_exactly_their_branch_and_committee(demo):
    shuji = User.objects.get(username="shuji")
    zhuren = User.objects.get(username="zhuren")
    assert (shuji.role, zhuren.role) == (Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR)
    assert list(Branch.objects.visible_to(shuji).values_list("name", flat=True)) == ["苏稽镇机关退休党支部"]
    assert list(YouthCareCommittee.objects.visible_to(zhuren).values_list("name", flat=True)) == ["苏稽镇关工委"]
    assert list(Branch.objects.visible_to(zhuren).values_list("name", flat=True)) == ["苏稽镇机关退休党支部"]


def test_activities_are_in_the_past_with_some_late_entries_and_catch_ups(demo):
    activities = Activity.objects.filter(branch__region__code__startswith=YONGSHUN)
    assert not activities.filter(held_on__gt=TODAY).exists()
    assert sum(a.is_late_entry for a in activities.only("held_on", "created_at")) >= 10
    statuses = Attendance.objects.filter(activity__in=activities).values("status").annotate(n=Count("pk"))
    by_status = {row["status"]: row["n"] for row in statuses}
    assert by_status[Attendance.Status.PRESENT] > 10 * by_status[Attendance.Status.ABSENT] > 0
    assert by_status[Attendance.Status.CAUGHT_UP] > 0
    assert activities.filter(is_online=True).exists()
    assert activities.filter(kind=Activity.Kind.FIELD_TEACHING).exists()
