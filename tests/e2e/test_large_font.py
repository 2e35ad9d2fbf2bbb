"""Large-font mode (适老化) on a 375 px phone, for each role's main pages: every visible thing one can tap
is at least 60 × 60 px, the navbar is one row, and the language switch is not next to 大字.

Screenshots: artifacts/screenshots/large-font-<role>-<n>.png."""

import re

import pytest
from django.urls import reverse

from core.scoping import Role

pytestmark = pytest.mark.django_db(transaction=True)

TOUCH = 60
MAX_PAGES = 8  # home and the first menu entries of each role

# The tap target of each visible interactive element: a checkbox or radio is tapped through its
# label; a hidden .btn-check through its label; a picker's typing box through the picker. Elements
# that are not shown (closed menus, collapsed filters, visually hidden skip links) are left out.
MEASURE = """
([touch, root]) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false;
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
      if (node.tagName === 'DETAILS' && !node.open && node !== el && !el.closest('summary')) return false;
    }
    return true;
  };
  const labelOf = (el) => el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
  const target = (el) => {
    if (el.closest('.ts-control')) return el.closest('.ts-wrapper');
    if ((el.type === 'checkbox' || el.type === 'radio' || el.type === 'file') && labelOf(el)) {
      const own = el.getBoundingClientRect();
      const label = labelOf(el).getBoundingClientRect();
      return label.width * label.height > own.width * own.height ? labelOf(el) : el;
    }
    return el;
  };
  const out = [];
  const seen = new Set();
  document.querySelector(root).querySelectorAll(selector).forEach((el) => {
    if (el.classList.contains('btn-check') || getComputedStyle(el).pointerEvents === 'none') {
      el = labelOf(el) || el;
    }
    if (el.matches('select.ts-hidden-accessible, .ts-hidden-accessible *')) return;
    if (!shown(el)) return;
    const t = target(el);
    if (seen.has(t)) return;
    seen.add(t);
    const box = t.getBoundingClientRect();
    if (box.width + 0.5 < touch || box.height + 0.5 < touch) {
      const text = (t.innerText || t.value || t.getAttribute('aria-label') || t.name || '').trim().slice(0, 30);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      out.push(`${t.tagName.toLowerCase()}${t.id ? '#' + t.id : ''} "${text}" ${size}`);
    }
  });
  return out;
}
"""


# The long forms of a role's daily work, beyond its menu.
FORMS = {
    Role.BRANCH_SECRETARY: lambda world: f"{reverse('branches:activity_create')}?branch={world.inside.branch.pk}",
    Role.COUNTY_STAFF: lambda world: reverse("branches:retiree_create"),
}


def _main_pages(page, base_url) -> list[str]:
    """Home, then the role's menu entries in menu order (the menu holds a role's daily pages)."""
    hrefs = page.eval_on_selector_all(
        "#yl-nav a.nav-link[href], #yl-nav a.dropdown-item[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    paths = ["/"]
    for href in hrefs:
        if href.startswith("/") and not href.startswith("/admin/") and href not in paths:
            paths.append(href)
    return [base_url + path for path in paths[:MAX_PAGES]]


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.split("//", 1)[-1].split("/", 1)[-1].lower()).strip("-") or "home"


@pytest.mark.parametrize("role", list(Role))
def test_every_target_is_60_px_in_large_font_mode_on_a_phone(e2e_world, login, page, live_server, screenshot, role):
    login(e2e_world.users[role].username)
    page.click("[data-testid=large-font-toggle]")
    page.wait_for_load_state("networkidle")
    assert "yl-large-font" in (page.locator("html").get_attribute("class") or "")

    violations = {}
    pages = _main_pages(page, live_server.url)
    if role in FORMS:
        pages.append(live_server.url + FORMS[role](e2e_world))
    for number, url in enumerate(pages):
        page.goto(url)
        page.wait_for_load_state("load")  # the page's scripts have run; its lookups need not have answered
        name = f"large-font-{role.value}-{_slug(url)}"
        screenshot(name)

        # The navbar: one row (brand, 大字, menu button side by side), no language switch in it.
        row = page.evaluate(
            """() => Array.from(document.querySelectorAll('.navbar > .container-fluid > *'))
                 .filter(el => el.getBoundingClientRect().height > 0 && getComputedStyle(el).display !== 'none')
                 .map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2))"""
        )
        assert max(row) - min(row) <= 8, f"{url}: the navbar wraps ({row})"
        assert page.locator("[data-testid=language-switch]").is_visible() is False

        found = page.evaluate(MEASURE, [TOUCH, "body"])
        if number == 0:
            # The phone menu, opened: its entries are targets too (the menu is the same on every page).
            page.click(".navbar-toggler")
            page.locator("#yl-nav.show").wait_for()
            page.wait_for_timeout(400)  # the collapse animation
            found += [f"(menu) {v}" for v in page.evaluate(MEASURE, [TOUCH, "#yl-nav"])]
        if found:
            violations[url.removeprefix(live_server.url)] = sorted(set(found))

    assert not violations, "targets under 60×60 px in large-font mode:\n" + "\n".join(
        f"{url}:\n  " + "\n  ".join(items) for url, items in violations.items()
    )


def test_the_language_switch_is_far_from_the_large_font_switch_on_a_desktop(e2e_world, login, page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(e2e_world.users[Role.COUNTY_STAFF].username)
    large = page.locator("[data-testid=large-font-toggle]").bounding_box()
    language = page.locator("[data-testid=language-switch] button").bounding_box()
    gap = max(large["x"] - (language["x"] + language["width"]), language["x"] - (large["x"] + large["width"]))
    assert gap >= 2 * TOUCH
