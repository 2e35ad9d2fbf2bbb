"""Reads of the aid app: money due against money received, arrears, drive totals, visit sums,
duplicate children and the counts-only overview. Every number is an SQL aggregate; each
function runs a fixed number of queries whatever the number of rows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from aid_cases.models import (
    AidCase,
    Child,
    ChildAccessLog,
    Disbursement,
    Donation,
    Drive,
    Pairing,
    Payout,
    first_of_month,
)
from core import access
from core.models import Region

ZERO = Decimal("0.00")


def _money_sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


# --- Money due against money received ---------------------------------------------------------

# One row per pairing and month from the pairing's first month to the last one it covers
# (its end, its planned end or this month, whichever comes first): what was due (the monthly
# amount plus the regular supports of that calendar month; nothing in a paused month) and
# what was received for that month (cash of its disbursements, reversals netting out).
_MONTHS_SQL = """
WITH p AS (
    SELECT id, sponsor_id, case_id, monthly_amount,
           date_trunc('month', start_on)::date AS first_month,
           date_trunc('month', LEAST(COALESCE(ended_on, %(until)s), COALESCE(planned_end_on, %(until)s),
                                     %(until)s))::date AS last_month
    FROM aid_cases_pairing
    WHERE id = ANY (%(ids)s)
),
m AS (
    SELECT p.id AS pairing_id, p.sponsor_id, p.case_id, month::date AS month, p.monthly_amount,
           EXISTS (
               SELECT 1 FROM aid_cases_pairingpause z
               WHERE z.pairing_id = p.id AND z.from_month <= month
                 AND (z.resumed_month IS NULL OR z.resumed_month > month)
           ) AS paused
    FROM p, generate_series(p.first_month, p.last_month, interval '1 month') AS month
),
due AS (
    SELECT m.*,
           CASE WHEN m.paused THEN 0 ELSE m.monthly_amount + COALESCE((
               SELECT sum(s.amount) FROM aid_cases_pairingsupport s
               WHERE s.pairing_id = m.pairing_id AND s.archived_at IS NULL
                 AND extract(month FROM m.month)::int = ANY (s.months)
           ), 0) END AS due
    FROM m
),
received AS (
    SELECT pairing_id, for_month AS month, sum(amount) AS received
    FROM aid_cases_disbursement
    WHERE archived_at IS NULL AND pairing_id IN (SELECT id FROM p)
    GROUP BY pairing_id, for_month
)
SELECT due.pairing_id, due.sponsor_id, due.case_id, due.month, due.paused, due.due,
       COALESCE(received.received, 0) AS received
FROM due LEFT JOIN received ON received.pairing_id = due.pairing_id AND received.month = due.month
"""


def _months_query(pairings) -> tuple[str, dict]:
    """The months SQL over these pairings (one query now for their ids: the SQL stays fixed text)."""
    return _MONTHS_SQL, {"ids": list(pairings.order_by().values_list("pk", flat=True))}


def _run(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    paused: bool
    due: Decimal
    received: Decimal

    @property
    def short(self) -> Decimal:
        return max(self.due - self.received, ZERO)


def pairing_months(pairing: Pairing, until: dt.date | None = None) -> list[MonthRow]:
    """The pairing month by month: due, received, paused (one query)."""
    sql, params = _months_query(Pairing.all_objects.filter(pk=pairing.pk))
    params["until"] = until or timezone.localdate()
    rows = _run(sql + " ORDER BY due.month", params)
    return [MonthRow(r["month"], r["paused"], Decimal(r["due"]), Decimal(r["received"])) for r in rows]


def _totals(pairings, group: str, until: dt.date | None) -> list[dict]:
    """Due, received and arrears summed per `group` (pairing_id, sponsor_id or committee) up to `until`."""
    until = until or timezone.localdate()
    sql, params = _months_query(pairings)
    params["until"] = until
    params["this_month"] = first_of_month(until)
    key = {"pairing": "pp.pairing_id", "sponsor": "pp.sponsor_id", "committee": "c.committee_id"}[group]
    # Our own SQL text; every value is a parameter.
    grouped = f"""
        WITH x AS ({sql}),
        per_pairing AS (
            SELECT x.pairing_id, min(x.sponsor_id) AS sponsor_id, min(x.case_id) AS case_id,
                   sum(x.due) AS due, sum(x.received) AS received,
                   COALESCE(sum(x.due - x.received) FILTER (WHERE x.month < %(this_month)s), 0) AS owed_before,
                   COALESCE(sum(x.due) FILTER (WHERE x.month = %(this_month)s), 0) AS due_now,
                   COALESCE(sum(x.received) FILTER (WHERE x.month = %(this_month)s), 0) AS received_now,
                   count(*) FILTER (WHERE x.received < x.due AND x.month < %(this_month)s) AS months_short
            FROM x GROUP BY x.pairing_id
        )
        SELECT {key} AS key, sum(pp.due) AS due, sum(pp.received) AS received,
               sum(GREATEST(pp.owed_before, 0)) AS arrears, sum(pp.due_now) AS due_now,
               sum(pp.received_now) AS received_now, sum(pp.months_short) AS months_short, count(*) AS pairings
        FROM per_pairing pp JOIN aid_cases_aidcase c ON c.id = pp.case_id
        GROUP BY 1
    """  # noqa: S608
    return _run(grouped, params)


def money_by_pairing(pairings, until=None) -> dict[int, dict]:
    """pairing pk -> {due, received, arrears (months before this one), due_now, received_now}. One query."""
    return {row["key"]: row for row in _totals(pairings, "pairing", until)}


def pairings_owing(pairings, until=None) -> dict[int, dict]:
    """Open pairings with money to hand over: arrears from months before this one, or this month's
    payment not yet made in full. pairing pk -> its money row (`money_by_pairing`). Two queries; the
    payments-due page and the 待办 rule both ask this."""
    by_pairing = money_by_pairing(pairings.exclude(status=Pairing.Status.ENDED), until)
    return {pk: row for pk, row in by_pairing.items() if row["arrears"] > 0 or row["due_now"] > row["received_now"]}


def money_by_sponsor(pairings, until=None) -> dict[int, dict]:
    return {row["key"]: row for row in _totals(pairings, "sponsor", until)}


def money_by_committee(pairings, until=None) -> dict[int, dict]:
    return {row["key"]: row for row in _totals(pairings, "committee", until)}


# --- Disbursements and drives -----------------------------------------------------------------


def disbursement_totals(disbursements) -> dict:
    """Cash, goods value and their sum of a set of disbursements, reversals included (one query)."""
    return disbursements.aggregate(cash=_money_sum("amount"), goods=_money_sum("goods_value"))


def drive_totals(drive: Drive) -> dict:
    """Raised (cash, goods value), paid out and the cash balance: always the sums of the entries (two queries)."""
    raised = Donation.objects.filter(drive=drive).aggregate(
        cash=_money_sum("amount"), goods=_money_sum("goods_value"), donations=Count("pk")
    )
    paid = Payout.objects.filter(drive=drive).aggregate(paid=_money_sum("amount"))["paid"]
    return {**raised, "paid": paid, "balance": raised["cash"] - paid, "raised": raised["cash"] + raised["goods"]}


def drives_with_totals(drives):
    """Drives annotated with `raised_cash` and `paid` (subqueries: one statement for the list)."""
    from django.db.models import OuterRef, Subquery

    def summed(model, field):
        return Coalesce(
            Subquery(
                model.objects.filter(drive=OuterRef("pk")).order_by().values("drive").annotate(t=Sum(field)).values("t")
            ),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )

    return drives.annotate(
        raised_cash=summed(Donation, "amount"),
        raised_goods=summed(Donation, "goods_value"),
        paid=summed(Payout, "amount"),
    )


# --- Care visits ------------------------------------------------------------------------------


def _person_times():
    return Count("children", distinct=False)


def visit_sums_by_year(visits) -> list[dict]:
    """Per year: visits, person-times (each child visited once counts one; plus unregistered children),
    cash and goods value. Two grouped queries (the children's count would multiply the sums)."""
    base = visits.order_by().annotate(year=ExtractYear("visited_on")).values("year")
    money = {
        r["year"]: r
        for r in base.annotate(
            visits=Count("pk"),
            unregistered=Coalesce(Sum("unregistered_children"), 0),
            cash=_money_sum("cash"),
            goods=_money_sum("goods_value"),
        )
    }
    children = dict(base.annotate(n=Count("children")).values_list("year", "n"))
    return [
        {**row, "person_times": row["unregistered"] + children.get(year, 0)}
        for year, row in sorted(money.items(), reverse=True)
    ]


def visit_sums_by_town(visits, year: int) -> list[dict]:
    """Per town (乡镇) of the organising committee, for one year: the same sums (two queries + names)."""
    from django.db.models.functions import Left

    base = (
        visits.filter(visited_on__year=year).order_by().annotate(town=Left("committee__region__code", 9)).values("town")
    )
    money = {
        r["town"]: r
        for r in base.annotate(
            visits=Count("pk"),
            unregistered=Coalesce(Sum("unregistered_children"), 0),
            goods=_money_sum("goods_value"),
            cash=_money_sum("cash"),
        )
    }
    children = dict(base.annotate(n=Count("children")).values_list("town", "n"))
    names = dict(Region.objects.filter(code__in=[t.ljust(12, "0") for t in money]).values_list("code", "name"))
    return [
        {
            **row,
            "name": names.get(town.ljust(12, "0"), town),
            "person_times": row["unregistered"] + children.get(town, 0),
        }
        for town, row in sorted(money.items())
    ]


# --- Children ---------------------------------------------------------------------------------


def possible_duplicates(*, county: Region, id_number: str, name: str, birth_date, guardian_name: str):
    """Children of the county who may be this one: the same ID number, or the same name, birth
    date and a guardian of the same name. Every child of the county (not only the user's scope):
    the page links those the user may open and names none of the others. One query."""
    condition = Q()
    if id_number:
        condition |= Q(person__id_number=id_number)
    if name and birth_date and guardian_name:
        condition |= Q(person__name=name, person__birth_date=birth_date) & (
            Q(guardians__name=guardian_name) | Q(guardians__person__name=guardian_name)
        )
    if not condition:
        return Child.objects.none()
    return (
        Child.all_objects.filter(region__code__startswith=county.prefix)
        .filter(condition)
        .select_related("person", "region")
        .distinct()
    )


def recent_viewers(child: Child, limit: int = 10) -> list[ChildAccessLog]:
    """Who read the child's record lately (one query, the user and person joined)."""
    return list(child.access_log.select_related("user__person").order_by("-at")[:limit])


# --- Counts only: what every role may read ----------------------------------------------------


def overview(cases, visits, disbursements, year: int) -> dict:
    """The numbers of the aid work in a region, no row about a person (five queries).

    `cases`, `visits`, `disbursements` are already narrowed to the region by the view
    (through the programmes and committees the user may read), never to a child.
    """
    by_status = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    open_cases = cases.exclude(status=AidCase.Status.CLOSED)
    circumstances = Child.all_objects.filter(pk__in=open_cases.values("child_id")).aggregate(
        **{c: Count("pk", filter=Q(circumstances__contains=[c])) for c in Child.Circumstance.values}
    )
    money = disbursement_totals(disbursements.filter(paid_on__year=year))
    years = {row["year"]: row for row in visit_sums_by_year(visits)}
    return {
        "by_status": [(s, by_status.get(s.value, 0)) for s in AidCase.Status],
        "open_cases": sum(n for s, n in by_status.items() if s != AidCase.Status.CLOSED),
        "circumstances": [(c, circumstances[c.value]) for c in Child.Circumstance],
        "money": money,
        "visits": years.get(year, {"visits": 0, "person_times": 0, "goods": ZERO, "cash": ZERO}),
    }


# The steps that wait for someone: a registered case for the town's verification, a verified one
# for the county's approval (each a core.access action of AidCaseQuerySet.action_rules).
WAITING_STEPS = (("verify", AidCase.Status.REGISTERED), ("approve", AidCase.Status.VERIFIED))


def cases_waiting_for(user, cases):
    """The cases of `cases` waiting for this user's step (verify or approve), a queryset (subqueries,
    no query until evaluated). The home page's 待办 counts it; the case list's `?waiting_for_me=1` filters with it."""
    conditions = Q(pk__in=[])
    for action, status in WAITING_STEPS:
        if access.can(user, action, AidCase):
            conditions |= Q(pk__in=access.rows(user, AidCase, action).filter(status=status).values("pk"))
    return cases.filter(conditions)


def pending_approvals(cases) -> dict:
    """Cases waiting for this user's step, oldest first, with how long they have waited (one query)."""
    rows = list(cases.select_related("child__person", "programme").order_by("status_changed_at")[:10])
    now = timezone.now()
    for case in rows:
        case.waiting_days = (now - case.status_changed_at).days
    return rows


def sponsor_giving_by_year(sponsor) -> list[dict]:
    """What a sponsor's pairings handed over, per year (cash, goods), reversals netting out (one query)."""
    return list(
        Disbursement.objects.filter(pairing__sponsor=sponsor)
        .order_by()
        .annotate(year=ExtractYear("paid_on"))
        .values("year")
        .annotate(cash=_money_sum("amount"), goods=_money_sum("goods_value"), n=Count("pk"))
        .order_by("-year")
    )
