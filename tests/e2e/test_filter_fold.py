"""On a 375 px phone the list's filters fold behind 筛选 (with the number that are on), the first
result is near the top; on a desktop they are open."""

import pytest
from django.urls import reverse

from core.scoping import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_filters_fold_on_a_phone_and_stay_open_on_a_desktop(e2e_world, login, page, live_server, screenshot):
    login(e2e_world.users[Role.COUNTY_STAFF].username)
    page.goto(f"{live_server.url}{reverse('branches:retiree_list')}?status=retired&is_party_member=true")
    page.wait_for_load_state("networkidle")

    toggle = page.locator("[data-testid=filter-toggle]")
    fold = page.locator("[data-testid=filter-fold]")
    assert toggle.is_visible()
    assert page.locator("[data-testid=filter-count]").inner_text() == "2"
    assert fold.is_visible() is False
    assert page.locator("input[name=q]").is_visible()
    first_result = page.locator("table.yl-card-list tbody tr").first.bounding_box()
    assert first_result["y"] < 700, f"the first result starts {first_result['y']} px down"
    screenshot("filters-1-folded")

    toggle.click()
    page.locator("[data-testid=filter-fold].show").wait_for()
    assert page.locator("select[name=status]").is_visible()
    screenshot("filters-2-open")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert fold.is_visible()
    assert toggle.is_visible() is False
