"""Activities of every organiser: a work-committee training, a committee's meetings, cluster
meetings, 送学上门 visits; who may record for which organiser; the pages that show them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches.models import Activity, Attendance, Branch, Post, Retiree
from branches.selectors.activities import organiser_activity_summary
from branches.services.activities import AttendanceEntry, activity_record, roll_person_ids
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def county():
    return f.RegionFactory(code="990808000000", level="county")


@pytest.fixture
def staff(county):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=county)


@pytest.fixture
def work_committee(county):
    return f.WorkCommitteeFactory(region=county)


@pytest.fixture
def twelve_branches(county):
    """12 branches of 4 members each: 48 retirees."""
    branches = [f.BranchFactory(region=county) for _ in range(12)]
    return {branch: [f.RetireeFactory(branch=branch, person__region=county) for _ in range(4)] for branch in branches}


def record(organiser, by, people, **data):
    values = {"kind": Activity.Kind.TRAINING, "held_on": TODAY, "topic": "离退休干部党支部书记培训班"}
    values.update(data)
    return activity_record(
        organiser=organiser,
        data=values,
        attendance=[AttendanceEntry(p.pk, present=True) for p in people],
        photos=[],
        attachments=[],
        by=by,
    )


def test_a_work_committee_training_of_40_people_from_12_branches_counts_40_person_times(
    client, staff, work_committee, twelve_branches
):
    people = [r.person for members in twelve_branches.values() for r in members][:40]
    assert len({r.branch_id for members in twelve_branches.values() for r in members[:4]}) == 12
    activity = record(work_committee, staff, people)

    assert activity.organiser == work_committee
    assert activity.region_id == work_committee.region_id
    summary = organiser_activity_summary(work_committee, TODAY.year)
    assert (summary["count"], summary["person_times"]) == (1, 40)

    client.force_login(staff)
    page = client.get(reverse("branches:workcommittee_detail", args=[work_committee.pk])).content.decode()
    assert activity.topic in page
    attendee = people[-1].retiree
    history = client.get(reverse("branches:retiree_detail", args=[attendee.pk])).content.decode()
    assert activity.topic in history


def test_a_committees_meetings_count_toward_its_yearly_figures(county, staff):
    committee = f.CommitteeFactory(region=county)
    posts = [f.PostFactory(committee=committee, branch=None, role=Post.Role.MEMBER) for _ in range(3)]
    assert roll_person_ids(committee, TODAY) == {p.person_id for p in posts}
    people = [p.person for p in posts]
    record(
        committee, staff, people, kind=Activity.Kind.PROMOTION_MEETING, topic="关心下一代工作推进会", people_reached=2
    )
    record(
        committee,
        staff,
        people,
        kind=Activity.Kind.COMMENDATION_MEETING,
        topic="成绩总结表彰会",
        is_large=True,
        headcount=150,
    )
    summary = organiser_activity_summary(committee, TODAY.year)
    assert (summary["count"], summary["person_times"], summary["large"]) == (2, 3 + 2 + 150, 1)


def test_a_home_study_visit_to_2_members_marks_no_one_absent(county, staff):
    branch = f.BranchFactory(region=county)
    members = [f.RetireeFactory(branch=branch, person__region=county) for _ in range(5)]
    entries = [AttendanceEntry(m.person_id, present=i < 2) for i, m in enumerate(members)]
    visit = activity_record(
        organiser=branch,
        data={"kind": Activity.Kind.HOME_STUDY, "held_on": TODAY, "topic": "送学上门：会议精神"},
        attendance=entries,
        photos=[],
        attachments=[],
        by=staff,
    )
    rows = Attendance.objects.filter(activity=visit)
    assert rows.count() == 2
    assert not rows.exclude(status=Attendance.Status.PRESENT).exists()


def test_a_cluster_meeting_rolls_the_secretaries_of_its_branches(county, staff):
    cluster = f.ClusterFactory(region=county)
    branches = [f.BranchFactory(region=county, cluster=cluster) for _ in range(3)]
    secretaries = [f.PostFactory(branch=b, role=Post.Role.SECRETARY) for b in branches]
    f.PostFactory(branch=branches[0], role=Post.Role.COMMITTEE_MEMBER)  # not expected at a 片组会议
    assert roll_person_ids(cluster, TODAY) == {p.person_id for p in secretaries}


def test_the_database_holds_one_organiser_and_a_kind_that_fits_it(county, work_committee):
    branch = f.BranchFactory(region=county)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Activity.objects.filter(pk=f.ActivityFactory(branch=branch).pk).update(work_committee=work_committee)
    with transaction.atomic(), pytest.raises(IntegrityError):
        # A branch's 三会一课 is a branch's: the work committee holds a 专题党课, not a 党课.
        Activity.objects.create(
            work_committee=work_committee, kind=Activity.Kind.PARTY_LESSON, held_on=TODAY, topic="党课"
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Activity.objects.create(branch=branch, kind=Activity.Kind.THEME_DAY, held_on=TODAY, topic="x", is_large=True)


def test_the_form_offers_only_the_kinds_the_organiser_holds(client, staff, work_committee):
    client.force_login(staff)
    response = client.get(reverse("branches:activity_create"), {"work_committee": work_committee.pk})
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert Activity.Kind.TRAINING in kinds
    assert Activity.Kind.THEME_DAY not in kinds
    data = {"kind": Activity.Kind.THEME_DAY, "held_on": TODAY.isoformat(), "topic": "主题党日", "people_reached": 0}
    url = f"{reverse('branches:activity_create')}?work_committee={work_committee.pk}"
    assert client.post(url, data).status_code == 200
    assert not Activity.all_objects.filter(work_committee=work_committee).exists()


def test_staff_add_people_of_the_county_to_a_training_from_the_picker(client, staff, work_committee, county):
    guest = f.PersonFactory(region=county)
    client.force_login(staff)
    url = f"{reverse('branches:activity_create')}?work_committee={work_committee.pk}"
    data = {
        "kind": Activity.Kind.TRAINING,
        "held_on": TODAY.isoformat(),
        "topic": "培训班",
        "people_reached": 3,
        "added_people": [guest.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(work_committee=work_committee)
    assert list(activity.attendances.values_list("person_id", "status")) == [(guest.pk, "present")]


# --- who may record for which organiser --------------------------------------------------


def _post_training(client, param, organiser, kind=Activity.Kind.TRAINING):
    url = f"{reverse('branches:activity_create')}?{param}={organiser.pk}"
    return client.post(url, {"kind": kind, "held_on": TODAY.isoformat(), "topic": "越权记录", "people_reached": 0})


def test_committee_staff_record_a_committees_activity_but_not_a_work_committees(client, county, work_committee):
    committee = f.CommitteeFactory(region=county)
    user = f.UserFactory(role=Role.COMMITTEE_STAFF, region=county)
    client.force_login(user)
    assert _post_training(client, "committee", committee, Activity.Kind.PROMOTION_MEETING).status_code == 302
    assert _post_training(client, "work_committee", work_committee).status_code == 404  # not theirs to see
    assert not Activity.all_objects.filter(work_committee=work_committee).exists()


def test_a_secretary_records_only_their_own_branch(client, county):
    branch, other = f.BranchFactory(region=county), f.BranchFactory(region=county)
    cluster = f.ClusterFactory(region=county)
    post = f.PostFactory(branch=branch, role=Post.Role.SECRETARY)
    client.force_login(f.UserFactory(role=Role.BRANCH_SECRETARY, person=post.person))
    assert _post_training(client, "branch", other, Activity.Kind.THEME_DAY).status_code == 404
    assert _post_training(client, "cluster", cluster, Activity.Kind.CLUSTER_MEETING).status_code in (403, 404)
    assert not Activity.all_objects.filter(topic="越权记录").exists()


def test_a_director_records_their_committee_and_not_its_co_built_branch(client, county):
    branch = f.BranchFactory(region=county)
    committee = f.CommitteeFactory(region=county, branch=branch)
    post = f.PostFactory(committee=committee, branch=None, role=Post.Role.EXECUTIVE_DIRECTOR)
    client.force_login(f.UserFactory(role=Role.COMMITTEE_DIRECTOR, person=post.person))
    assert _post_training(client, "committee", committee, Activity.Kind.TALK).status_code == 302
    assert _post_training(client, "branch", branch, Activity.Kind.THEME_DAY).status_code == 403
    assert not Activity.all_objects.filter(branch=branch).exists()


def test_a_secretary_sees_their_members_on_a_county_training_and_no_other_names(client, county, work_committee, staff):
    branch = f.BranchFactory(region=county)
    mine = f.RetireeFactory(branch=branch, person__region=county)
    stranger = f.RetireeFactory(branch=f.BranchFactory(region=county), person__region=county)
    activity = record(work_committee, staff, [mine.person, stranger.person])
    post = f.PostFactory(branch=branch, role=Post.Role.SECRETARY)
    client.force_login(f.UserFactory(role=Role.BRANCH_SECRETARY, person=post.person))
    page = client.get(activity.get_absolute_url()).content.decode()
    assert mine.person.name in page
    assert stranger.person.name not in page
    edit = client.get(reverse("branches:activity_update", args=[activity.pk]))
    assert edit.status_code == 403


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_the_work_committee_page_costs_the_same_for_1_or_10_activities(
    client, staff, work_committee, county, count, django_assert_max_num_queries
):
    people = [f.PersonFactory(region=county) for _ in range(3)]
    for n in range(count):
        record(work_committee, staff, people, topic=f"第{n}期", held_on=TODAY - dt.timedelta(days=n % 20))
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("branches:workcommittee_detail", args=[work_committee.pk]))
    assert response.context["organiser_activities"]["count"] == count


def test_the_activity_list_filters_by_organiser_type_online_and_large(client, staff, county, work_committee):
    branch = f.BranchFactory(region=county, kind=Branch.Kind.RETIREE)
    online = f.ActivityFactory(branch=branch, is_online=True, topic="线上学习")
    f.ActivityFactory(branch=branch, topic="现场学习")
    training = record(
        work_committee, staff, [], topic="大型报告会", kind=Activity.Kind.LECTURE, is_large=True, headcount=300
    )
    client.force_login(staff)
    url = reverse("branches:activity_list")

    def topics(**params):
        return {a.topic for a in client.get(url, params).context["object_list"]}

    assert topics(organiser_type="work_committee") == {training.topic}
    assert topics(is_online="on", branch=branch.pk) == {online.topic}
    assert topics(is_large="on") == {training.topic}


# --- participation in temporary branches -------------------------------------------------


def test_210_participants_in_8_temporary_branches_leave_home_memberships_unchanged(client, county, staff):
    from branches.models import Membership, Participation
    from branches.services.people import participation_add_many

    homes = [f.BranchFactory(region=county) for _ in range(3)]
    retirees = [f.RetireeFactory(branch=homes[n % 3], person__region=county) for n in range(210)]
    before = {b.pk: b.member_count for b in Branch.objects.filter(pk__in=[h.pk for h in homes]).with_member_counts()}
    memberships = set(Membership.objects.filter(branch__in=homes).values_list("pk", "retiree_id", "end_on"))
    temporary = [f.BranchFactory(region=county, kind=Branch.Kind.TEMPORARY) for _ in range(8)]
    for n, branch in enumerate(temporary):
        people = [r.person for r in retirees[n::8]]
        assert participation_add_many(branch=branch, people=people, start_on=TODAY, by=staff) == len(people)
    # Adding the same people again adds nobody.
    assert participation_add_many(branch=temporary[0], people=[retirees[0].person], start_on=TODAY, by=staff) == 0

    assert Participation.objects.filter(branch__in=temporary).count() == 210
    after = {b.pk: b.member_count for b in Branch.objects.filter(pk__in=[h.pk for h in homes]).with_member_counts()}
    assert after == before
    assert set(Membership.objects.filter(branch__in=homes).values_list("pk", "retiree_id", "end_on")) == memberships
    assert {r.branch_id for r in Retiree.objects.filter(pk__in=[r.pk for r in retirees])} == {h.pk for h in homes}
    # The temporary branch's roll is its participants; its page counts them.
    assert roll_person_ids(temporary[1], TODAY) == {r.person_id for r in retirees[1::8]}
    client.force_login(staff)
    page = client.get(reverse("branches:branch_detail", args=[temporary[1].pk]))
    assert page.context["participant_count"] == len(retirees[1::8])


def test_a_standing_branch_takes_no_participants(county, staff):
    from django.core.exceptions import ValidationError

    from branches.services.people import participation_add_many

    with pytest.raises(ValidationError):
        participation_add_many(branch=f.BranchFactory(region=county), people=[], start_on=TODAY, by=staff)


def test_staff_add_participants_by_search_and_tick(client, county, staff):
    from branches.models import Participation

    branch = f.BranchFactory(region=county, kind=Branch.Kind.TEMPORARY)
    people = [f.PersonFactory(region=county) for _ in range(3)]
    client.force_login(staff)
    url = reverse("branches:participation_add", args=[branch.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"people": [p.pk for p in people], "start_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert set(Participation.objects.filter(branch=branch).values_list("person_id", flat=True)) == {
        p.pk for p in people
    }
