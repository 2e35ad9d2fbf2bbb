"""Money due against money received, reversals and month closing, drive balances."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aid_cases import selectors, services
from aid_cases.models import Disbursement, Donation, Drive, MonthClosing, Payout

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2025, 2, 15)  # the "today" of the 14 months: January 2024 to February 2025


def _month(year, month):
    return dt.date(year, month, 1)


@pytest.fixture
def pairing(inside, office):
    """1,000 yuan a month from 2024-01-10 and 400 yuan of clothes money each June."""
    return services.pairing_create(
        case=inside.case,
        sponsor=inside.sponsor,
        monthly_amount=Decimal("1000"),
        start_on=dt.date(2024, 1, 10),
        end_condition="直至完成学业",
        supports=[services.SupportData("衣物费", Decimal("400"), [6])],
        by=office,
    )


def _pay(case, pairing, office, month: dt.date, paid_on: dt.date | None = None, amount=None):
    due = Decimal("1400") if month.month == 6 else Decimal("1000")
    return services.disbursement_record(
        case=case,
        pairing=pairing,
        by=office,
        paid_on=paid_on or month.replace(day=20),
        for_month=month,
        amount=amount if amount is not None else due,
    )


@pytest.fixture
def fourteen_months(inside, office, pairing):
    """April 2024 paused, March 2024 paid late (in May), November 2024 skipped, February 2025 not yet paid."""
    services.pairing_pause(pairing=pairing, from_month=_month(2024, 4), reason="住院", by=office)
    services.pairing_resume(pairing=pairing, month=_month(2024, 5), by=office)
    months = [_month(2024, m) for m in range(1, 13)] + [_month(2025, 1)]
    for month in months:
        if month in (_month(2024, 3), _month(2024, 4), _month(2024, 11)):
            continue
        _pay(inside.case, pairing, office, month)
    _pay(inside.case, pairing, office, _month(2024, 3), paid_on=dt.date(2024, 5, 8))
    return pairing


def test_each_of_the_fourteen_months_owes_its_amount_except_the_paused_one(fourteen_months):
    rows = selectors.pairing_months(fourteen_months, until=UNTIL)

    assert rows[0].month == _month(2024, 1)
    assert len(rows) == 14
    by_month = {r.month: r for r in rows}
    assert by_month[_month(2024, 4)].paused is True
    assert by_month[_month(2024, 4)].due == 0
    assert by_month[_month(2024, 6)].due == Decimal("1400")
    assert by_month[_month(2024, 3)].received == Decimal("1000")  # the late payment pays its own month
    assert by_month[_month(2024, 5)].received == Decimal("1000")
    assert by_month[_month(2024, 11)].short == Decimal("1000")
    assert sum(r.due for r in rows) == Decimal("13400")
    assert sum(r.received for r in rows) == Decimal("11400")


def test_arrears_count_the_skipped_month_not_this_month(fourteen_months, inside):
    money = selectors.money_by_pairing(type(fourteen_months).objects.filter(pk=fourteen_months.pk), until=UNTIL)
    row = money[fourteen_months.pk]

    assert row["due"] == Decimal("13400")
    assert row["received"] == Decimal("11400")
    assert row["arrears"] == Decimal("1000")
    assert row["due_now"] == Decimal("1000")
    assert row["received_now"] == 0
    assert row["months_short"] == 1


def test_arrears_add_up_per_sponsor_and_per_committee(fourteen_months, inside):
    pairings = type(fourteen_months).objects.filter(pk=fourteen_months.pk)

    assert selectors.money_by_sponsor(pairings, until=UNTIL)[inside.sponsor.pk]["arrears"] == Decimal("1000")
    assert selectors.money_by_committee(pairings, until=UNTIL)[inside.committee.pk]["arrears"] == Decimal("1000")


def test_a_payment_outside_the_pairing_is_refused(inside, office, pairing):
    with pytest.raises(ValidationError) as error:
        _pay(inside.case, pairing, office, _month(2023, 12), paid_on=dt.date(2024, 1, 20))

    assert "for_month" in error.value.error_dict


def test_a_reversal_cancels_the_entry_and_both_stay(inside, office, pairing):
    wrong = _pay(inside.case, pairing, office, _month(2024, 2), amount=Decimal("100"))

    reversal = services.disbursement_reverse(original=wrong, by=office, reason="金额录错")

    assert reversal.reverses == wrong
    assert reversal.amount == Decimal("-100")
    assert Disbursement.objects.filter(pk__in=[wrong.pk, reversal.pk]).count() == 2
    month = {r.month: r for r in selectors.pairing_months(pairing, until=UNTIL)}[_month(2024, 2)]
    assert month.received == 0
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("100")  # the original is never edited


def test_an_entry_is_reversed_once_and_a_reversal_never(inside, office, pairing):
    wrong = _pay(inside.case, pairing, office, _month(2024, 2))
    reversal = services.disbursement_reverse(original=wrong, by=office, reason="重复登记")

    with pytest.raises(ValidationError):
        services.disbursement_reverse(original=wrong, by=office, reason="again")
    with pytest.raises(ValidationError):
        services.disbursement_reverse(original=reversal, by=office, reason="again")


def test_a_closed_month_takes_no_new_entry_but_its_entries_can_be_reversed_later(inside, office, pairing):
    entry = _pay(inside.case, pairing, office, _month(2024, 2))
    services.month_close(committee=inside.committee, month=_month(2024, 2), by=office)

    with pytest.raises(ValidationError) as error:
        _pay(inside.case, pairing, office, _month(2024, 2), paid_on=dt.date(2024, 2, 25))
    assert "paid_on" in error.value.error_dict
    reversal = services.disbursement_reverse(original=entry, by=office, reason="金额录错")
    assert reversal.paid_on.replace(day=1) != _month(2024, 2)
    assert MonthClosing.objects.filter(committee=inside.committee).count() == 1


def test_a_month_is_closed_once_and_only_when_it_is_over(inside, office):
    services.month_close(committee=inside.committee, month=_month(2024, 2), by=office)

    with pytest.raises(ValidationError):
        services.month_close(committee=inside.committee, month=_month(2024, 2), by=office)
    with pytest.raises(ValidationError):
        services.month_close(committee=inside.committee, month=dt.date.today(), by=office)


def test_cash_and_goods_lines_add_up(inside, office):
    entry = services.disbursement_record(
        case=inside.case,
        by=office,
        paid_on=dt.date(2025, 1, 20),
        amount=Decimal("3000"),
        items=[services.ItemData("书包", 1, Decimal("120.50")), services.ItemData("棉衣", 2, Decimal("300"))],
    )

    assert entry.goods_value == Decimal("420.50")
    assert entry.items.count() == 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["donate", "goods", "pay"]),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_drive_balance_is_always_the_sum_of_its_entries(inside, office, steps):
    drive = Drive.objects.create(
        committee=inside.committee,
        title="测试募捐",
        cause="爱心捐款",
        launched_on=dt.date(2025, 1, 1),
        launched_by="镇关工委",
    )
    cash = goods = paid = Decimal("0")
    for kind, amount in steps:
        if kind == "donate":
            Donation.objects.create(drive=drive, received_on=dt.date(2025, 1, 2), amount=amount)
            cash += amount
        elif kind == "goods":
            Donation.objects.create(drive=drive, received_on=dt.date(2025, 1, 2), goods="文具", goods_value=amount)
            goods += amount
        else:
            pay = {
                "drive": drive,
                "by": office,
                "paid_on": dt.date(2025, 1, 3),
                "payee": "受助家庭",
                "purpose": "医药费",
                "amount": amount,
            }
            if amount > cash - paid:  # it would overdraw: refused, on the amount
                with pytest.raises(ValidationError, match="余额"):
                    services.payout_record(**pay)
            else:
                services.payout_record(**pay)
                paid += amount
        totals = selectors.drive_totals(drive)
        assert totals["cash"] == cash
        assert totals["goods"] == goods
        assert totals["paid"] == paid
        assert totals["balance"] == cash - paid >= 0
        assert totals["raised"] == cash + goods
    assert sum(p.amount for p in Payout.objects.filter(drive=drive)) == paid
