"""The rules of the money (funds/services.py): amounts, vouchers, closed months, reversals,
budgets, allocations and allowances."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from funds import services
from funds.models import AllowancePayment, Budget, Category, Direction, FundEntry, LedgerMonthClose
from funds.selectors import allowances_due_rows, balance_of, budget_use, ledger_summary
from tests import factories as f

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.date(2026, 4, 10)


def record(ledger, amount="100.00", *, day=DAY, direction=Direction.EXPENSE, category=Category.ACTIVITY, **extra):
    return services.entry_record(
        ledger=ledger,
        occurred_on=day,
        direction=direction,
        category=category,
        amount=D(amount),
        summary="测试",
        by=None,
        **extra,
    )


@pytest.fixture
def ledger(world):
    return world.inside.ledger


# --- Amounts and dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额必须大于0"),
        ("-5", "金额必须大于0"),
        ("10.001", "金额最多两位小数"),
        ("100000000", "请核对是否多输了位数"),
        ("abc", "请输入金额"),
    ],
)
def test_it_refuses_bad_amounts_with_a_clear_message(ledger, amount, message):
    with pytest.raises(ValidationError) as error:
        services.entry_record(
            ledger=ledger,
            occurred_on=DAY,
            direction=Direction.EXPENSE,
            category=Category.ACTIVITY,
            amount=amount,
            summary="x",
            by=None,
        )
    assert message in " ".join(error.value.message_dict["amount"])
    assert ledger.entries.filter(occurred_on=DAY).count() == 0


def test_it_refuses_a_future_date_and_a_category_of_the_other_direction(ledger):
    with pytest.raises(ValidationError) as error:
        record(ledger, day=dt.date.today() + dt.timedelta(days=3), direction=Direction.INCOME)
    assert "日期不能晚于今天" in error.value.message_dict["occurred_on"][0]
    assert "该科目不属于所选的收支方向" in error.value.message_dict["category"][0]


def test_the_database_refuses_what_the_service_would(ledger):
    entry = ledger.entries.get()
    for change in ({"amount": D("0")}, {"category": Category.ALLOWANCE}, {"amount": D("20000000")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FundEntry.objects.filter(pk=entry.pk).update(**change)


# --- Voucher numbers ---------------------------------------------------------------------------


def test_vouchers_run_in_sequence_per_ledger_and_year(world, ledger):
    first = record(ledger)
    second = record(ledger, day=dt.date(2026, 5, 1))
    other_ledger = record(world.inside.committee_ledger)
    last_year = record(ledger, day=dt.date(2025, 12, 30))
    # The world's entry is 2026-0001 of this ledger.
    assert (first.voucher_number, second.voucher_number) == ("2026-0002", "2026-0003")
    assert other_ledger.voucher_number == "2026-0001"
    assert last_year.voucher_number == "2025-0001"


def test_a_refused_entry_uses_no_number(ledger):
    with pytest.raises(ValidationError):
        record(ledger, amount="0")
    assert record(ledger).voucher_seq == 2


# --- Closed months -----------------------------------------------------------------------------


def test_a_closed_month_takes_no_entry_and_its_entries_are_frozen(ledger):
    entry = ledger.entries.get()  # 2026-03-05
    services.month_close(ledger=ledger, month=dt.date(2026, 3, 1), by=None)

    with pytest.raises(ValidationError) as error:
        record(ledger, day=dt.date(2026, 3, 20))
    assert "已结账" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.entry_archive(entry=entry, by=None)
    # The database's own word, whatever the code above it does.
    for write in (
        lambda: FundEntry.objects.filter(pk=entry.pk).update(summary="改过"),
        lambda: entry.archive(by=None),
        lambda: FundEntry.all_objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
    entry.refresh_from_db()
    assert entry.summary == "单位拨付支部经费"
    assert entry.archived_at is None


def test_a_month_is_closed_once_and_not_in_advance(ledger):
    services.month_close(ledger=ledger, month=dt.date(2026, 3, 1), by=None)
    with pytest.raises(ValidationError, match="已结账"):
        services.month_close(ledger=ledger, month=dt.date(2026, 3, 15), by=None)
    next_month = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError, match="还没到的月份"):
        services.month_close(ledger=ledger, month=next_month, by=None)
    close = LedgerMonthClose.objects.get(ledger=ledger)
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (pgtrigger's protection error)
        close.delete()


# --- Reversals ---------------------------------------------------------------------------------


def test_a_correction_reverses_the_closed_entry_and_both_stay(ledger):
    entry = ledger.entries.get()
    services.month_close(ledger=ledger, month=dt.date(2026, 3, 1), by=None)

    reversal = services.entry_reverse(entry=entry, occurred_on=dt.date(2026, 4, 1), reason="记错单位", by=None)

    assert reversal.reverses == entry
    assert (reversal.direction, reversal.category, reversal.amount) == (Direction.EXPENSE, entry.category, entry.amount)
    assert "冲销凭证2026-0001" in reversal.summary
    assert ledger.entries.count() == 2
    assert balance_of(ledger) == D("0.00")
    with pytest.raises(ValidationError, match="已冲销"):
        services.entry_reverse(entry=entry, occurred_on=dt.date(2026, 4, 1), reason="again", by=None)
    with pytest.raises(ValidationError, match="不能再冲销"):
        services.entry_reverse(entry=reversal, occurred_on=dt.date(2026, 4, 1), reason="again", by=None)


def test_a_reversal_needs_a_reason_and_an_open_month(ledger):
    entry = ledger.entries.get()
    with pytest.raises(ValidationError) as error:
        services.entry_reverse(entry=entry, occurred_on=dt.date(2026, 4, 1), reason=" ", by=None)
    assert "冲销原因" in error.value.message_dict["reason"][0]
    services.month_close(ledger=ledger, month=dt.date(2026, 3, 1), by=None)
    with pytest.raises(ValidationError) as error:
        services.entry_reverse(entry=entry, occurred_on=dt.date(2026, 3, 31), reason="错", by=None)
    assert "已结账" in " ".join(error.value.messages)


# --- Receipts ----------------------------------------------------------------------------------


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_receipt_is_a_photo_or_a_pdf(ledger):
    photo = record(ledger, receipt=SimpleUploadedFile("票据.png", _png()))
    pdf = record(ledger, receipt=SimpleUploadedFile("票据.pdf", b"%PDF-1.7 x"))
    assert photo.receipt.name.endswith(".jpg")  # stored as JPEG by branches.photos
    assert pdf.receipt.name.endswith(".pdf")
    for upload in (
        SimpleUploadedFile("票据.docx", b"PK\x03\x04 not a receipt"),
        SimpleUploadedFile("票据.pdf", b"MZ renamed program"),
        SimpleUploadedFile("票据.jpg", b"<html>"),
    ):
        with pytest.raises(ValidationError) as error:
            record(ledger, receipt=upload)
        assert "PDF" in error.value.messages[0]


# --- Budgets -----------------------------------------------------------------------------------


def test_an_overspending_expense_shows_the_shortfall_and_needs_a_reason(ledger):
    record(ledger, "400.00")  # the world's activity budget is 500
    with pytest.raises(ValidationError) as error:
        record(ledger, "150.00")
    message = error.value.message_dict["overspend_reason"][0]
    assert "超支50.00 元" in message
    entry = record(ledger, "150.00", overspend_reason="七一慰问老党员，人数增加")
    assert entry.overspend_reason == "七一慰问老党员，人数增加"
    line = next(row for row in budget_use(ledger, 2026) if row["budget"].category == Category.ACTIVITY)
    assert (line["spent"], line["remaining"], line["over"]) == (D("550.00"), D("-50.00"), True)


def test_a_reversed_expense_no_longer_counts_against_the_budget(ledger):
    entry = record(ledger, "500.00")
    services.entry_reverse(entry=entry, occurred_on=DAY, reason="重复记账", by=None)
    assert record(ledger, "500.00").overspend_reason == ""


def test_one_budget_line_per_ledger_year_and_category(ledger):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(ledger=ledger, year=2026, category=Category.ACTIVITY, amount=D("1"))


# --- Allocations -------------------------------------------------------------------------------


def test_an_allocation_writes_both_sides_linked_in_one_go(world):
    county = world.inside
    services.entry_record(
        ledger=county.county_ledger,
        occurred_on=dt.date(2026, 2, 1),
        direction=Direction.INCOME,
        category=Category.COUNTY_ALLOCATION,
        amount=D("150000"),
        summary="启动经费",
        by=None,
    )
    pairs = services.allocation_create(
        county_ledger=county.county_ledger,
        occurred_on=dt.date(2026, 3, 1),
        summary="支部启动经费",
        lines=[(county.ledger, D("3000")), (county.committee_ledger, D("30000"))],
        by=None,
    )
    assert len(pairs) == 2
    for expense, income in pairs:
        assert expense.counterpart == income
        assert income.counterpart == expense
        assert (expense.category, income.category) == (Category.ALLOCATION, Category.COUNTY_ALLOCATION)
    assert balance_of(county.county_ledger) == D("117000.00")
    assert balance_of(county.committee_ledger) == D("30000.00")
    # Reversing one side reverses the other.
    services.entry_reverse(entry=pairs[1][1], occurred_on=dt.date(2026, 3, 2), reason="金额有误", by=None)
    assert balance_of(county.committee_ledger) == D("0.00")
    assert balance_of(county.county_ledger) == D("147000.00")


def test_an_allocation_is_all_or_nothing(world):
    county = world.inside
    before = FundEntry.objects.filter(ledger__region_code__startswith="433127").count()
    with pytest.raises(ValidationError, match="不在本县"):
        services.allocation_create(
            county_ledger=county.county_ledger,
            occurred_on=dt.date(2026, 3, 1),
            summary="x",
            lines=[(county.ledger, D("10")), (world.outside.ledger, D("10"))],
            by=None,
        )
    with pytest.raises(ValidationError, match="金额必须大于0"):
        services.allocation_create(
            county_ledger=county.county_ledger,
            occurred_on=dt.date(2026, 3, 1),
            summary="x",
            lines=[(county.ledger, D("10")), (county.committee_ledger, D("0"))],
            by=None,
        )
    assert FundEntry.objects.filter(ledger__region_code__startswith="433127").count() == before


def test_only_a_county_office_ledger_allocates(world):
    with pytest.raises(ValidationError, match="只有县"):
        services.allocation_create(
            county_ledger=world.inside.ledger,
            occurred_on=dt.date(2026, 3, 1),
            summary="x",
            lines=[(world.inside.committee_ledger, D("10"))],
            by=None,
        )


# --- Allowances --------------------------------------------------------------------------------


@pytest.fixture
def allowance_posts(world):
    """The branch's secretary (200 a month since 2026-02-10) and a member (150, left 2026-05-31)."""
    county = world.inside
    secretary = county.secretary_post
    secretary.monthly_allowance, secretary.start_on = D("200"), dt.date(2026, 2, 10)
    secretary.save()
    member = f.PostFactory(
        branch=county.branch,
        person=f.PersonFactory(region=county.town),
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2026, 5, 31),
        monthly_allowance=D("150"),
    )
    return secretary, member


def test_allowances_due_count_the_months_each_post_was_held(ledger, allowance_posts):
    secretary, member = allowance_posts
    rows = {row["post"].pk: row for row in allowances_due_rows(ledger, dt.date(2026, 1, 1), dt.date(2026, 6, 30))}
    assert (rows[secretary.pk]["months"], rows[secretary.pk]["due"]) == (5, D("1000.00"))  # February to June
    assert (rows[member.pk]["months"], rows[member.pk]["due"]) == (5, D("750.00"))  # January to May


def test_paying_a_month_writes_one_entry_per_person_and_never_twice(ledger, allowance_posts):
    secretary, member = allowance_posts
    result = services.allowances_pay_month(
        ledger=ledger, month=dt.date(2026, 3, 1), occurred_on=dt.date(2026, 3, 25), by=None
    )
    assert sorted(p.amount for p in result["paid"]) == [D("150.00"), D("200.00")]
    assert {p.entry.post_id for p in result["paid"]} == {secretary.pk, member.pk}
    assert all(p.entry.category == Category.ALLOWANCE for p in result["paid"])

    again = services.allowances_pay_month(
        ledger=ledger, month=dt.date(2026, 3, 1), occurred_on=dt.date(2026, 3, 26), by=None
    )
    assert again["paid"] == []
    assert {p.pk for p in again["already_paid"]} == {secretary.pk, member.pk}
    # The database refuses a second payment even when the check above is skipped.
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowancePayment.objects.create(
            entry=record(ledger, "200.00", category=Category.ALLOWANCE),
            post=secretary,
            person=secretary.person,
            month=dt.date(2026, 3, 1),
            amount=D("200"),
        )
    rows = {row["post"].pk: row for row in allowances_due_rows(ledger, dt.date(2026, 3, 1), dt.date(2026, 3, 31))}
    assert rows[secretary.pk]["outstanding"] == D("0.00")


def test_a_reversed_allowance_can_be_paid_again(ledger, allowance_posts):
    secretary, _member = allowance_posts
    paid = services.allowances_pay_month(
        ledger=ledger, month=dt.date(2026, 3, 1), occurred_on=dt.date(2026, 3, 25), by=None
    )["paid"]
    wrong = next(p for p in paid if p.post_id == secretary.pk)
    services.entry_reverse(entry=wrong.entry, occurred_on=dt.date(2026, 3, 28), reason="发错", by=None)
    again = services.allowances_pay_month(
        ledger=ledger, month=dt.date(2026, 3, 1), occurred_on=dt.date(2026, 3, 29), by=None
    )
    assert [p.post_id for p in again["paid"]] == [secretary.pk]


def test_a_month_without_allowances_says_so(ledger):
    with pytest.raises(ValidationError, match="没有应发补贴"):
        services.allowances_pay_month(ledger=ledger, month=dt.date(2026, 3, 1), occurred_on=DAY, by=None)


def test_the_summary_adds_up(ledger):
    record(ledger, "300.00", day=dt.date(2025, 6, 1), direction=Direction.INCOME, category=Category.DONATION)
    record(ledger, "120.50")
    summary = ledger_summary(ledger, 2026)
    assert summary == {
        "opening": D("300.00"),
        "income": D("1000.00"),
        "expense": D("120.50"),
        "balance": D("1179.50"),
    }
