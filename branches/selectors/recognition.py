"""Reads of the recognition area: honour counts, assessment totals, evidence choices, summaries.

Every number here is an SQL aggregate; each function runs a fixed number of
queries whatever the amount of data.
"""

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from branches.models import (
    Activity,
    Assessment,
    AssessmentItem,
    Branch,
    Honour,
    Need,
    YouthCareCommittee,
)
from core import access
from core.models import Region, User
from core.scoping import Role

_ZERO = Value(0, output_field=DecimalField(max_digits=7, decimal_places=1))
_ACTIVE_ITEMS = Q(items__archived_at__isnull=True)


def points(value) -> str:
    """A score as people write it: 10, 8.5 (never 10.0)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def honour_counts(honours: QuerySet) -> dict:
    """Honours by level and by year (two GROUP BY queries over the given queryset)."""
    labels = dict(Honour.Level.choices)
    by_level = [
        {"level": row["level"], "label": labels.get(row["level"], row["level"]), "count": row["n"]}
        for row in honours.order_by().values("level").annotate(n=Count("pk")).order_by("level")
    ]
    order = list(labels)
    by_level.sort(key=lambda row: order.index(row["level"]) if row["level"] in order else len(order))
    by_year = list(
        honours.order_by()
        .annotate(year=ExtractYear("awarded_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return {"by_level": by_level, "by_year": by_year, "total": sum(row["count"] for row in by_level)}


def with_totals(assessments: QuerySet) -> QuerySet:
    """Annotate self/town/county totals, the maximum and the number of scored items (one query)."""
    return assessments.annotate(
        self_total=Coalesce(Sum("items__self_score", filter=_ACTIVE_ITEMS), _ZERO),
        town_total=Sum("items__town_score", filter=_ACTIVE_ITEMS),
        county_total=Sum("items__county_score", filter=_ACTIVE_ITEMS),
        max_total=Coalesce(Sum("items__criterion__max_score", filter=_ACTIVE_ITEMS), _ZERO),
        item_count=Count("items", filter=_ACTIVE_ITEMS),
        scored_count=Count("items", filter=_ACTIVE_ITEMS & Q(items__self_score__isnull=False)),
    )


def review_queue(assessments: QuerySet) -> dict:
    """How many assessments wait for a town review or a county review (one aggregate query)."""
    return assessments.aggregate(
        submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
        town_reviewed=Count("pk", filter=Q(status=Assessment.Status.TOWN_REVIEWED)),
    )


def assessment_totals(assessment: Assessment) -> dict:
    """The sums of one assessment's scores (one aggregate query)."""
    return AssessmentItem.objects.filter(assessment=assessment).aggregate(
        self_total=Coalesce(Sum("self_score"), _ZERO),
        town_total=Sum("town_score"),
        county_total=Sum("county_score"),
        max_total=Coalesce(Sum("criterion__max_score"), _ZERO),
        item_count=Count("pk"),
        scored_count=Count("pk", filter=Q(self_score__isnull=False)),
    )


def assessment_items(assessment: Assessment) -> QuerySet:
    """Items with their criterion and linked evidence (three queries when evaluated)."""
    return (
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("criterion")
        .prefetch_related("activities", "needs")
        .order_by("criterion__order", "pk")
    )


def schemes_with_totals(schemes: QuerySet) -> QuerySet:
    """Annotate the number of active criteria and their total points (one query)."""
    active = Q(criteria__archived_at__isnull=True)
    return schemes.annotate(
        criterion_count=Count("criteria", filter=active),
        max_total=Coalesce(Sum("criteria__max_score", filter=active), _ZERO),
    )


# --- Evidence -------------------------------------------------------------------------------


def evidence_branch(assessment: Assessment) -> Branch | None:
    """Whose records count as evidence: the branch, or the branch a committee is run with."""
    if assessment.branch_id:
        return assessment.branch
    return assessment.committee.branch if assessment.committee_id else None


def evidence_activities(assessment: Assessment, user) -> QuerySet:
    """Activities of the assessed branch held in the assessment's year, as far as the user may see."""
    branch = evidence_branch(assessment)
    if branch is None:
        return Activity.objects.none()
    return (
        access.readable(user, Activity).filter(branch=branch, held_on__year=assessment.year).order_by("held_on", "pk")
    )


def evidence_needs(assessment: Assessment, user) -> QuerySet:
    """Needs of the assessed branch resolved in the assessment's year, as far as the user may see."""
    branch = evidence_branch(assessment)
    if branch is None:
        return Need.objects.none()
    return (
        access.readable(user, Need)
        .filter(branch=branch, resolved_on__year=assessment.year)
        .order_by("resolved_on", "pk")
    )


# --- Reviewers ------------------------------------------------------------------------------


def town_code_of(region: Region) -> str | None:
    """The code of the town (乡镇、街道) a region lies in; None for a county or above."""
    if region.level not in (Region.Level.TOWN, Region.Level.VILLAGE):
        return None
    return region.code[:9] + "000"


def has_town_reviewer(assessment: Assessment) -> bool:
    """Whether an active staff account sits at the town of the assessed branch or committee (one query)."""
    town_code = town_code_of(assessment.target.region)
    if town_code is None:
        return False
    return User.objects.filter(
        is_active=True,
        role=Role.COUNTY_STAFF,
        region_id=town_code,
        region__level=Region.Level.TOWN,
    ).exists()


# --- Summaries for the branch and committee pages -------------------------------------------


def _summary(honours: QuerySet, assessments: QuerySet) -> dict:
    honour_list = list(honours.order_by("-awarded_on", "-pk"))
    latest = (
        with_totals(assessments.select_related("scheme", "branch", "committee"))
        .order_by("-year", "-created_at")
        .first()
    )
    return {"honours": honour_list, "honour_count": len(honour_list), "latest_assessment": latest}


def branch_recognition_summary(branch: Branch) -> dict:
    """The branch's honours and its latest assessment with status and totals (two queries).

    Returns {"honours": [Honour], "honour_count": int, "latest_assessment": Assessment | None};
    the assessment carries `self_total`, `town_total`, `county_total`, `max_total`.
    """
    return _summary(Honour.objects.filter(branch=branch), Assessment.objects.filter(branch=branch))


def committee_recognition_summary(committee: YouthCareCommittee) -> dict:
    """The committee's honours and its latest assessment with status and totals (two queries), and
    `five_good_honour`: its latest 五好 title, the honour its 五好 status rests on (or None)."""
    summary = _summary(Honour.objects.filter(committee=committee), Assessment.objects.filter(committee=committee))
    summary["five_good_honour"] = next((h for h in summary["honours"] if "五好" in h.title), None)
    return summary
