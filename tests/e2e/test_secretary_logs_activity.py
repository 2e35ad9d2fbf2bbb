"""A branch secretary on a 375 px phone logs a theme day with 5 attendees and 2 photos."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from PIL import Image

from branches.models import Activity, Attendance, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _png(path, color):
    Image.new("RGB", (1200, 900), color).save(path, "PNG")
    return str(path)


def test_a_secretary_logs_a_theme_day_on_a_phone(e2e_world, login, page, live_server, screenshot, tmp_path):
    branch = e2e_world.inside.branch
    # The world's branch has one retiree; give it six more (seven current members).
    for name in ("王秀英", "李建国", "刘桂兰", "陈志明", "杨淑珍", "赵德胜"):
        f.RetireeFactory(branch=branch, person=f.PersonFactory(region=e2e_world.inside.town, name=name))
    members = Membership.objects.filter(branch=branch).open_on(dt.date.today()).count()
    assert members >= 6
    absent = {"刘桂兰", "赵德胜"}  # 7 members, 5 attend

    login("branch_secretary")
    home = page.locator("[data-testid=record-activity]")
    assert home.bounding_box()["height"] >= 60
    screenshot("activity-1-home-panel")
    home.click()
    page.wait_for_load_state("networkidle")

    page.get_by_text("主题党日", exact=True).click()
    page.fill("input[name=topic]", "重温入党誓词，学习四中全会精神")
    for name in absent:
        page.locator("[data-member] label", has_text=name).click()
    # The reason box opens only when asked for.
    reason = page.locator(f"input[name=reason_{_pk_of(branch, '刘桂兰')}]")
    assert reason.is_hidden()
    page.locator("[data-member]", has_text="刘桂兰").locator("[data-reason-toggle]").click()
    reason.fill("住院")
    assert page.locator("input[name=present]:checked").count() == members - 2 == 5
    page.set_input_files(
        "input[name=photos]", [_png(tmp_path / "合影.png", "red"), _png(tmp_path / "学习.png", "navy")]
    )
    page.locator("[data-present-count]").scroll_into_view_if_needed()
    screenshot("activity-2-form-filled")
    page.click("[data-testid=save-activity]")
    page.wait_for_load_state("networkidle")

    activity = Activity.objects.get(branch=branch, topic__startswith="重温入党誓词")
    assert activity.kind == Activity.Kind.THEME_DAY
    assert activity.attendances.filter(status=Attendance.Status.PRESENT).count() == 5
    assert activity.attendances.get(person__name="刘桂兰").absence_reason == "住院"
    assert activity.photos.count() == 2

    # The detail page: five present, two photos served through the scoped view.
    assert page.url.endswith(activity.get_absolute_url())
    assert "出席 5 人" in page.locator("[data-testid=attendance-heading]").inner_text()
    images = page.locator("[data-testid=photos] img")
    assert images.count() == 2
    assert all(page.evaluate("(img) => img.naturalWidth", images.nth(i).element_handle()) > 0 for i in range(2))
    screenshot("activity-3-detail")

    # And on the branch's page: the branch detail once it includes the activity summary
    # (templates/branches/partials/activity_branch_summary.html), else the branch's activity list.
    try:
        page.goto(f"{live_server.url}{reverse('branches:branch_detail', args=[branch.pk])}")
        page.wait_for_load_state("networkidle")
        on_branch_page = page.locator("[data-testid=branch-activity-summary]").count() == 1
    except NoReverseMatch:
        on_branch_page = False
    if not on_branch_page:
        page.goto(f"{live_server.url}{reverse('branches:activity_list')}?branch={branch.pk}")
        page.wait_for_load_state("networkidle")
    assert "重温入党誓词" in page.content()
    screenshot("activity-4-branch-page")

    # The compliance calendar now shows this month's theme day as done, in words.
    page.goto(f"{live_server.url}{reverse('branches:compliance', args=[branch.pk])}")
    cell = page.locator(f"td[data-kind=theme_day][data-month='{activity.held_on.month}']")
    assert "yl-done" in cell.get_attribute("class")
    assert "已完成" in cell.inner_text()
    screenshot("activity-5-compliance")


def _pk_of(branch, name):
    return Membership.objects.get(branch=branch, retiree__person__name=name).retiree.person_id
