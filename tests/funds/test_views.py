"""The funds pages: what each role sees, the messages on bad input, the export, query counts."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.scoping import Role
from funds import services
from funds.exports import safe_text
from funds.models import Category, Direction, FundEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def inside(world):
    return world.inside


@pytest.fixture
def secretary(client, users):
    client.force_login(users[Role.BRANCH_SECRETARY])
    return client


def add_entries(ledger, count, *, payee=None, summary="茶水"):
    for i in range(count):
        services.entry_record(
            ledger=ledger,
            occurred_on=dt.date(2026, 4, 1 + i % 28),
            direction=Direction.EXPENSE,
            category=Category.OTHER_EXPENSE,
            amount=D("10.00"),
            summary=summary,
            counterparty_person=payee,
            by=None,
        )


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- The ledger page ---------------------------------------------------------------------------


def test_the_ledger_page_shows_the_running_balance_of_the_whole_ledger(secretary, inside):
    add_entries(inside.ledger, 2)
    response = secretary.get(reverse("funds:ledger_detail", args=[inside.ledger.pk]), {"category": "other_expense"})
    rows = response.context["rows"]
    # Filtered to the expenses, the balance is still the ledger's: 1000 income first.
    assert [row.balance for row in rows] == [D("990.00"), D("980.00")]
    assert response.context["totals"]["expense"] == D("20.00")
    assert response.context["summary"]["balance"] == D("980.00")


@pytest.mark.parametrize("count", [1, 10])
def test_the_ledger_page_costs_the_same_for_few_or_many_entries(
    secretary, inside, count, django_assert_max_num_queries
):
    payee = f.PersonFactory(region=inside.town)
    add_entries(inside.ledger, count, payee=payee)
    with django_assert_max_num_queries(22):
        response = secretary.get(reverse("funds:ledger_detail", args=[inside.ledger.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count + 1


@pytest.mark.parametrize("count", [1, 10])
def test_the_ledger_list_costs_the_same_for_few_or_many_ledgers(
    client, users, inside, count, django_assert_max_num_queries
):
    for _ in range(count):
        services.ledger_open(branch=f.BranchFactory(region=inside.town))
    client.force_login(users[Role.COUNTY_STAFF])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("funds:ledger_list"))
    assert response.status_code == 200


def test_leaders_see_totals_and_budgets_but_no_entry_and_no_name(client, users, inside):
    payee = f.PersonFactory(region=inside.town, name="甄秀英")
    add_entries(inside.ledger, 1, payee=payee)
    client.force_login(users[Role.LEADER])
    response = client.get(reverse("funds:ledger_detail", args=[inside.ledger.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["summary"]["expense"] == D("10.00")
    assert "rows" not in response.context
    assert "甄秀英" not in content
    assert reverse("funds:ledger_export", args=[inside.ledger.pk]) not in content


def test_the_branch_page_shows_the_year_of_its_ledger_without_importing_funds(client, users, inside):
    client.force_login(users[Role.LEADER])
    response = client.get(reverse("branches:branch_detail", args=[inside.branch.pk]), {"year": 2026})
    content = response.content.decode()
    assert 'id="funds"' in content
    assert "1,000.00 元" in content  # the year's income
    assert reverse("funds:ledger_detail", args=[inside.ledger.pk]) in content


def test_county_staff_open_a_ledger_from_the_page_of_an_organisation_without_one(client, users, inside):
    branch = f.BranchFactory(region=inside.town)
    client.force_login(users[Role.COUNTY_STAFF])
    page = client.get(reverse("branches:branch_detail", args=[branch.pk])).content.decode()
    assert "开设经费账" in page
    response = client.post(reverse("funds:ledger_open"), {"branch": branch.pk})
    assert response.status_code == 302
    assert branch.ledger.region_code == inside.town.code


# --- Recording ---------------------------------------------------------------------------------


def entry_data(**changes):
    data = {
        "occurred_on": "2026-04-02",
        "direction": "expense",
        "category": "activity",
        "amount": "120.00",
        "summary": "主题党日茶水",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "金额必须大于0"), ("12.345", "金额最多两位小数"), ("99999999", "多输了位数"), ("十元", "请输入金额")],
)
def test_a_bad_amount_is_refused_on_its_field_and_nothing_is_saved(secretary, inside, amount, message):
    url = reverse("funds:entry_create", args=[inside.ledger.pk])
    response = secretary.post(url, entry_data(amount=amount))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["amount"])
    assert inside.ledger.entries.count() == 1


def test_a_receipt_that_is_neither_photo_nor_pdf_is_refused(secretary, inside):
    url = reverse("funds:entry_create", args=[inside.ledger.pk])
    upload = SimpleUploadedFile("发票.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = secretary.post(url, {**entry_data(), "receipt": upload})
    assert "不是照片或PDF文件" in " ".join(response.context["form"].errors["receipt"])
    assert inside.ledger.entries.count() == 1


def test_an_overspending_expense_asks_for_its_reason_then_keeps_it(secretary, inside):
    url = reverse("funds:entry_create", args=[inside.ledger.pk])
    response = secretary.post(url, entry_data(amount="600.00"))
    assert "超支100.00 元" in " ".join(response.context["form"].errors["overspend_reason"])
    response = secretary.post(url, entry_data(amount="600.00", overspend_reason="重阳节活动人数多"))
    assert response.status_code == 302
    assert inside.ledger.entries.get(amount=D("600.00")).overspend_reason == "重阳节活动人数多"


def test_a_closed_month_refuses_new_entries_edits_and_archiving_with_a_message(secretary, inside):
    entry = inside.fund_entry
    services.month_close(ledger=inside.ledger, month=dt.date(2026, 3, 1), by=None)

    url = reverse("funds:entry_create", args=[inside.ledger.pk])
    response = secretary.post(url, entry_data(occurred_on="2026-03-09"))
    assert "已结账" in " ".join(response.context["form"].errors["occurred_on"])
    response = secretary.get(reverse("funds:entry_update", args=[entry.pk]))
    assert response.status_code == 302
    assert "已结账" in messages_of(response)
    response = secretary.post(reverse("funds:entry_archive", args=[entry.pk]))
    assert "已结账" in messages_of(response)
    entry.refresh_from_db()
    assert entry.archived_at is None
    page = secretary.get(entry.get_absolute_url()).content.decode()
    assert reverse("funds:entry_update", args=[entry.pk]) not in page
    assert reverse("funds:entry_reverse", args=[entry.pk]) in page


def test_a_reversal_is_shown_and_linked_on_both_sides(secretary, inside):
    entry = inside.fund_entry
    response = secretary.post(
        reverse("funds:entry_reverse", args=[entry.pk]), {"occurred_on": "2026-04-01", "reason": "单位记错"}
    )
    assert response.status_code == 302
    reversal = FundEntry.objects.get(reverses=entry)
    page = secretary.get(entry.get_absolute_url()).content.decode()
    assert reversal.voucher_number in page
    book = secretary.get(reverse("funds:ledger_detail", args=[inside.ledger.pk])).content.decode()
    assert "已冲销" in book
    assert f"冲销 {entry.voucher_number}" in book


# --- Allowances and allocations ----------------------------------------------------------------


def test_paying_a_month_lists_who_was_paid(secretary, inside):
    post = inside.secretary_post
    post.monthly_allowance = D("200")
    post.save()
    url = reverse("funds:ledger_pay_month", args=[inside.ledger.pk])
    response = secretary.post(url, {"month": "2026-03", "occurred_on": "2026-03-25"})
    assert post.person.name in messages_of(response)
    response = secretary.post(url, {"month": "2026-03", "occurred_on": "2026-03-26"})
    assert "未重复发放" in messages_of(response)
    assert inside.ledger.entries.filter(category=Category.ALLOWANCE).count() == 1


def test_an_allocation_form_writes_the_county_expense_and_each_income(client, users, inside):
    client.force_login(users[Role.COUNTY_STAFF])
    url = reverse("funds:allocation_create")
    form = client.get(url).context["form"]
    assert {ledger.pk for ledger, _field in form.receiver_fields()} == {inside.ledger.pk, inside.committee_ledger.pk}
    response = client.post(
        url,
        {
            "occurred_on": "2026-03-01",
            "summary": "启动经费",
            f"amount_{inside.ledger.pk}": "3000",
            f"amount_{inside.committee_ledger.pk}": "",
        },
    )
    assert response.status_code == 302
    income = inside.ledger.entries.get(category=Category.COUNTY_ALLOCATION)
    assert income.counterpart.ledger == inside.county_ledger
    assert client.get(reverse("funds:allocation_list"), {"year": 2026}).context["totals"]["expense"] == D("3000.00")


def test_activity_funds_per_head_come_from_the_membership_on_the_date(client, users, inside):
    client.force_login(users[Role.COUNTY_STAFF])
    response = client.get(reverse("funds:per_head"), {"on": "2026-06-01", "rate": "800"})
    branch = next(b for b in response.context["branches"] if b.pk == inside.branch.pk)
    assert (branch.member_count, branch.amount) == (1, D("800"))


# --- Export ------------------------------------------------------------------------------------


def test_safe_text_quotes_what_a_spreadsheet_would_run():
    assert [safe_text(v) for v in ("=1+1", "+86", "-3", "@SUM(A1)", "茶水")] == [
        "'=1+1",
        "'+86",
        "'-3",
        "'@SUM(A1)",
        "茶水",
    ]


def test_the_export_has_the_page_rows_with_balances_and_no_formula(secretary, inside):
    add_entries(inside.ledger, 2, summary='=HYPERLINK("http://x")')
    response = secretary.get(reverse("funds:ledger_export", args=[inside.ledger.pk]), {"year": 2026})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ["2026-0001", "2026-0002", "2026-0003"]
    assert rows[1][4].startswith("'=")
    assert [row[8] for row in rows] == [1000, 990, 980]
