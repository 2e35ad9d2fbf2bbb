"""A branch secretary on a 375 px phone records an expense with a receipt photo, pays the
month's allowances, and sees both in the ledger with its running balance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from funds.models import Category, FundEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_secretary_keeps_the_branch_ledger_on_a_phone(e2e_world, login, page, live_server, screenshot, tmp_path):
    county = e2e_world.inside
    post = county.secretary_post
    post.monthly_allowance = Decimal("200")
    post.save()
    receipt = tmp_path / "收据.png"
    Image.new("RGB", (900, 1200), "white").save(receipt, "PNG")
    today = dt.date.today()

    login("branch_secretary")
    page.goto(f"{live_server.url}{reverse('funds:ledger_detail', args=[county.ledger.pk])}")
    screenshot("funds-1-ledger")
    page.get_by_role("link", name="记一笔").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("支出").check()
    page.select_option("select[name=category]", "activity")
    page.fill("input[name=amount]", "0")
    page.fill("input[name=summary]", "七一主题党日茶水")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "金额必须大于0" in page.locator("main").inner_text()
    screenshot("funds-2-bad-amount")

    page.fill("input[name=amount]", "86.50")
    page.set_input_files("input[name=receipt]", str(receipt))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    entry = FundEntry.objects.get(ledger=county.ledger, summary="七一主题党日茶水")
    assert entry.amount == Decimal("86.50")
    assert entry.receipt.name.endswith(".jpg")
    assert f"凭证号 {entry.voucher_number}" in page.locator("main").inner_text()

    page.get_by_role("link", name="补贴发放").click()
    page.wait_for_load_state("networkidle")
    page.click("text=发放本月补贴")
    page.wait_for_load_state("networkidle")
    assert post.person.name in page.locator("main").inner_text()
    screenshot("funds-3-allowances-paid")
    paid = FundEntry.objects.get(ledger=county.ledger, category=Category.ALLOWANCE)
    assert (paid.amount, paid.occurred_on) == (Decimal("200.00"), today)

    page.goto(f"{live_server.url}{reverse('funds:ledger_detail', args=[county.ledger.pk])}?year={today.year}")
    book = page.locator("#entries").locator("xpath=following-sibling::table").inner_text()
    assert "七一主题党日茶水" in book
    screenshot("funds-4-ledger-after")
