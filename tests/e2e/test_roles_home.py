"""Each role logs in, sees its home page in Chinese, and switches to large font."""

import pytest

from core.scoping import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_home_page_and_can_switch_to_large_font(e2e_world, login, page, screenshot, role):
    user = e2e_world.users[role]
    login(user.username)

    assert page.locator("[data-testid=role]").inner_text().find(str(role.label)) >= 0
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "退出" in page.content()
    screenshot(f"home-{role.value}")

    page.click("[data-testid=large-font-toggle]")
    page.wait_for_load_state("networkidle")
    assert "yl-large-font" in (page.locator("html").get_attribute("class") or "")
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_px >= 18
    screenshot(f"home-{role.value}-large-font")

    # Remembered per user: a fresh page load keeps it.
    page.reload()
    assert "yl-large-font" in (page.locator("html").get_attribute("class") or "")
    user.refresh_from_db()
    assert user.large_font is True
