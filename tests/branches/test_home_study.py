"""The 送学上门 to-do: one row per person, longest-waiting first, one tap for all their missed meetings."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Activity, Attendance, Branch, Post
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Attendance.Status


@pytest.fixture
def branch():
    return f.BranchFactory(region=f.RegionFactory(code="990405000000", level="county"), kind=Branch.Kind.RETIREE)


@pytest.fixture
def secretary(branch):
    post = f.PostFactory(branch=branch, role=Post.Role.SECRETARY)
    return f.UserFactory(role=Role.BRANCH_SECRETARY, person=post.person)


def _absent(retiree, held_on, kind=Activity.Kind.THEME_DAY):
    activity = f.ActivityFactory(branch=retiree.branch, held_on=held_on, kind=kind, topic=f"{held_on} 学习")
    return f.AttendanceFactory(activity=activity, person=retiree.person, status=Status.ABSENT)


def _people(branch, count):
    """`count` members, each absent from two required meetings (and one not required)."""
    members = [f.RetireeFactory(branch=branch) for _ in range(count)]
    for i, member in enumerate(members):
        _absent(member, dt.date(2026, 3, 1 + i))
        _absent(member, dt.date(2026, 1, 1 + i), kind=Activity.Kind.GROUP_MEETING)
        _absent(member, dt.date(2026, 2, 1), kind=Activity.Kind.CULTURE)
    return members


def test_each_person_is_one_row_with_their_missed_meetings_oldest_first(client, branch, secretary):
    first, second = _people(branch, 2)
    client.force_login(secretary)
    response = client.get(reverse("branches:home_study_todo"))
    people = list(response.context["people"])
    assert people == [first.person, second.person]  # first waited since 1 January, second since 2 January
    assert [a.activity.held_on for a in people[0].missed] == [dt.date(2026, 1, 1), dt.date(2026, 3, 1)]
    assert people[0].missed_count == 2
    assert response.content.decode().count('data-testid="home-study-person"') == 2


def test_one_tap_records_the_visit_for_all_of_a_persons_missed_meetings(client, branch, secretary):
    member, other = _people(branch, 2)
    client.force_login(secretary)
    response = client.post(reverse("branches:home_study_catch_up", args=[member.person_id]), {"on": "2026-03-10"})
    assert response.status_code == 302
    statuses = set(
        member.person.attendances.filter(activity__kind__in=["theme_day", "group_meeting"]).values_list("status")
    )
    assert statuses == {(Status.CAUGHT_UP,)}
    assert Activity.objects.filter(branch=branch, kind=Activity.Kind.HOME_STUDY, held_on="2026-03-10").count() == 2
    assert not other.person.attendances.filter(status=Status.CAUGHT_UP).exists()
    assert member.person.attendances.get(activity__kind=Activity.Kind.CULTURE).status == Status.ABSENT


def test_a_date_before_the_last_missed_meeting_records_none_of_them(client, branch, secretary):
    (member,) = _people(branch, 1)
    client.force_login(secretary)
    response = client.post(
        reverse("branches:home_study_catch_up", args=[member.person_id]), {"on": "2026-02-01"}, follow=True
    )
    assert "补学日期不能早于会议日期" in response.content.decode()
    assert not member.person.attendances.filter(status=Status.CAUGHT_UP).exists()
    assert not Activity.objects.filter(branch=branch, kind=Activity.Kind.HOME_STUDY).exists()


def test_another_branchs_member_is_not_found_and_nothing_changes(client, branch, secretary):
    (stranger,) = _people(f.BranchFactory(region=branch.region), 1)
    client.force_login(secretary)
    assert (
        client.post(
            reverse("branches:home_study_catch_up", args=[stranger.person_id]), {"on": "2026-03-10"}
        ).status_code
        == 404
    )
    assert not stranger.person.attendances.filter(status=Status.CAUGHT_UP).exists()


def test_the_to_do_costs_the_same_queries_for_more_people(client, branch, secretary, django_assert_max_num_queries):
    _people(branch, 2)
    client.force_login(secretary)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("branches:home_study_todo"))
    _people(branch, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("branches:home_study_todo"))
