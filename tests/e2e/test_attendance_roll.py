"""The roll of a 74-member branch on a 375 px phone: a theme day with 5 present, in under 20 taps.

The secretary's branch gets the size of the demo's 苏稽镇机关退休党支部 (74 members in four
党小组). Every click below is one tap on the phone; typing into the search box is not a tap.
"""

import itertools
import time

import pytest

from branches.models import Activity, Attendance, Membership, Retiree
from core.pinyin import name_pinyin
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "建国", "桂兰", "志明", "淑珍", "德胜", "玉梅", "光荣", "凤英", "永福"]
GROUPS = ["第一党小组", "第二党小组", "第三党小组", "第四党小组"]


def _names(count: int, taken: set[str]) -> list[str]:
    names = (s + g for g, s in itertools.product(GIVEN, SURNAMES))
    return [n for n in names if n not in taken][:count]


def test_a_theme_day_with_5_of_74_present_takes_under_20_taps(e2e_world, login, page, screenshot):
    branch = e2e_world.inside.branch
    Retiree.objects.filter(branch=branch).update(party_group=GROUPS[0])
    taken = set(Retiree.objects.filter(branch=branch).values_list("person__name", flat=True))
    for n, name in enumerate(_names(74 - len(taken), taken)):
        person = f.PersonFactory(region=e2e_world.inside.town, name=name)
        f.RetireeFactory(branch=branch, person=person, party_group=GROUPS[n % len(GROUPS)])
    members = Membership.objects.filter(branch=branch, end_on__isnull=True).count()
    assert members == 74
    came = ["王秀英", "李建国", "张桂兰", "刘志明", "陈志明"]
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    login("branch_secretary")
    started = time.monotonic()
    tap(page.locator("[data-testid=record-activity]"))
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-member]").count() == 74
    headings = page.locator("[data-roll-group]")
    assert [headings.nth(i).inner_text() for i in range(headings.count())] == GROUPS
    bar = page.locator("[data-roll-bar]")
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"] + 1  # 保存 is on screen at once

    tap(page.locator("input[name=topic]"))
    page.keyboard.type("主题党日：重温入党誓词")
    tap(page.locator("[data-testid=roll-none]"))
    search = page.locator("[data-roll-search]")
    for n, name in enumerate(came):
        tap(search)
        full, initials = name_pinyin(name)
        # By characters, full pinyin with a space, and initials: each finds the one person.
        query = [name, f"{full[:-3]} {full[-3:]}", initials][n % 3]
        search.fill(query)
        visible = page.locator("[data-member]:visible")
        assert visible.count() >= 1
        tap(visible.filter(has_text=name).locator("label"))
        if n == 0:
            screenshot("roll-1-search")
    assert page.locator("[data-present-count]").inner_text() == "出席 5 / 74 人"
    screenshot("roll-2-five-ticked")
    tap(page.locator("[data-testid=save-activity]"))
    page.wait_for_load_state("networkidle")
    elapsed = time.monotonic() - started

    activity = Activity.objects.get(branch=branch, topic="主题党日：重温入党誓词")
    present = set(activity.attendances.filter(status=Attendance.Status.PRESENT).values_list("person__name", flat=True))
    assert present == set(came)
    assert activity.attendances.filter(status=Attendance.Status.ABSENT).count() == 69
    assert taps < 20, taps
    assert elapsed < 60
    screenshot("roll-3-saved")
