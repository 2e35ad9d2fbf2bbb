"""Reads of the volunteers app: every number an SQL aggregate, a fixed number of queries per page."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Retiree
from branches.models.people import born_on_or_before
from core import access
from volunteers.models import ServiceHours, ServiceRecord, Volunteer

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=1))

AGE_BANDS = [("under_60", 0, 60), ("60_69", 60, 70), ("70_79", 70, 80), ("80_plus", 80, None)]

AGE_BAND_LABELS = [
    ("under_60", _("60岁以下")),
    ("60_69", _("60–69岁")),
    ("70_79", _("70–79岁")),
    ("80_plus", _("80岁及以上")),
]
AGE_UNKNOWN = _("年龄未知")
FIT_LABEL = _("可外出服务")
NOT_FIT_LABEL = _("不宜外出")


def with_hours(volunteers):
    """Annotate `total_hours`: confirmed hours over the whole service (one subquery per row, no join blow-up)."""
    totals = (
        ServiceHours.objects.confirmed()
        .filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return volunteers.annotate(total_hours=Coalesce(Subquery(totals), ZERO_HOURS))


def category_counts(volunteers) -> tuple[list[dict], int]:
    """([{value, label, count}] per category, the total): one query."""
    counts = volunteers.aggregate(
        **{c.value: Count("pk", filter=Q(category=c.value)) for c in Volunteer.Category}, total=Count("pk")
    )
    return [{"value": c.value, "label": c.label, "count": counts[c.value]} for c in Volunteer.Category], counts["total"]


def volunteer_service_summary(volunteer: Volunteer) -> dict:
    """Confirmed hours and person-times by year and in all, and the volunteer's waiting hours (two queries)."""
    confirmed = ServiceHours.objects.confirmed().filter(volunteer=volunteer)
    by_year = list(
        confirmed.annotate(year=ExtractYear("record__served_on"))
        .values("year")
        .annotate(
            hour_total=Sum("hours"),
            services=Count("record", distinct=True),
            person_times=Sum("record__minors_served") + Sum("record__adults_served"),
            minors=Sum("record__minors_served"),
        )
        .order_by("-year")
    )
    totals = ServiceHours.objects.filter(volunteer=volunteer, record__archived_at__isnull=True).aggregate(
        hour_total=Coalesce(Sum("hours", filter=Q(record__status=ServiceRecord.Status.CONFIRMED)), ZERO_HOURS),
        pending=Coalesce(Sum("hours", filter=Q(record__status=ServiceRecord.Status.PENDING)), ZERO_HOURS),
        services=Count("record", filter=Q(record__status=ServiceRecord.Status.CONFIRMED)),
        person_times=Coalesce(Sum("record__minors_served", filter=Q(record__status=ServiceRecord.Status.CONFIRMED)), 0)
        + Coalesce(Sum("record__adults_served", filter=Q(record__status=ServiceRecord.Status.CONFIRMED)), 0),
    )
    return {"by_year": by_year, **totals}


def service_totals(records) -> dict:
    """Confirmed records, hours, person-times (minors, adults) of a set of records: two queries."""
    confirmed = records.filter(status=ServiceRecord.Status.CONFIRMED)
    served = confirmed.aggregate(
        records=Count("pk"),
        minors=Coalesce(Sum("minors_served"), 0),
        adults=Coalesce(Sum("adults_served"), 0),
        mediations=Count("pk", filter=Q(kind=ServiceRecord.Kind.MEDIATION)),
        resolved=Count("pk", filter=Q(kind=ServiceRecord.Kind.MEDIATION, outcome=ServiceRecord.Outcome.RESOLVED)),
    )
    hours = ServiceHours.objects.filter(record__in=confirmed).aggregate(
        hour_total=Coalesce(Sum("hours"), ZERO_HOURS), volunteers=Count("volunteer", distinct=True)
    )
    return {**served, **hours, "person_times": served["minors"] + served["adults"]}


def kind_counts(records) -> list[dict]:
    """Confirmed records and person-times per kind of service (one query)."""
    rows = (
        records.filter(status=ServiceRecord.Status.CONFIRMED)
        .values("kind")
        .annotate(n=Count("pk"), person_times=Sum("minors_served") + Sum("adults_served"))
        .order_by("-n")
    )
    labels = dict(ServiceRecord.Kind.choices)
    return [{"label": labels.get(r["kind"], r["kind"]), **r} for r in rows]


def database_view(volunteers, on: dt.date | None = None) -> dict:
    """五老数据库: counts by category, specialty, age band, health and status (one query)."""
    on = on or timezone.localdate()
    aggregates = {f"category_{c.value}": Count("pk", filter=Q(category=c.value)) for c in Volunteer.Category}
    aggregates |= {f"status_{s.value}": Count("pk", filter=Q(status=s.value)) for s in Volunteer.Status}
    aggregates |= {
        f"specialty_{s.value}": Count("pk", filter=Q(specialties__contains=[s.value])) for s in Volunteer.Specialty
    }
    for name, low, high in AGE_BANDS:
        condition = Q(person__birth_date__lte=born_on_or_before(on, low)) if low else Q()
        if high:
            condition &= Q(person__birth_date__gt=born_on_or_before(on, high))
        aggregates[f"age_{name}"] = Count("pk", filter=condition & Q(person__birth_date__isnull=False))
    aggregates["age_unknown"] = Count("pk", filter=Q(person__birth_date__isnull=True))
    aggregates["fit"] = Count("pk", filter=Q(fit_for_field_work=True))
    aggregates["not_fit"] = Count("pk", filter=Q(fit_for_field_work=False))
    aggregates["total"] = Count("pk")
    counts = volunteers.aggregate(**aggregates)
    return {
        "total": counts["total"],
        "categories": [(c.label, counts[f"category_{c.value}"]) for c in Volunteer.Category],
        "statuses": [(s.label, counts[f"status_{s.value}"]) for s in Volunteer.Status],
        "specialties": [(s.label, counts[f"specialty_{s.value}"]) for s in Volunteer.Specialty],
        "ages": [(label, counts[f"age_{name}"]) for name, label in AGE_BAND_LABELS]
        + [(AGE_UNKNOWN, counts["age_unknown"])],
        "health": [(FIT_LABEL, counts["fit"]), (NOT_FIT_LABEL, counts["not_fit"])],
    }


def pipeline_retirees(retirees, county_codes):
    """Retirees not yet registered as volunteers anywhere in their county (尚未登记为五老志愿者).

    `retirees` is already narrowed to a committee's or branch's scope; one query when listed.
    """
    registered = Volunteer.objects.filter(person_id=OuterRef("person_id"), county_code__in=county_codes)
    return (
        retirees.filter(branch__isnull=False)
        .exclude(Exists(registered))
        .select_related("person", "branch")
        .order_by("person__pinyin")
    )


def committee_pipeline(committee):
    """A committee's pipeline: current retirees of the branches in its region, and of its own branch
    (党支部+关工委)."""
    from core.models import Region

    scope = Q(branch__region__code__startswith=committee.region.prefix)
    if committee.branch_id:
        scope |= Q(branch_id=committee.branch_id)
    return pipeline_retirees(Retiree.objects.filter(scope), [Region.county_code_of(committee.region_id)])


def branch_volunteer_status(branch):
    """A branch's current retirees with their registrations (the branch page's section): two queries."""
    from django.db.models import Prefetch

    return (
        Retiree.objects.filter(branch=branch)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "volunteers",
                queryset=Volunteer.objects.select_related("committee").order_by("registered_on"),
                to_attr="registrations",
            )
        )
        .order_by("person__pinyin")
    )


def registrations_elsewhere(person, county_code: str, exclude_committee=None):
    """The person's registrations in the county (for the notice on the registration form)."""
    rows = Volunteer.objects.filter(person=person, county_code=county_code).select_related("committee")
    if exclude_committee is not None:
        rows = rows.exclude(committee=exclude_committee)
    return rows


def records_to_confirm(user, records):
    """The records of `records` waiting for this user's confirmation (谁记录谁证明): pending and
    within the user's `confirm` rule. A queryset (one subquery); the home page's panels count it and
    the service list's `?waiting_for_me=1` filters with it."""
    if not access.can(user, "confirm", ServiceRecord):
        return records.none()
    return records.filter(pk__in=access.rows(user, ServiceRecord, "confirm").pending().values("pk"))
