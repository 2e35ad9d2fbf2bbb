"""Pages of honours, schemes and assessments: forms, evidence choices, scope and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from branches.models import Assessment, AssessmentCriterion, AssessmentItem, AssessmentScheme, Honour
from branches.selectors.recognition import branch_recognition_summary, committee_recognition_summary
from core.history import history_of
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside(world):
    return world.inside


def _login(client, user):
    client.force_login(user)
    return client


def _honour_data(**recipient):
    return {
        "title": "六好党支部",
        "level": Honour.Level.PROVINCE,
        "awarded_by": "省委组织部、省委老干部局",
        "awarded_on": "2024-12-20",
        **recipient,
    }


# --- Honours --------------------------------------------------------------------------------


def test_county_staff_record_an_honour_for_a_branch(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(reverse("branches:honour_create"), _honour_data(branch=inside.branch.pk))
    honour = Honour.objects.latest("pk")
    assert response.status_code == 302
    assert (honour.branch, honour.title) == (inside.branch, "六好党支部")


def test_an_honour_known_to_the_month_is_kept_on_its_first_day_and_shown_as_written(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])
    data = _honour_data(branch=inside.branch.pk, awarded_on="2024-06-18", awarded_precision="month")

    assert client.post(reverse("branches:honour_create"), data).status_code == 302

    honour = Honour.objects.latest("pk")
    assert (honour.awarded_on, honour.awarded_display) == (dt.date(2024, 6, 1), "2024年6月")
    for url in (reverse("branches:honour_list"), honour.get_absolute_url(), inside.branch.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "2024年6月" in html
        assert "2024年6月1日" not in html


def test_honours_known_to_the_year_or_the_day_read_as_written_and_sort_by_their_first_day(inside):
    year = f.HonourFactory(branch=inside.branch, awarded_on=dt.date(2021, 1, 1), awarded_precision="year")
    day = f.HonourFactory(branch=inside.branch, awarded_on=dt.date(2021, 3, 5))
    month = f.HonourFactory(branch=inside.branch, awarded_on=dt.date(2021, 2, 1), awarded_precision="month")

    assert [h.awarded_display for h in (year, month, day)] == ["2021年", "2021年2月", "2021年3月5日"]
    ordered = list(Honour.objects.filter(pk__in=[year.pk, day.pk, month.pk]))
    assert ordered == [day, month, year]  # newest first, each by the first day it may stand for


def test_an_honour_without_a_precision_is_known_to_the_day(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])

    client.post(reverse("branches:honour_create"), _honour_data(branch=inside.branch.pk))

    honour = Honour.objects.latest("pk")
    assert (honour.awarded_precision, honour.awarded_display) == ("day", "2024年12月20日")


def test_the_committee_page_shows_its_honours_and_the_one_its_five_good_status_rests_on(client, inside, users):
    f.HonourFactory(
        committee=inside.committee,
        title="优秀“五好”基层关工委",
        level=Honour.Level.COUNTY,
        awarded_by="县关工委",
        awarded_on=dt.date(2024, 6, 1),
        awarded_precision="month",
    )
    f.HonourFactory(committee=inside.committee, title="关心下一代工作先进集体", level=Honour.Level.CITY)
    _login(client, users[Role.COMMITTEE_STAFF])

    response = client.get(inside.committee.get_absolute_url())

    html = response.content.decode()
    assert "关心下一代工作先进集体" in html
    five_good = html.split('data-testid="five-good"')[1].split("</dd>")[0]
    assert "优秀“五好”基层关工委" in five_good
    assert "（县级，县关工委，2024年6月）" in five_good


def test_the_honour_form_offers_title_suggestions(client, users):
    page = _login(client, users[Role.COUNTY_STAFF]).get(reverse("branches:honour_create")).content.decode()
    assert 'list="honour-title-suggestions"' in page
    assert '<option value="学习型先进党组织">' in page


def test_an_honour_with_two_recipients_is_refused_on_the_form(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(
        reverse("branches:honour_create"), _honour_data(branch=inside.branch.pk, person=inside.person.pk)
    )
    assert response.status_code == 200
    assert "请选择且只选择一个获奖对象" in response.content.decode()


def test_an_honour_cannot_go_to_a_branch_of_another_county(client, world, users):
    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(reverse("branches:honour_create"), _honour_data(branch=world.outside.branch.pk))
    assert response.status_code == 200
    assert not Honour.objects.filter(branch=world.outside.branch, awarded_on=dt.date(2024, 12, 20)).exists()


def test_the_honour_list_counts_by_level_and_year_and_filters(client, inside, users):
    f.HonourFactory(committee=inside.committee, title="优秀“五好”基层关工委", level=Honour.Level.COUNTY)
    f.HonourFactory(
        person=inside.person, title="优秀共产党员", level=Honour.Level.COUNTY, awarded_on=dt.date(2023, 7, 1)
    )
    _login(client, users[Role.COUNTY_STAFF])
    response = client.get(reverse("branches:honour_list"))
    counts = response.context["counts"]
    assert {row["level"]: row["count"] for row in counts["by_level"]} == {"county": 2, "province": 1}
    assert {row["year"]: row["count"] for row in counts["by_year"]} == {2024: 2, 2023: 1}

    people = client.get(reverse("branches:honour_list"), {"recipient": "person"}).context["object_list"]
    assert [h.title for h in people] == ["优秀共产党员"]
    found = client.get(reverse("branches:honour_list"), {"q": "五好", "year": 2024}).context["object_list"]
    assert [h.title for h in found] == ["优秀“五好”基层关工委"]


def test_the_honour_list_query_count_does_not_grow(client, inside, users, django_assert_max_num_queries):
    for n in range(15):
        f.HonourFactory(branch=inside.branch, title=f"先进集体{n}", awarded_on=dt.date(2010 + n, 6, 1))
        f.HonourFactory(person=inside.person, title=f"优秀共产党员{n}")
    _login(client, users[Role.COUNTY_STAFF])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("branches:honour_list")).status_code == 200


# --- Who may see and change honours (issue 6) -------------------------------------------------


@pytest.fixture
def person_honour(inside):
    """An honour of a retired cadre (inside.person, 内张谦)."""
    return f.HonourFactory(person=inside.person, title="优秀共产党员", level=Honour.Level.COUNTY)


def test_leaders_see_that_a_person_was_honoured_but_not_who(client, inside, users, person_honour):
    name = inside.person.name
    _login(client, users[Role.LEADER])
    listed = client.get(reverse("branches:honour_list")).content.decode()
    detail = client.get(person_honour.get_absolute_url()).content.decode()
    assert name not in listed
    assert name not in detail
    assert "个人" in listed
    assert "优秀共产党员" in detail

    _login(client, users[Role.COUNTY_STAFF])
    assert name in client.get(reverse("branches:honour_list")).content.decode()
    assert name in client.get(person_honour.get_absolute_url()).content.decode()


def test_the_honour_page_links_the_person_only_for_users_who_may_open_them(client, inside, users):
    # A retired cadre who is no volunteer of the committee (inside.person is one).
    retiree = f.RetireeFactory(branch=inside.branch, person=f.PersonFactory(region=inside.town))
    person_honour = f.HonourFactory(person=retiree.person, title="优秀共产党员", level=Honour.Level.COUNTY)
    person_url = retiree.person.get_absolute_url()
    _login(client, users[Role.COUNTY_STAFF])
    assert person_url in client.get(person_honour.get_absolute_url()).content.decode()

    # Committee staff read the honour, but a retired cadre is no person of theirs (PersonQuerySet).
    _login(client, users[Role.COMMITTEE_STAFF])
    page = client.get(person_honour.get_absolute_url()).content.decode()
    assert retiree.person.name in page
    assert person_url not in page
    assert client.get(person_url).status_code == 404


@pytest.mark.parametrize("recipient", ["branch", "person"])
def test_committee_staff_cannot_edit_or_archive_a_branchs_or_a_persons_honour(
    client, inside, users, person_honour, recipient
):
    honour = inside.honour if recipient == "branch" else person_honour
    before = (honour.version, honour.updated_at, len(history_of(honour, users[Role.COUNTY_STAFF])))
    _login(client, users[Role.COMMITTEE_STAFF])

    assert client.get(reverse("branches:honour_update", args=[honour.pk])).status_code == 403
    assert client.post(reverse("branches:honour_archive", args=[honour.pk])).status_code == 403
    page = client.get(honour.get_absolute_url()).content.decode()

    honour.refresh_from_db()
    assert honour.is_archived is False
    assert (honour.version, honour.updated_at, len(history_of(honour, users[Role.COUNTY_STAFF]))) == before
    assert reverse("branches:honour_archive", args=[honour.pk]) not in page
    assert reverse("branches:honour_update", args=[honour.pk]) not in page


def test_committee_staff_keep_their_committees_honours(client, inside, users):
    honour = f.HonourFactory(committee=inside.committee, title="优秀“五好”基层关工委")
    _login(client, users[Role.COMMITTEE_STAFF])
    page = client.get(honour.get_absolute_url()).content.decode()
    assert reverse("branches:honour_archive", args=[honour.pk]) in page
    assert client.post(reverse("branches:honour_archive", args=[honour.pk])).status_code == 302
    honour.refresh_from_db()
    assert honour.is_archived is True


def test_committee_staff_record_honours_of_committees_only(client, inside, users):
    # The committee's director is a person committee staff may pick, but a person's honour is county staff's.
    _login(client, users[Role.COMMITTEE_STAFF])
    refused = client.post(reverse("branches:honour_create"), _honour_data(person=inside.director_person.pk))
    assert refused.status_code == 200
    assert "您无权为所选的获奖对象登记荣誉" in refused.content.decode()
    assert not Honour.objects.filter(person=inside.director_person).exists()

    kept = client.post(reverse("branches:honour_create"), _honour_data(committee=inside.committee.pk))
    assert kept.status_code == 302
    assert Honour.objects.filter(committee=inside.committee, awarded_on=dt.date(2024, 12, 20)).exists()


def test_the_branch_page_shows_a_director_neither_the_branchs_assessment_nor_links_to_its_honours(
    client, inside, users
):
    """The director sees the branch their committee runs with, not its assessment or honours (404 for them)."""
    url = reverse("branches:branch_detail", args=[inside.branch.pk])
    assessment_url = inside.assessment.get_absolute_url()
    honour_url = inside.honour.get_absolute_url()
    _login(client, users[Role.COUNTY_STAFF])
    page = client.get(url).content.decode()
    assert assessment_url in page
    assert honour_url in page

    _login(client, users[Role.COMMITTEE_DIRECTOR])
    page = client.get(url).content.decode()
    assert client.get(assessment_url).status_code == 404
    assert assessment_url not in page
    assert honour_url not in page
    assert inside.honour.title in page


# --- Schemes --------------------------------------------------------------------------------


def test_a_shipped_scheme_is_read_only_and_can_be_copied(client, inside, users):
    shipped = AssessmentScheme.objects.get(region__isnull=True, name="六好离退休干部党支部")
    _login(client, users[Role.COUNTY_STAFF])
    page = client.get(shipped.get_absolute_url())
    assert page.context["can_edit"] is False
    assert page.context["can_copy"] is True
    assert client.get(reverse("branches:scheme_update", args=[shipped.pk])).status_code == 403

    response = client.post(reverse("branches:scheme_copy", args=[shipped.pk]))
    copy = AssessmentScheme.objects.get(region=inside.region, name="六好离退休干部党支部", pk__gt=inside.scheme.pk)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.criteria.count() == 6
    assert client.get(copy.get_absolute_url()).context["can_edit"] is True


def test_committee_staff_copy_and_edit_committee_schemes_only(client, inside, users):
    five_good = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    six_good = AssessmentScheme.objects.get(region__isnull=True, name="六好离退休干部党支部")
    _login(client, users[Role.COMMITTEE_STAFF])
    assert client.post(reverse("branches:scheme_copy", args=[six_good.pk])).status_code == 403
    client.post(reverse("branches:scheme_copy", args=[five_good.pk]))
    copy = AssessmentScheme.objects.get(region=inside.region, name="五好基层关工委")
    criterion = copy.criteria.get(order=1)
    response = client.post(
        reverse("branches:criterion_update", args=[criterion.pk]),
        {"order": 1, "title": "组织领导好", "max_score": "25", "description": "新要点", "version": criterion.version},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.max_score == Decimal(25)


def test_staff_above_a_county_cannot_create_a_countys_scheme(client, inside):
    province_staff = f.UserFactory(role=Role.COUNTY_STAFF, region=inside.region.parent.parent)
    _login(client, province_staff)
    response = client.post(reverse("branches:scheme_create"), {"name": "省定标准", "target": "branch"})
    assert response.status_code == 200
    assert "只有县（区）及以下的工作人员可以新建本县的评估标准" in response.content.decode()
    assert not AssessmentScheme.all_objects.filter(name="省定标准").exists()


def test_county_staff_add_and_reorder_criteria(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])
    url = reverse("branches:criterion_create", args=[inside.scheme.pk])
    assert client.get(url).context["form"].initial["order"] == 2
    response = client.post(url, {"order": 2, "title": "保障落实好", "max_score": "15", "description": "阵地、经费"})
    assert response.status_code == 302
    added = AssessmentCriterion.objects.get(scheme=inside.scheme, title="保障落实好")
    client.post(reverse("branches:criterion_move", args=[added.pk]), {"direction": "up"})
    titles = list(inside.scheme.criteria.order_by("order").values_list("title", flat=True))
    assert titles == ["保障落实好", "政治引领好"]


def test_a_criterion_with_no_points_is_refused_on_the_form(client, inside, users):
    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(
        reverse("branches:criterion_create", args=[inside.scheme.pk]), {"order": 2, "title": "空", "max_score": "0"}
    )
    assert response.status_code == 200
    assert "分值应大于0" in response.content.decode()


def test_a_secretary_sees_the_county_scheme_but_not_another_countys(world, users):
    secretary = users[Role.BRANCH_SECRETARY]
    visible = set(AssessmentScheme.objects.visible_to(secretary))
    assert world.inside.scheme in visible
    assert world.outside.scheme not in visible


# --- Assessments ----------------------------------------------------------------------------


@pytest.fixture
def assessment_2025(client, inside, users):
    """Started by the secretary through the page."""
    _login(client, users[Role.BRANCH_SECRETARY])
    response = client.post(
        reverse("branches:assessment_create"), {"scheme": inside.scheme.pk, "year": 2025, "branch": inside.branch.pk}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Assessment.objects.get(branch=inside.branch, year=2025)


def test_starting_the_same_assessment_twice_shows_a_clear_error(client, inside, assessment_2025):
    response = client.post(
        reverse("branches:assessment_create"), {"scheme": inside.scheme.pk, "year": 2025, "branch": inside.branch.pk}
    )
    assert response.status_code == 200
    assert "该支部本年度已有这项评估" in response.content.decode()


def test_a_secretary_is_offered_only_their_branch(client, world, users):
    form = _login(client, users[Role.BRANCH_SECRETARY]).get(reverse("branches:assessment_create")).context["form"]
    assert list(form.fields["branch"].queryset) == [world.inside.branch]
    assert "committee" not in form.fields
    assert world.outside.scheme not in form.fields["scheme"].queryset


def test_evidence_choices_are_the_branchs_records_of_that_year(client, inside, users, assessment_2025):
    this_year = f.ActivityFactory(branch=inside.branch, held_on=dt.date(2025, 7, 1), topic="七一主题党日")
    f.ActivityFactory(branch=inside.branch, held_on=dt.date(2024, 7, 1), topic="去年")
    f.ActivityFactory(branch=f.BranchFactory(region=inside.town), held_on=dt.date(2025, 7, 1), topic="别的支部")
    resolved = f.NeedFactory(
        branch=inside.branch, received_on=dt.date(2025, 3, 1), resolved_on=dt.date(2025, 3, 5), outcome="已送大字版"
    )
    f.NeedFactory(branch=inside.branch, received_on=dt.date(2025, 3, 1))  # still open
    item = assessment_2025.items.get()
    form = client.get(reverse("branches:assessment_item_update", args=[item.pk])).context["form"]
    assert list(form.fields["activities"].queryset) == [this_year]
    assert list(form.fields["needs"].queryset) == [resolved]


def test_a_self_score_above_the_maximum_is_refused_on_the_form(client, assessment_2025):
    item = assessment_2025.items.get()
    response = client.post(
        reverse("branches:assessment_item_update", args=[item.pk]),
        {"self_score": "12", "evidence": "", "version": item.version},
    )
    assert response.status_code == 200
    assert "自评分应在0到10分之间" in response.content.decode()


def test_an_activity_of_another_year_cannot_be_linked(client, inside, assessment_2025):
    old = f.ActivityFactory(branch=inside.branch, held_on=dt.date(2024, 7, 1))
    item = assessment_2025.items.get()
    response = client.post(
        reverse("branches:assessment_item_update", args=[item.pk]),
        {"self_score": "8", "activities": [old.pk], "version": item.version},
    )
    assert response.status_code == 200
    assert not item.activities.exists()


def test_the_flow_through_the_pages(client, inside, users, assessment_2025):
    activity = f.ActivityFactory(branch=inside.branch, held_on=dt.date(2025, 6, 28), topic="重温入党誓词")
    item = assessment_2025.items.get()
    url = reverse("branches:assessment_item_update", args=[item.pk])
    response = client.post(
        url, {"self_score": "9", "evidence": "三会一课记录齐全", "activities": [activity.pk], "version": item.version}
    )
    assert response.status_code == 302
    client.post(reverse("branches:assessment_submit", args=[assessment_2025.pk]))
    assessment_2025.refresh_from_db()
    assert assessment_2025.status == Assessment.Status.SUBMITTED
    # Submitted: the secretary can no longer change the self-assessment.
    assert client.get(url).status_code == 302

    town_staff = f.UserFactory(role=Role.COUNTY_STAFF, region=inside.town)
    _login(client, town_staff)
    review = reverse("branches:assessment_town_review", args=[assessment_2025.pk])
    assert client.get(review).context["refusal"] is None
    response = client.post(review, {"comment": "材料齐全", f"score_{item.pk}": "8.5"})
    assert response.status_code == 302

    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(
        reverse("branches:assessment_county_review", args=[assessment_2025.pk]),
        {"comment": "同意", f"score_{item.pk}": "8"},
    )
    assert response.status_code == 302
    page = client.get(assessment_2025.get_absolute_url())
    totals = page.context["totals"]
    assert (totals["self_total"], totals["town_total"], totals["county_total"]) == (
        Decimal(9),
        Decimal("8.5"),
        Decimal(8),
    )
    html = page.content.decode()
    assert "重温入党誓词" in html
    assert "县级已审定" in html
    assert town_staff.display_name in html


def test_a_review_score_above_the_maximum_is_refused_on_the_form(client, inside, users, assessment_2025):
    item = assessment_2025.items.get()
    AssessmentItem.objects.filter(pk=item.pk).update(self_score=9)
    client.post(reverse("branches:assessment_submit", args=[assessment_2025.pk]))
    _login(client, users[Role.COUNTY_STAFF])
    response = client.post(
        reverse("branches:assessment_county_review", args=[assessment_2025.pk]),
        {"comment": "同意", f"score_{item.pk}": "11"},
    )
    assert response.status_code == 200
    assessment_2025.refresh_from_db()
    assert assessment_2025.status == Assessment.Status.SUBMITTED


def test_submitting_an_unscored_assessment_explains_why(client, assessment_2025):
    response = client.post(reverse("branches:assessment_submit", args=[assessment_2025.pk]), follow=True)
    assert "请先完成自评" in response.content.decode()


def test_a_secretary_of_another_branch_gets_not_found(client, inside, assessment_2025):
    other_branch = f.BranchFactory(region=inside.town)
    person = f.PersonFactory(region=inside.town)
    f.PostFactory(person=person, branch=other_branch, role="secretary")
    _login(client, f.UserFactory(role=Role.BRANCH_SECRETARY, person=person))
    item = assessment_2025.items.get()
    assert client.get(assessment_2025.get_absolute_url()).status_code == 404
    assert client.get(reverse("branches:assessment_item_update", args=[item.pk])).status_code == 404
    assert client.post(reverse("branches:assessment_submit", args=[assessment_2025.pk])).status_code == 404


def test_a_director_starts_the_committee_assessment(client, inside, users):
    five_good = AssessmentScheme.objects.get(region__isnull=True, name="五好基层关工委")
    _login(client, users[Role.COMMITTEE_DIRECTOR])
    response = client.post(
        reverse("branches:assessment_create"), {"scheme": five_good.pk, "year": 2025, "committee": inside.committee.pk}
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(committee=inside.committee, year=2025)
    assert assessment.items.count() == 5
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_the_list_filters_by_status_and_target(client, inside, users, assessment_2025):
    _login(client, users[Role.COUNTY_STAFF])
    drafts = client.get(reverse("branches:assessment_list"), {"status": "draft", "year": 2025}).context["object_list"]
    assert list(drafts) == [assessment_2025]
    committees = client.get(reverse("branches:assessment_list"), {"target": "committee"}).context["object_list"]
    assert list(committees) == []


def _many_items(assessment, n):
    branch = assessment.branch
    for i in range(n):
        criterion = AssessmentCriterion.objects.create(scheme=assessment.scheme, order=10 + i, title=f"项目{i}")
        item = AssessmentItem.objects.create(assessment=assessment, criterion=criterion, self_score=5)
        item.activities.add(f.ActivityFactory(branch=branch, held_on=dt.date(assessment.year, 5, 1)))
        item.needs.add(
            f.NeedFactory(branch=branch, received_on=dt.date(2025, 1, 2), resolved_on=dt.date(2025, 1, 3), outcome="好")
        )


def test_the_assessment_pages_query_count_does_not_grow(
    client, inside, users, assessment_2025, django_assert_max_num_queries
):
    _many_items(assessment_2025, 8)
    for year in range(2015, 2025):
        Assessment.objects.create(scheme=inside.scheme, year=year, branch=inside.branch)
    _login(client, users[Role.COUNTY_STAFF])
    with django_assert_max_num_queries(14):
        assert client.get(assessment_2025.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("branches:assessment_list")).status_code == 200


def test_the_branch_summary_runs_two_queries(inside, assessment_2025, django_assert_num_queries):
    _many_items(assessment_2025, 3)
    f.HonourFactory(branch=inside.branch, title="先进基层党组织", level=Honour.Level.COUNTY)
    with django_assert_num_queries(2):
        summary = branch_recognition_summary(inside.branch)
    assert summary["honour_count"] == 2
    assert summary["latest_assessment"].year == 2026
    assert summary["latest_assessment"].max_total == Decimal(10)


def test_the_committee_summary_shows_its_honours(inside, django_assert_num_queries):
    f.HonourFactory(committee=inside.committee, title="优秀“五好”基层关工委", level=Honour.Level.COUNTY)
    with django_assert_num_queries(2):
        summary = committee_recognition_summary(inside.committee)
    assert [h.title for h in summary["honours"]] == ["优秀“五好”基层关工委"]
    assert summary["latest_assessment"] is None


def test_the_summary_partials_render(inside, users, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = users[Role.COUNTY_STAFF]
    html = render_to_string(
        "branches/partials/recognition_branch_summary.html",
        {"summary": branch_recognition_summary(inside.branch)},
        request=request,
    )
    assert "六好党支部" in html
    assert "2026" in html


def test_reviewers_see_waiting_assessments_and_their_own_review_button(client, inside, users, assessment_2025):
    AssessmentItem.objects.filter(assessment=assessment_2025).update(self_score=9)
    client.post(reverse("branches:assessment_submit", args=[assessment_2025.pk]))

    _login(client, f.UserFactory(role=Role.COUNTY_STAFF, region=inside.town))
    page = client.get(assessment_2025.get_absolute_url())
    assert (page.context["can_town_review"], page.context["can_county_review"]) == (True, False)

    _login(client, users[Role.COUNTY_STAFF])
    home = client.get(reverse("core:home")).content.decode()
    assert "年度评估待审核" in home
    page = client.get(assessment_2025.get_absolute_url())
    assert (page.context["can_town_review"], page.context["can_county_review"]) == (False, True)
