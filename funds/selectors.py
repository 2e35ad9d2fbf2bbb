"""Reads of the funds ledger: every number an SQL aggregate, each page a fixed number of queries."""

import datetime as dt
from decimal import Decimal

from django.db import connection, models
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least, Trunc

from funds.models import MONEY, AllowancePayment, Budget, Category, Direction, FundEntry, Ledger, first_of_month

ZERO = Decimal("0.00")


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=DecimalField(**MONEY))


def _signed():
    return models.Case(
        models.When(direction=Direction.EXPENSE, then=-models.F("amount")),
        default=models.F("amount"),
        output_field=DecimalField(**MONEY),
    )


def ledger_summary(ledger: Ledger, year: int) -> dict:
    """Opening balance (before the year), the year's income and expense, the balance at its end
    (the sum of entries up to it). One query."""
    rows = FundEntry.objects.filter(ledger=ledger, occurred_on__year__lte=year)
    in_year = Q(occurred_on__year=year)
    totals = rows.aggregate(
        opening=_money(Sum(_signed(), filter=Q(occurred_on__year__lt=year))),
        income=_money(Sum("amount", filter=in_year & Q(direction=Direction.INCOME))),
        expense=_money(Sum("amount", filter=in_year & Q(direction=Direction.EXPENSE))),
        balance=_money(Sum(_signed())),
    )
    return totals


def balance_of(ledger: Ledger) -> Decimal:
    """The ledger's balance: the sum of all its entries (one query)."""
    return FundEntry.objects.filter(ledger=ledger).aggregate(total=_money(Sum(_signed())))["total"]


def ledgers_with_totals(ledgers, year: int):
    """Annotate each ledger with the year's `income`, `expense` and its `balance` (all entries): one query."""
    entries = FundEntry.objects.filter(ledger=OuterRef("pk")).order_by().values("ledger")

    def total(queryset, expression):
        return _money(Subquery(queryset.annotate(t=Sum(expression)).values("t"), output_field=DecimalField(**MONEY)))

    return ledgers.annotate(
        income=total(entries.filter(occurred_on__year=year, direction=Direction.INCOME), "amount"),
        expense=total(entries.filter(occurred_on__year=year, direction=Direction.EXPENSE), "amount"),
        balance=total(entries, _signed()),
    )


# A budget line is about to overspend once this share of it is spent (or it is spent already).
NEAR_OVERSPEND_PERCENT = 90


def budgets_with_spending(budgets):
    """Annotate each budget line with `spent`: the net spending of its ledger, year and category
    (reversals net out). One subquery; the one definition of a line's spending."""
    net = (
        FundEntry.objects.filter(
            ledger=OuterRef("ledger"), occurred_on__year=OuterRef("year"), category=OuterRef("category")
        )
        .order_by()
        .values("ledger")
        .annotate(t=Sum(_signed()))
        .values("t")
    )
    spent = Value(ZERO) - _money(Subquery(net, output_field=DecimalField(**MONEY)))
    return budgets.annotate(spent=models.ExpressionWrapper(spent, output_field=DecimalField(**MONEY)))


def budgets_near_overspend(budgets):
    """The lines of `budgets` with NEAR_OVERSPEND_PERCENT or more of them spent (over ones too)."""
    return budgets_with_spending(budgets).filter(
        spent__gt=0, spent__gte=models.F("amount") * Decimal(NEAR_OVERSPEND_PERCENT) / 100
    )


def ledgers_near_overspend(ledgers, year: int):
    """The ledgers of `ledgers` with a budget line of the year about to overspend (one subquery): the
    home page's 待办 counts them, the ledger list's `?near_overspend=1` shows them."""
    lines = budgets_near_overspend(Budget.objects.filter(year=year))
    return ledgers.filter(pk__in=lines.values("ledger_id"))


def budget_use(ledger: Ledger, year: int) -> list[dict]:
    """Each budget line of the year with its net spending and what remains (one query)."""
    lines = budgets_with_spending(Budget.objects.filter(ledger=ledger, year=year))
    rows = []
    for line in lines:
        used = line.spent
        rows.append(
            {
                "budget": line,
                "spent": used,
                "remaining": line.amount - used,
                "percent": int(used * 100 / line.amount) if line.amount else (100 if used else 0),
                "over": used > line.amount,
            }
        )
    return rows


def category_totals(ledger: Ledger, year: int) -> list[dict]:
    """The year's net amount per category and direction, for the summary table (one query)."""
    rows = (
        FundEntry.objects.filter(ledger=ledger, occurred_on__year=year)
        .values("category")
        .annotate(net=Sum(_signed()), count=Count("pk"))
        .order_by("category")
    )
    labels = dict(Category.choices)
    order = {value: i for i, value in enumerate(Category.values)}
    result = [
        {
            "category": row["category"],
            "label": labels.get(row["category"], row["category"]),
            "income": row["category"] in Category.income(),
            "amount": row["net"] if row["category"] in Category.income() else -row["net"],
            "count": row["count"],
        }
        for row in rows
    ]
    return sorted(result, key=lambda r: order.get(r["category"], 99))


def entry_totals(entries) -> dict:
    """Income and expense of a (filtered) set of entries: one query."""
    return entries.aggregate(
        income=_money(Sum("amount", filter=Q(direction=Direction.INCOME))),
        expense=_money(Sum("amount", filter=Q(direction=Direction.EXPENSE))),
        count=Count("pk"),
    )


# The order of a ledger book: by date, then voucher number.
BOOK_ORDER = ("occurred_on", "voucher_year", "voucher_seq", "id")


def running_balances(ledger: Ledger, entries) -> dict[int, Decimal]:
    """The ledger's balance after each of `entries` (a queryset of this ledger's entries or a
    list of ids), in book order over the *whole* ledger, whatever filter chose the rows.

    One statement: a window SUM over the ledger's entries, then only the rows asked for.
    """
    if isinstance(entries, models.QuerySet):
        ids_sql, ids_params = entries.order_by().values("pk").query.sql_with_params()
    else:
        ids = [int(pk) for pk in entries]
        if not ids:
            return {}
        ids_sql, ids_params = "SELECT unnest(%s::bigint[])", [ids]
    sql = f"""
        WITH book AS (
            SELECT id, SUM(CASE WHEN direction = 'expense' THEN -amount ELSE amount END)
                       OVER (ORDER BY occurred_on, voucher_year, voucher_seq, id) AS balance
            FROM funds_fundentry
            WHERE ledger_id = %s AND archived_at IS NULL
        )
        SELECT id, balance FROM book WHERE id IN ({ids_sql})
    """  # noqa: S608 (the inner SQL is Django's own, with its parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ledger.pk, *ids_params])
        return dict(cursor.fetchall())


def book_rows(entries):
    """Entries in book order with what their rows show (one query)."""
    return entries.select_related(
        "counterparty_person", "activity", "post__person", "post__branch", "post__committee", "reverses"
    ).order_by(*BOOK_ORDER)


# --- Allowances ------------------------------------------------------------------------------


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def allowances_due_rows(ledger: Ledger, start: dt.date, end: dt.date) -> list[dict]:
    """Allowances due from the posts the ledger pays, in the months from `start` to `end`.

    Each post with a monthly allowance counts every month it was held on at least one day;
    `due` = monthly allowance × those months, less the months already paid (AllowancePayment).
    One query, months counted in SQL.
    """
    first_month, last_month = first_of_month(start), first_of_month(end)
    end = _month_end(last_month)
    date = models.DateField()
    held_from = Greatest(Trunc("start_on", "month", output_field=date), Value(first_month, output_field=date))
    held_to = Least(
        Trunc(Coalesce("end_on", Value(end, output_field=date)), "month", output_field=date),
        Value(last_month, output_field=date),
    )
    months = (
        ExtractYear(held_to) * 12 + ExtractMonth(held_to) - ExtractYear(held_from) * 12 - ExtractMonth(held_from) + 1
    )
    payments = AllowancePayment.objects.filter(
        post=OuterRef("pk"), month__gte=first_month, month__lte=last_month
    ).order_by()
    posts = (
        ledger.owner_posts()
        .filter(monthly_allowance__gt=0, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first_month))
        .select_related("person", "branch", "committee")
        .annotate(
            months=models.ExpressionWrapper(months, output_field=IntegerField()),
            paid_months=Coalesce(
                Subquery(payments.values("post").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
                0,
            ),
            paid=_money(
                Subquery(
                    payments.values("post").annotate(t=Sum("amount")).values("t"), output_field=DecimalField(**MONEY)
                )
            ),
        )
        .order_by("branch__pinyin", "committee__pinyin", "role", "person__pinyin")
    )
    rows = []
    for post in posts:
        due = post.monthly_allowance * post.months
        rows.append(
            {
                "post": post,
                "months": post.months,
                "due": due,
                "paid_months": post.paid_months,
                "paid": post.paid,
                "outstanding": due - post.paid,
            }
        )
    return rows


def allowances_due_totals(rows: list[dict]) -> dict:
    return {
        "due": sum((r["due"] for r in rows), ZERO),
        "paid": sum((r["paid"] for r in rows), ZERO),
        "outstanding": sum((r["outstanding"] for r in rows), ZERO),
    }


def paid_in_month(ledger: Ledger, month: dt.date):
    """Who was paid the month's allowance from this ledger (one query)."""
    return (
        AllowancePayment.objects.filter(entry__ledger=ledger, month=first_of_month(month))
        .select_related("person", "post", "entry")
        .order_by("person__pinyin")
    )


# --- Activity funds per head -----------------------------------------------------------------


def activity_funds_per_head(branches, on: dt.date, rate: Decimal) -> tuple[list, dict]:
    """Each branch's members on `on` × `rate` yuan (e.g. 800 yuan per retiree a year): one query."""
    rows = list(branches.with_member_counts(on).order_by("pinyin"))
    for branch in rows:
        branch.member_count = branch.member_count or 0
        branch.amount = rate * branch.member_count
    totals = {
        "members": sum(b.member_count for b in rows),
        "amount": sum((b.amount for b in rows), ZERO),
    }
    return rows, totals
