"""Committee staff register a child; the town verifies and the county approves the case; a sponsor is
paired at 1,000 yuan a month plus 400 yuan of clothes money; two monthly payments and a care visit are
recorded; the case page shows the totals and the arrears of the skipped month. A leader sees counts only."""

import datetime as dt

import pytest
from django.urls import reverse

from aid_cases.models import AidCase, CareVisit, Child, Disbursement, Pairing

pytestmark = pytest.mark.django_db(transaction=True)


def pick(page, field: str, text: str):
    """Type into the Tom Select picker of `field` and take its only answer."""
    control, options = f"#id_{field}-ts-control", f"#id_{field}-ts-dropdown .option"
    page.click(control)
    page.locator(control).press_sequentially(text, delay=60)
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 1", arg=options)
    page.locator(options).first.click()
    page.keyboard.press("Escape")


def months_back(n: int) -> dt.date:
    month = dt.date.today().replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_a_case_from_registration_to_arrears(e2e_world, login, page, live_server, screenshot):
    inside = e2e_world.inside
    url = live_server.url

    # Committee staff register the child.
    login("committee_staff")
    page.goto(f"{url}{reverse('aid_cases:child_create')}")
    page.fill("input[name=name]", "田小禾")
    page.fill("input[name=birth_date]", "2012-05-06")
    pick(page, "region", inside.village.name)
    page.fill("input[name=school]", "灵溪镇中学")
    page.fill("input[name=grade]", "八年级")
    page.get_by_label("留守儿童").check()
    page.fill("input[name=guardian_name]", "田奶奶")
    page.select_option("select[name=guardian_relation]", "grandparent")
    screenshot("aid-1-register-child")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    child = Child.objects.get(person__name="田小禾")
    assert page.url.endswith(child.get_absolute_url())

    # The case, in the one-to-one programme, handled by the town committee.
    page.click("text=登记帮扶个案")
    page.wait_for_load_state("networkidle")
    pick(page, "programme", inside.programme.name)
    pick(page, "committee", inside.committee.name)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    case = AidCase.objects.get(child=child)
    assert case.status == AidCase.Status.REGISTERED

    # The town verifies: the case waits on the director's home page.
    switch_user(page, login, "committee_director")
    assert "田小禾" in page.locator("[data-testid=aid-pending-panel]").inner_text()
    screenshot("aid-2-director-home-pending")
    page.goto(f"{url}{case.get_absolute_url()}")
    page.fill("textarea[name=comment]", "已入户核实，情况属实")
    page.click("button:has-text('乡镇核实')")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=case-status]").inner_text() == "乡镇已核实"

    # The county approves.
    switch_user(page, login, "committee_staff")
    assert "田小禾" in page.locator("[data-testid=aid-pending-panel]").inner_text()
    page.goto(f"{url}{case.get_absolute_url()}")
    page.click("button:has-text('县级审批')")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=case-status]").inner_text() == "县级已审批"

    # The pairing: 1,000 yuan a month and 400 yuan of clothes money in the first month, three months ago.
    start = months_back(3)
    page.click("text=结对资助人")
    page.wait_for_load_state("networkidle")
    pick(page, "sponsor", inside.sponsor.name)
    page.fill("input[name=monthly_amount]", "1000")
    page.fill("input[name=start_on]", start.isoformat())
    page.fill("input[name=end_condition]", "直至完成学业")
    page.fill("input[name=support_label_1]", "衣物费")
    page.fill("input[name=support_amount_1]", "400")
    page.fill("input[name=support_months_1]", str(start.month))
    screenshot("aid-3-pairing-form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    pairing = Pairing.objects.get(case=case)
    assert page.locator("[data-testid=case-status]").inner_text() == "帮扶中"

    # Two monthly payments (the first with the clothes money); the third month is skipped.
    for month, amount in ((start, "1400"), (months_back(2), "1000")):
        page.goto(f"{url}{reverse('aid_cases:disbursement_create', args=[case.pk])}?pairing={pairing.pk}")
        page.fill("input[name=paid_on]", month.replace(day=15).isoformat())
        page.fill("input[name=amount]", amount)
        page.fill("input[name=present]", "镇关工委执行主任")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
    assert Disbursement.objects.filter(pairing=pairing).count() == 2

    # A care visit on 六一 with goods.
    page.goto(f"{url}{reverse('aid_cases:carevisit_create')}")
    pick(page, "committee", inside.committee.name)
    page.fill("input[name=visited_on]", months_back(1).replace(day=1).isoformat())
    page.select_option("select[name=occasion]", "childrens_day")
    pick(page, "children", "田小禾")
    page.fill("input[name=goods_value]", "150")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert CareVisit.objects.filter(children=child).count() == 1

    # The case page: 2,400 yuan received of 3,400 due before this month, 1,000 yuan in arrears.
    page.goto(f"{url}{case.get_absolute_url()}")
    money = page.locator("[data-testid=pairing-money]").inner_text()
    assert "2,400.00" in money
    assert page.locator("[data-testid=arrears]").inner_text() == "1,000.00 元"
    assert "六一" in page.content()
    screenshot("aid-4-case-totals-arrears")

    # A leader: the numbers, and 404 on the case.
    switch_user(page, login, "leader")
    page.goto(f"{url}{reverse('aid_cases:overview')}")
    text = page.locator("main").inner_text()
    assert "田小禾" not in text
    assert "灵溪镇中学" not in text
    screenshot("aid-5-leader-counts")
    response = page.goto(f"{url}{case.get_absolute_url()}")
    assert response.status == 404
