"""Confirm and undo for steps easy to tap by mistake: 办结, 登记送学, a transfer and a review
(乡镇审核, 县级审定) offer a 撤销 link for a few minutes."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from branches.models import Activity, Assessment, AssessmentItem, Attendance, Membership, Need, Retiree
from core import undo
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Attendance.Status


def _undo_link(response) -> str:
    html = response.content.decode()
    match = re.search(r'<a class="alert-link yl-undo" href="([^"]+)"', html)
    assert match, "the success message has no 撤销 link"
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def secretary_client(client, world):
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    return client


def _resolve(client, need):
    return client.post(
        reverse("branches:need_resolve", args=[need.pk]),
        {"resolved_on": dt.date(2026, 5, 1).isoformat(), "outcome": "已送去大字版学习资料"},
        follow=True,
    )


def test_a_resolved_need_can_be_reopened_from_the_success_message(secretary_client, world):
    need = world.inside.need
    link = _undo_link(_resolve(secretary_client, need))

    page = secretary_client.get(link)
    assert page.status_code == 200
    assert "改回“未办结”" in page.content.decode()
    done = secretary_client.post(link, follow=True)

    need.refresh_from_db()
    assert need.resolved_on is None
    assert need.outcome == ""
    assert "已撤销办结" in done.content.decode()
    assert done.redirect_chain[-1][0] == need.get_absolute_url()


def test_undo_after_the_window_is_refused_with_a_message(secretary_client, world, monkeypatch):
    need = world.inside.need
    link = _undo_link(_resolve(secretary_client, need))
    later = signing.time.time() + undo.UNDO_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)

    refused = secretary_client.post(link, follow=True)

    need.refresh_from_db()
    assert need.resolved_on == dt.date(2026, 5, 1)
    assert "撤销的时限（5分钟）已过" in refused.content.decode()


def test_undo_is_refused_when_the_need_was_changed_since(secretary_client, world):
    need = world.inside.need
    link = _undo_link(_resolve(secretary_client, need))
    Need.objects.filter(pk=need.pk).update(outcome="后来补充的办理结果")

    refused = secretary_client.post(link, follow=True)

    need.refresh_from_db()
    assert need.resolved_on == dt.date(2026, 5, 1)
    assert "不能撤销" in refused.content.decode()


def test_another_county_cannot_use_the_undo_link(client, secretary_client, world):
    link = _undo_link(_resolve(secretary_client, world.inside.need))
    client.force_login(world.users[Role.LEADER])
    assert client.post(link).status_code == 404
    world.inside.need.refresh_from_db()
    assert world.inside.need.resolved_on is not None


def test_a_forged_token_is_not_found(secretary_client):
    assert secretary_client.get(reverse("core:undo", args=["forged:token"])).status_code == 404


def test_a_home_study_visit_can_be_undone(secretary_client, world):
    inside = world.inside
    meeting = Activity.objects.create(
        branch=inside.branch, kind=Activity.Kind.THEME_DAY, held_on=dt.date(2026, 3, 5), topic="主题党日"
    )
    absence = Attendance.objects.create(activity=meeting, person=inside.retiree.person, status=Status.ABSENT)
    recorded = secretary_client.post(
        reverse("branches:home_study_catch_up", args=[inside.retiree.person_id]), {"on": "2026-03-10"}, follow=True
    )
    absence.refresh_from_db()
    assert absence.status == Status.CAUGHT_UP
    visits = list(Activity.objects.filter(branch=inside.branch, kind=Activity.Kind.HOME_STUDY, held_on="2026-03-10"))
    assert visits  # one visit entry per missed meeting (the world's member missed another one too)

    secretary_client.post(_undo_link(recorded))

    absence.refresh_from_db()
    assert (absence.status, absence.caught_up_on) == (Status.ABSENT, None)
    assert not Activity.objects.filter(pk__in=[v.pk for v in visits]).exists()  # archived: nobody is left on them
    assert Activity.all_objects.filter(pk__in=[v.pk for v in visits]).count() == len(visits)
    # …and recording it again afterwards works (the archived line comes back).
    again = secretary_client.post(
        reverse("branches:home_study_catch_up", args=[inside.retiree.person_id]), {"on": "2026-03-10"}
    )
    assert again.status_code == 302
    absence.refresh_from_db()
    assert absence.status == Status.CAUGHT_UP


# --- transfer and review (乡镇审核, 县级审定) ----------------------------------------------------


def _transfer(client, retiree, to_branch):
    return client.post(
        reverse("branches:retiree_transfer", args=[retiree.pk]),
        {"to_branch": to_branch.pk, "on": "2026-07-01", "reason": "transferred"},
        follow=True,
    )


def test_a_transfer_can_be_undone_and_the_retiree_is_back_in_the_branch(client, world):
    inside = world.inside
    retiree = inside.retiree
    other = f.BranchFactory(region=inside.town)
    before = Membership.objects.get(retiree=retiree, end_on__isnull=True)
    client.force_login(world.users[Role.COUNTY_STAFF])
    moved = _transfer(client, retiree, other)
    retiree.refresh_from_db()
    assert retiree.branch == other
    link = _undo_link(moved)

    assert "撤销" in client.get(link).content.decode()
    done = client.post(link, follow=True)

    retiree.refresh_from_db()
    before.refresh_from_db()
    assert retiree.branch_id == inside.branch.pk
    assert (before.end_on, before.end_reason) == (None, "")
    undone = Membership.all_objects.get(retiree=retiree, branch=other)
    assert undone.archived_at is not None  # kept, and out of every count
    assert not Membership.objects.filter(retiree=retiree, branch=other).exists()
    assert "已撤销转接" in done.content.decode()


def test_a_transfer_is_not_undone_after_a_later_change(client, world):
    inside = world.inside
    other = f.BranchFactory(region=inside.town)
    client.force_login(world.users[Role.COUNTY_STAFF])
    link = _undo_link(_transfer(client, inside.retiree, other))
    Retiree.objects.filter(pk=inside.retiree.pk).update(limited_mobility=True)

    refused = client.post(link, follow=True)

    inside.retiree.refresh_from_db()
    assert inside.retiree.branch == other
    assert "不能撤销" in refused.content.decode()


def _reviewed(client, world):
    """The world's branch's 2025 assessment, started and submitted by the secretary, 审定 by the county."""
    inside = world.inside
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    client.post(
        reverse("branches:assessment_create"), {"scheme": inside.scheme.pk, "year": 2025, "branch": inside.branch.pk}
    )
    assessment = Assessment.objects.get(branch=inside.branch, year=2025)
    AssessmentItem.objects.filter(assessment=assessment).update(self_score=9)
    client.post(reverse("branches:assessment_submit", args=[assessment.pk]))
    client.force_login(world.users[Role.COUNTY_STAFF])
    scores = {f"score_{item.pk}": "8" for item in assessment.items.all()}
    response = client.post(
        reverse("branches:assessment_county_review", args=[assessment.pk]),
        {"comment": "同意", **scores},
        follow=True,
    )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.REVIEWED
    return assessment, _undo_link(response)


def test_a_county_review_can_be_undone_and_keeps_its_scores_as_a_draft(client, world):
    assessment, link = _reviewed(client, world)

    done = client.post(link, follow=True)

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert (assessment.county_reviewed_at, assessment.county_reviewed_by) == (None, None)
    assert assessment.county_comment == "同意"
    assert set(assessment.items.values_list("county_score", flat=True)) == {Decimal(8)}
    assert "已撤销审核" in done.content.decode()
    # …and the county can review it again.
    again = client.get(reverse("branches:assessment_county_review", args=[assessment.pk]))
    assert again.context["refusal"] is None


def test_the_secretary_cannot_undo_the_county_review(client, world):
    assessment, link = _reviewed(client, world)
    client.force_login(world.users[Role.BRANCH_SECRETARY])

    assert client.post(link).status_code in {403, 404}

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.REVIEWED
