"""The ledger's balance is always the sum of its entries, whatever happened to them.

Hypothesis draws sequences of entries, reversals, archivings and month closings; after
each sequence the selectors' balance, the running balance of the book's last row and
the year totals agree with a model kept in Python, and no voucher number is missing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funds import services
from funds.models import Category, Direction, FundEntry
from funds.selectors import balance_of, ledger_summary, running_balances

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 6, 30))
actions = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.sampled_from([Direction.INCOME, Direction.EXPENSE]), amounts, days),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20), days),
        st.tuples(st.just("archive"), st.integers(min_value=0, max_value=20)),
        st.tuples(st.just("close"), st.integers(min_value=1, max_value=6)),
    ),
    min_size=1,
    max_size=12,
)


class Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_the_balance_is_the_sum_of_the_entries(world, steps):
    ledger = world.inside.committee_ledger  # starts empty
    try:
        with transaction.atomic():
            expected = {}  # entry pk -> signed amount of the entries still counted
            created = []
            for step in steps:
                try:
                    if step[0] == "record":
                        _, direction, amount, day = step
                        category = Category.DONATION if direction == Direction.INCOME else Category.OTHER_EXPENSE
                        entry = services.entry_record(
                            ledger=ledger,
                            occurred_on=day,
                            direction=direction,
                            category=category,
                            amount=amount,
                            summary="h",
                            overspend_reason="",
                            by=None,
                        )
                        created.append(entry)
                        expected[entry.pk] = entry.signed
                    elif step[0] == "reverse" and created:
                        original = created[step[1] % len(created)]
                        reversal = services.entry_reverse(
                            entry=original, occurred_on=max(step[2], original.occurred_on), reason="r", by=None
                        )
                        created.append(reversal)
                        expected[reversal.pk] = reversal.signed
                    elif step[0] == "archive" and created:
                        entry = created[step[1] % len(created)]
                        services.entry_archive(entry=entry, by=None)
                        expected.pop(entry.pk)
                    elif step[0] == "close":
                        services.month_close(ledger=ledger, month=dt.date(2026, step[1], 1), by=None)
                except ValidationError:
                    pass  # refused (closed month, already reversed …): nothing changed, as the model says

            total = sum(expected.values(), Decimal("0.00"))
            assert balance_of(ledger) == total
            assert ledger_summary(ledger, 2026)["balance"] == total
            book = list(FundEntry.objects.filter(ledger=ledger).order_by("occurred_on", "voucher_seq", "id"))
            assert {entry.pk for entry in book} == set(expected)
            if book:
                assert running_balances(ledger, [book[-1].pk])[book[-1].pk] == total
            numbers = sorted(FundEntry.all_objects.filter(ledger=ledger).values_list("voucher_seq", flat=True))
            assert numbers == list(range(1, len(numbers) + 1))  # no gap, archived ones included
            raise Rollback
    except Rollback:
        pass
