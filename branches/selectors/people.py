"""Reads about retirees and their care for pages and numbers: SQL aggregates, a fixed number of queries."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from branches.models import Branch, CarePair, Membership, Need, Retiree
from branches.models.people import ADVANCED_AGE, born_on_or_before


def _member_aggregates(prefix: str, on: dt.date) -> dict:
    """Count() expressions over retirees reached through `prefix` (e.g. "retiree__")."""
    return {
        "total": Count("pk"),
        "party_members": Count("pk", filter=Q(**{f"{prefix}is_party_member": True})),
        "lixiu": Count("pk", filter=Q(**{f"{prefix}status": Retiree.Status.LIXIU})),
        "retired": Count("pk", filter=Q(**{f"{prefix}status": Retiree.Status.RETIRED})),
        "limited_mobility": Count("pk", filter=Q(**{f"{prefix}limited_mobility": True})),
        "lives_alone": Count("pk", filter=Q(**{f"{prefix}lives_alone": True})),
        "in_hardship": Count("pk", filter=Q(**{f"{prefix}in_hardship": True})),
        "advanced_age": Count(
            "pk", filter=Q(**{f"{prefix}person__birth_date__lte": born_on_or_before(on, ADVANCED_AGE)})
        ),
    }


def branch_member_counts(branch: Branch, on: dt.date | None = None) -> dict[str, int]:
    """Members of the branch on a date, from the memberships open that day (one query).

    A retiree transferred from A to B on 1 July counts in A up to 30 June and
    in B from 1 July. Keys: total, party_members, non_party_members, lixiu,
    retired, limited_mobility, lives_alone, in_hardship, advanced_age (80 or
    older on that date). Archived memberships and archived retirees do not count.
    """
    on = on or timezone.localdate()
    counts = (
        Membership.objects.filter(branch=branch, retiree__archived_at__isnull=True)
        .open_on(on)
        .aggregate(**_member_aggregates("retiree__", on))
    )
    counts["non_party_members"] = counts["total"] - counts["party_members"]
    return counts


def branch_people_summary(branch: Branch, *, on: dt.date | None = None) -> dict:
    """What the branch page shows about its people (three queries, whatever the size of the branch).

    Returns a dict with:
    - `on`: the date of the numbers (today by default);
    - `counts`: `branch_member_counts(branch, on)`;
    - `open_needs`: the branch's open needs, oldest first, each with `retiree.person`
      loaded (`need.days_open` is the number of days since it was received);
    - `open_need_count`, `oldest_need_days`;
    - `care_pairs`: open care pairs of the branch's current members, with cadre and retiree.
    The partial `branches/partials/people_branch_summary.html` renders it; names
    are shown only to users allowed to see needs and care pairs.
    """
    on = on or timezone.localdate()
    open_needs = list(
        Need.objects.filter(branch=branch, resolved_on__isnull=True)
        .select_related("retiree__person")
        .order_by("received_on", "pk")
    )
    care_pairs = list(
        CarePair.objects.filter(retiree__branch=branch, retiree__archived_at__isnull=True, ended_on__isnull=True)
        .select_related("cadre", "retiree__person")
        .order_by("started_on", "pk")
    )
    return {
        "on": on,
        "counts": branch_member_counts(branch, on),
        "open_needs": open_needs,
        "open_need_count": len(open_needs),
        "oldest_need_days": (on - open_needs[0].received_on).days if open_needs else None,
        "care_pairs": care_pairs,
    }


def hardship_totals(queryset) -> dict:
    """Total amount and number of payments in a (filtered) queryset of hardship payments (one query)."""
    totals = queryset.order_by().aggregate(total=Sum("amount"), count=Count("pk"))
    totals["total"] = totals["total"] or Decimal("0")
    return totals


def hardship_totals_by_year(queryset) -> list[dict]:
    """Per calendar year: year, total, count, newest year first (one query)."""
    return list(
        queryset.order_by()
        .annotate(year=ExtractYear("paid_on"))
        .values("year")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-year")
    )


def open_need_stats(queryset) -> dict:
    """Open / resolved counts of a queryset of needs (one query)."""
    return queryset.order_by().aggregate(
        open=Count("pk", filter=Q(resolved_on__isnull=True)),
        resolved=Count("pk", filter=Q(resolved_on__isnull=False)),
    )
