"""Reads of the organisation area: page data and numbers as SQL aggregates.

Every function here runs a fixed number of queries, whatever the size of the
county (the list and detail tests assert it).
"""

import datetime as dt

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from branches.models import (
    Branch,
    Cluster,
    GuidanceVisit,
    Membership,
    Post,
    Venue,
    WorkCommittee,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from branches.models.organisation import GATHERING_BRANCH_KINDS, STANDING_BRANCH_KINDS, post_role_order
from core import access


def _current_posts(on=None):
    return Post.objects.current(on).select_related("person").order_by(post_role_order(), "person__pinyin")


def branch_organisation_summary(branch: Branch, *, on: dt.date | None = None) -> dict:
    """Everything about a branch's organisation for its detail page; at most 7 queries.

    Keys: `branch`, `cluster` (or None), `posts` (current posts with their
    person), `venues`, `children` (child branches, with `member_count`),
    `committees` (linked youth-care committees, with `one_shoulder`),
    `guidance_visits` (this year's, newest first), `guides` (current
    work-committee members linked to the branch), `year`.
    """
    on = on or timezone.localdate()
    cluster = Cluster.objects.filter(pk=branch.cluster_id).first() if branch.cluster_id else None
    return {
        "branch": branch,
        "cluster": cluster,
        "posts": list(_current_posts(on).filter(branch=branch)),
        "venues": list(Venue.objects.filter(branches=branch).order_by("pinyin")),
        "children": list(Branch.objects.filter(parent=branch).with_member_counts(on).order_by("pinyin")),
        "committees": list(YouthCareCommittee.objects.filter(branch=branch).with_one_shoulder().order_by("pinyin")),
        "guidance_visits": list(
            GuidanceVisit.objects.filter(branch=branch, visited_on__year=on.year)
            .select_related("member__person")
            .order_by("-visited_on")
        ),
        "guides": list(
            WorkCommitteeMember.objects.current(on).filter(branches=branch).select_related("person").order_by("title")
        ),
        "year": on.year,
    }


def clusters_with_counts(queryset, *, on: dt.date | None = None):
    """Annotate `branch_count` and `member_count` (current memberships) on clusters: one query."""
    on = on or timezone.localdate()
    members = (
        Membership.objects.open_on(on)
        .filter(branch__cluster=OuterRef("pk"), branch__archived_at__isnull=True)
        .order_by()
        .values("branch__cluster")
        .annotate(n=Count("pk"))
        .values("n")
    )
    branches = Branch.objects.filter(cluster=OuterRef("pk")).order_by().values("cluster").annotate(n=Count("pk"))
    # Two subqueries and no GROUP BY: a page of 25 clusters counts for those 25 only, and
    # the paginator's COUNT(*) skips them (with a GROUP BY, a province's 1,200 clusters
    # were all counted twice per page: 250 ms).
    return queryset.annotate(
        branch_count=Coalesce(Subquery(branches.values("n"), output_field=IntegerField()), Value(0)),
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
    ).order_by("pinyin")


def cluster_totals(user, *, on: dt.date | None = None) -> dict:
    """The county at a glance (2 queries): its retiree branches (`standing`, in a cluster or not),
    general and temporary (or functional) branches apart, clusters, current members, and the
    retirees the standing branches cover ("52个支部覆盖1491名离退休干部")."""
    on = on or timezone.localdate()
    branches = access.readable(user, Branch)
    standing = Q(kind__in=STANDING_BRANCH_KINDS)
    active_cluster = Q(cluster__isnull=False, cluster__archived_at__isnull=True)
    totals = branches.aggregate(
        branches=Count("pk"),
        standing=Count("pk", filter=standing),
        general=Count("pk", filter=Q(kind=Branch.Kind.GENERAL)),
        gathering=Count("pk", filter=Q(kind__in=GATHERING_BRANCH_KINDS)),
        clustered=Count("pk", filter=standing & active_cluster),
        clusters=Count("cluster", filter=active_cluster, distinct=True),
    )
    totals["unclustered"] = totals["standing"] - totals["clustered"]
    totals.update(
        Membership.objects.open_on(on)
        .filter(branch__in=branches.values("pk"))
        .aggregate(
            members=Count("pk"),
            covered=Count("retiree", distinct=True, filter=Q(branch__kind__in=STANDING_BRANCH_KINDS)),
        )
    )
    return totals


def committee_detail_data(committee: YouthCareCommittee, *, on: dt.date | None = None) -> dict:
    """Members, children, venues and the 一肩挑 (one-shoulder) holder of a committee; 5 queries.

    `one_shoulder` is None or a dict: `person`, `director_post` and
    `branch_posts` (the same person's current branch posts).
    """
    on = on or timezone.localdate()
    posts = list(_current_posts(on).filter(committee=committee))
    director = next((p for p in posts if p.role == Post.Role.EXECUTIVE_DIRECTOR), None)
    one_shoulder = None
    if director:
        branch_posts = list(
            Post.objects.current(on).filter(person_id=director.person_id, branch__isnull=False).select_related("branch")
        )
        if branch_posts:
            one_shoulder = {"person": director.person, "director_post": director, "branch_posts": branch_posts}
    return {
        "posts": posts,
        "one_shoulder": one_shoulder,
        "children": list(YouthCareCommittee.objects.filter(parent=committee).order_by("level", "pinyin")),
        "venues": list(committee.venues.order_by("pinyin")),
    }


def members_with_visits(members, *, year: int):
    """Members in office during the year, annotated with `visit_count` that year and `behind`: fewer
    visits than their work committee requires (one definition, for the committee page and the 待办)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        members.filter(start_on__lte=last)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
        .annotate(
            visit_count=Count(
                "visits",
                filter=Q(visits__visited_on__year=year, visits__archived_at__isnull=True),
            )
        )
        .annotate(
            behind=Case(
                When(visit_count__lt=F("work_committee__required_visits_per_year"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def members_behind(members, *, year: int):
    """The members of `members` behind with their guidance visits this year (one query to count)."""
    return members_with_visits(members, year=year).filter(behind=True)


def work_committee_members(work_committee: WorkCommittee, *, year: int, behind_only: bool = False):
    """Members in office during the year, with `visit_count` that year and `behind`; 2 queries.

    A member is behind when they made fewer visits than the work committee requires;
    `behind_only` keeps those (the page's `?behind=1`, the home page's 待办).
    """
    members = WorkCommitteeMember.objects.filter(work_committee=work_committee)
    members = (members_behind if behind_only else members_with_visits)(members, year=year)
    members = (
        members.select_related("person")
        .prefetch_related(
            Prefetch("branches", queryset=Branch.objects.order_by("pinyin")),
            Prefetch("clusters", queryset=Cluster.objects.order_by("pinyin")),
        )
        .order_by("title", "person__pinyin")
    )
    return list(members)
