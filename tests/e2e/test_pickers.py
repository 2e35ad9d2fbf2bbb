"""County staff on a 375 px phone find a person for a branch post by typing pinyin initials, then in large type."""

import pytest
from django.urls import reverse

from branches.models import Post
from core.models import Person
from tests import factories as f
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

CONTROL = "#id_person-ts-control"  # the text box Tom Select puts in front of <select name=person>
OPTIONS = ".ts-dropdown .option"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def open_post_form(page, live_server, branch):
    page.goto(f"{live_server.url}{reverse('branches:post_create_for_branch', kwargs={'branch_pk': branch.pk})}")
    page.wait_for_load_state("networkidle")


def type_into_picker(page, text: str, expected: int):
    page.click(CONTROL)
    page.locator(CONTROL).press_sequentially(text, delay=80)
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length === n", arg=[OPTIONS, expected]
    )
    return [t.strip() for t in page.locator(OPTIONS).all_inner_texts()]


def test_county_staff_pick_a_person_by_initials_on_a_phone(e2e_world, login, page, live_server, screenshot):
    inside, outside = e2e_world.inside, e2e_world.outside
    # The world's other people have random names: give them ones no search below matches.
    others = Person.objects.in_region(inside.region).exclude(pk=inside.person.pk)
    for person, name in zip(others, ("王秀英", "李建国", "刘桂兰", "陈志明", "杨淑珍", "吴德胜"), strict=False):
        person.name = name
        person.save()
    people = {name: f.PersonFactory(name=name, region=inside.town) for name in ("张谦", "张强", "赵琴", "李明")}
    f.PersonFactory(name="张秋", region=outside.town)  # zq as well, in a county the user may not see
    branch = inside.branch

    login("county_staff")
    open_post_form(page, live_server, branch)
    assert page.locator("select[name=person] option[value]:not([value=''])").count() == 0
    assert fits_the_phone(page) is True

    # "zq": the initials of 张谦, 张强 and 赵琴, and not of 李明; 张秋 lives in the other county.
    shown = type_into_picker(page, "zq", 3)
    assert sorted(shown) == sorted(["张谦（灵溪镇）", "张强（灵溪镇）", "赵琴（灵溪镇）"])
    assert "张秋" not in page.content()
    assert fits_the_phone(page) is True
    screenshot("picker-1-initials-zq")

    page.locator(OPTIONS, has_text="张谦").click()
    assert page.locator("select[name=person]").input_value() == str(people["张谦"].pk)
    assert "张谦（灵溪镇）" in page.locator("#div_id_person .ts-control").inner_text()
    page.select_option("select[name=role]", Post.Role.COMMITTEE_MEMBER)
    page.fill("input[name=start_on]", "2026-03-01")  # type=date: the phone's own date picker
    screenshot("picker-2-chosen")
    page.click("main form.yl-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    post = Post.objects.get(branch=branch, person=people["张谦"])
    assert post.start_on.isoformat() == "2026-03-01"

    # Large type (适老化): the picker's box and its answers grow with the text.
    page.click("[data-testid=large-font-toggle]")
    page.wait_for_load_state("networkidle")
    open_post_form(page, live_server, branch)
    shown = type_into_picker(page, "zhang", 3)  # 张谦 (a post holder now, still offered), 张强, 内张谦
    assert sorted(shown) == sorted(["张谦（灵溪镇）", "张强（灵溪镇）", "内张谦（灵溪镇）"])
    assert page.locator("#div_id_person .ts-wrapper").bounding_box()["height"] >= 60
    assert page.locator(OPTIONS).first.bounding_box()["height"] >= 60
    assert page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{OPTIONS}')).fontSize)") >= 18
    assert fits_the_phone(page) is True
    screenshot("picker-3-large-font")

    # The keyboard alone picks too: arrow down to the answer, Enter.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    zhangs = {str(p.pk) for p in (people["张谦"], people["张强"], inside.person)}
    assert page.locator("select[name=person]").input_value() in zhangs
