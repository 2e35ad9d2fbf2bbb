"""A committee director on a phone records a drowning patrol by 3 volunteers for 2 hours each,
confirms a team leader's waiting record, sees the hours on a volunteer's page, issues a certificate,
and a logged-out browser verifies it from its QR URL."""

import datetime as dt

import pytest

from tests import factories as f
from tests.e2e.conftest import ARTIFACTS
from volunteers import models as v
from volunteers.certificates import mask_name

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_director_records_confirms_certifies_and_anyone_verifies(
    e2e_world, browser, login, page, live_server, screenshot
):
    inside = e2e_world.inside
    crew = [inside.volunteer, inside.leader_volunteer]
    person = f.PersonFactory(region=inside.town, name="何淑芬")
    crew.append(
        v.Volunteer.objects.create(
            person=person,
            committee=inside.committee,
            number="WL00003",
            category=v.Volunteer.Category.TEACHER,
            registered_on=dt.date(2024, 1, 1),
        )
    )
    day = dt.date.today() - dt.timedelta(days=1)

    login("committee_director")
    assert "1 条服务等待您确认" in page.locator("[data-testid=pending-panel]").inner_text()
    screenshot("volunteers-1-director-home")

    # One drowning patrol, three ticks, two hours each.
    page.goto(f"{live_server.url}/volunteers/service/new/")
    page.fill("input[name=served_on]", day.isoformat())
    page.select_option("select[name=kind]", "drowning_patrol")
    page.fill("input[name=place]", "灵溪河石桥段")
    page.fill("input[name=hours]", "2")
    for volunteer in crew:
        page.check(f"input[name=volunteers][value='{volunteer.pk}']")
    page.fill("input[name=minors_served]", "12")
    screenshot("volunteers-2-patrol-form")
    # Sent from the phone keyboard's 前往 key (implicit submission through the form's 保存 button):
    # in this headless run a click on 保存 right after the fields were filled sent nothing.
    with page.expect_navigation():
        page.press("input[name=minors_served]", "Enter")
    assert "已记录并确认" in page.locator(".alert").first.inner_text()
    record = v.ServiceRecord.objects.get(served_on=day, kind="drowning_patrol")
    assert record.status == v.ServiceRecord.Status.CONFIRMED
    assert list(record.hours.values_list("hours", flat=True)) == [2, 2, 2]
    assert page.locator("[data-testid=status]").inner_text() == "已确认"

    # The team leader's waiting record, confirmed from the list.
    page.goto(f"{live_server.url}/volunteers/service/?status=pending")
    page.check(f"input[name=records][value='{inside.service_record.pk}']")
    screenshot("volunteers-3-pending-list")
    with page.expect_navigation():
        page.click("[data-testid=bulk-actions] button:has-text('确认所选')")
    inside.service_record.refresh_from_db()
    assert inside.service_record.status == v.ServiceRecord.Status.CONFIRMED

    # The volunteer's page: the world's 2 hours (now confirmed) and the new 2.
    page.goto(f"{live_server.url}{inside.volunteer.get_absolute_url()}")
    assert page.locator("[data-testid=total-hours]").inner_text() == "4.0"
    assert "防溺水巡查" in page.locator("[data-testid=history]").inner_text()
    screenshot("volunteers-4-volunteer-page")

    # A certificate for this year.
    with page.expect_navigation():
        page.click("text=出具服务证明")
    page.fill("input[name=period_start]", f"{day.year}-01-01")
    page.fill("input[name=period_end]", day.isoformat())
    with page.expect_navigation():
        page.click("form.yl-form button[type=submit]")
    certificate = v.ServiceCertificate.objects.filter(volunteer=inside.volunteer).latest("pk")
    assert page.locator("[data-testid=certificate-number]").inner_text() == certificate.number
    assert page.locator("[data-testid=certificate-qr]").is_visible()
    screenshot("volunteers-5-certificate")

    # A logged-out browser follows the QR code's URL.
    stranger = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    public = stranger.new_page()
    public.goto(f"{live_server.url}{certificate.verification_path()}")
    assert "真实有效" in public.locator("[data-testid=verify-result]").inner_text()
    assert public.locator("[data-testid=masked-name]").inner_text() == mask_name(inside.person.name)
    assert inside.person.name not in public.content()
    public.screenshot(path=str(ARTIFACTS / "volunteers-6-verify.png"), full_page=True)
    stranger.close()
