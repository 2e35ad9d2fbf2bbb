"""Reads about retirees and their care for pages and numbers: SQL aggregates, a fixed number of queries."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from branches.models import Branch, CarePair, Membership, Need, Retiree
from branches.models.people import ADVANCED_AGE, born_on_or_before
from core.models import Region


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


def need_figures(needs, *, start: dt.date, on: dt.date) -> dict:
    """Needs received and needs resolved from `start` to `on`, and needs open on `on` (one query).
    The branch page's "今年收集个性需求…已解决…" and the annual report's figures are these."""

    def dated(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lte": on})

    return needs.aggregate(
        needs_received=Count("pk", filter=dated("received_on")),
        needs_resolved=Count("pk", filter=dated("resolved_on")),
        needs_open=Count("pk", filter=Q(received_on__lte=on) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))),
    )


def branch_people_summary(branch: Branch, *, on: dt.date | None = None) -> dict:
    """What the branch page shows about its people (four queries, whatever the size of the branch).

    Returns a dict with:
    - `on`: the date of the numbers (today by default);
    - `counts`: `branch_member_counts(branch, on)`;
    - `open_needs`: the branch's open needs, oldest first, each with `retiree.person`
      loaded (`need.days_open` is the number of days since it was received);
    - `open_need_count`, `oldest_need_days`;
    - `care_pairs`: open care pairs of the branch's current members, with cadre and retiree;
    - `year_needs`: `need_figures` of this year up to `on`.
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
        "year_needs": need_figures(Need.objects.filter(branch=branch), start=on.replace(month=1, day=1), on=on),
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


# --- Communities (村、社区) -------------------------------------------------------------------


def communities(regions, check_ins, branches):
    """The villages and communities among `regions` where retirees checked in or branches sit, each
    with `check_in_count` and `branch_count` (a queryset: a page of it is one query). Arguments are
    the user's readable rows."""
    check_in_count = (
        check_ins.filter(community=OuterRef("pk")).order_by().values("community").annotate(n=Count("pk")).values("n")
    )
    branch_count = (
        branches.filter(region=OuterRef("pk"), dissolved_on__isnull=True)
        .order_by()
        .values("region")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        regions.filter(level=Region.Level.VILLAGE)
        .annotate(
            check_in_count=Coalesce(Subquery(check_in_count, output_field=IntegerField()), 0),
            branch_count=Coalesce(Subquery(branch_count, output_field=IntegerField()), 0),
        )
        .filter(Q(check_in_count__gt=0) | Q(branch_count__gt=0))
        .select_related("parent")
        .order_by("code")
    )


def community_summary(
    community: Region, *, check_ins, branches, participations, roles, on: dt.date | None = None
) -> dict:
    """A community's page (4 queries): who checked in (报到) there, by year; the temporary,
    functional and other branches in it with their participants today; the community-governance
    roles held there today. Arguments are the user's readable rows of each model."""
    on = on or timezone.localdate()
    here = list(
        check_ins.filter(community=community)
        .select_related("person__retiree__branch")
        .order_by("-checked_in_on", "person__pinyin")
    )
    by_year: dict[int, int] = {}
    for check_in in here:
        by_year[check_in.checked_in_on.year] = by_year.get(check_in.checked_in_on.year, 0) + 1
    taking_part = (
        participations.current(on).filter(branch=OuterRef("pk")).order_by().values("branch").annotate(n=Count("pk"))
    )
    branch_rows = list(
        branches.filter(region=community, dissolved_on__isnull=True)
        .annotate(participant_count=Coalesce(Subquery(taking_part.values("n"), output_field=IntegerField()), 0))
        .order_by("-kind", "pinyin")  # temporary branches first, then the retiree, general, functional ones
    )
    role_rows = list(
        roles.filter(region=community)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .select_related("person")
        .order_by("kind", "person__pinyin")
    )
    return {
        "on": on,
        "check_ins": here,
        "check_in_count": len(here),
        "check_ins_by_year": sorted(by_year.items(), reverse=True),
        "branches": branch_rows,
        "participant_count": sum(b.participant_count for b in branch_rows),
        "governance_roles": role_rows,
    }
