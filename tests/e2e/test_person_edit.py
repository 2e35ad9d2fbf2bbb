"""County staff on a 375 px phone correct a person's phone number; a stale second form is refused."""

import pytest

from core.models import Person
from core.scoping import Role
from tests import factories as f
from tests.e2e.conftest import PHONE
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = "main form.yl-form button[type=submit]"


def open_edit_form(page, live_server, person):
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    page.click(f"a[href='/people/{person.pk}/edit/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/people/{person.pk}/edit/")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_county_staff_fix_a_bad_mobile_number_and_a_stale_form_is_refused(
    e2e_world, login, page, browser, live_server, screenshot, request
):
    person = e2e_world.inside.person
    f.UserFactory(username="county_colleague", role=Role.COUNTY_STAFF, region=e2e_world.inside.region)

    # A colleague opens the same form first, on another phone, and leaves it open.
    other = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    request.addfinalizer(other.close)
    other.set_default_timeout(15_000)
    stale = other.new_page()
    stale.goto(f"{live_server.url}/login/")
    stale.fill("input[name=username]", "county_colleague")
    stale.fill("input[name=password]", PASSWORD)
    stale.click("main form button[type=submit]")
    stale.wait_for_load_state("networkidle")
    open_edit_form(stale, live_server, person)

    login("county_staff")
    open_edit_form(page, live_server, person)
    assert fits_the_phone(page) is True

    # A mobile number with too few digits: the Chinese error sits on the field.
    page.fill("input[name=mobile]", "12345")
    page.click(SUBMIT)
    page.wait_for_load_state("networkidle")
    mobile = page.locator("input[name=mobile]")
    error = page.locator("#div_id_mobile .invalid-feedback")
    assert "is-invalid" in (mobile.get_attribute("class") or "")
    assert "手机号码格式不正确" in error.inner_text()
    assert error.is_visible() is True
    assert fits_the_phone(page) is True
    error.scroll_into_view_if_needed()
    screenshot("person-edit-1-mobile-error")
    assert Person.objects.get(pk=person.pk).mobile == person.mobile

    # Fixed, with the spaces people type: saved, normalised, and confirmed.
    page.fill("input[name=mobile]", "138 1234 5678")
    page.click(SUBMIT)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(person.get_absolute_url())
    assert "已保存" in page.locator("main .alert-success").inner_text()
    assert "13812345678" in page.locator("main dl").inner_text()
    screenshot("person-edit-2-saved")
    assert Person.objects.get(pk=person.pk).mobile == "13812345678"

    # The colleague's form still carries the old version: their save is refused, the fix is kept.
    stale.fill("input[name=address]", "灵溪镇新街1号")
    stale.click(SUBMIT)
    stale.wait_for_load_state("networkidle")
    conflict = stale.locator("main .alert-danger")
    assert "保存未成功：这条记录已在" in conflict.inner_text()
    assert "这条记录已在" in conflict.inner_text()  # who saved it and when (core.forms conflict_error)
    assert stale.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    stale.screenshot(path=_artifact("person-edit-3-conflict"), full_page=True)
    saved = Person.objects.get(pk=person.pk)
    assert (saved.mobile, saved.address) == ("13812345678", person.address)


def _artifact(name: str) -> str:
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
