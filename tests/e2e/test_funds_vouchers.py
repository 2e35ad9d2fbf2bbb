"""Voucher numbers stay in sequence without gaps when several people record at once.

Not a browser test, but it needs committed rows and real concurrent connections
(threads, each with its own connection and transaction), so it lives here.
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from funds import services
from funds.models import Category, Direction, FundEntry

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8


def _in_thread(target, results, errors, barrier):
    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_concurrent_entries_get_consecutive_numbers(e2e_world):
    ledger = e2e_world.inside.committee_ledger  # empty in the world
    barrier = threading.Barrier(WRITERS)
    results, errors = [], []

    def record(i):
        def write():
            return services.entry_record(
                ledger=ledger,
                occurred_on=dt.date(2026, 4, 1),
                direction=Direction.INCOME,
                category=Category.DONATION,
                amount=Decimal(10 + i),
                summary=f"捐赠{i}",
                by=None,
            ).voucher_seq

        return write

    threads = [_in_thread(record(i), results, errors, barrier) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == list(range(1, WRITERS + 1))
    assert sorted(FundEntry.objects.filter(ledger=ledger).values_list("voucher_seq", flat=True)) == sorted(results)


def test_a_number_taken_by_a_rolled_back_entry_is_given_again(e2e_world):
    ledger = e2e_world.inside.committee_ledger

    def record_then_fail():
        with transaction.atomic():
            services.entry_record(
                ledger=ledger,
                occurred_on=dt.date(2026, 4, 1),
                direction=Direction.INCOME,
                category=Category.DONATION,
                amount=Decimal("5"),
                summary="随后撤销",
                by=None,
            )
            raise ValidationError("the caller's transaction fails after the entry")

    with pytest.raises(ValidationError):
        record_then_fail()
    entry = services.entry_record(
        ledger=ledger,
        occurred_on=dt.date(2026, 4, 1),
        direction=Direction.INCOME,
        category=Category.DONATION,
        amount=Decimal("5"),
        summary="正式",
        by=None,
    )
    assert entry.voucher_seq == 1


def test_two_people_paying_the_same_month_pay_each_post_once(e2e_world):
    county = e2e_world.inside
    post = county.secretary_post
    post.monthly_allowance = Decimal("200")
    post.save()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def pay():
        return services.allowances_pay_month(
            ledger=county.ledger, month=dt.date(2026, 3, 1), occurred_on=dt.date(2026, 3, 25), by=None
        )

    threads = [_in_thread(pay, results, errors, barrier) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    paid = [payment for result in results for payment in result["paid"]]
    assert len(paid) == 1
    # The other one either found it paid (listed as already paid) or was refused with a message.
    assert all(isinstance(error, ValidationError) for error in errors)
    assert FundEntry.objects.filter(ledger=county.ledger, category=Category.ALLOWANCE).count() == 1
