"""The figures of the annual report: SQL aggregates over a region's subtree and a year.

Each function runs a fixed number of queries (one aggregate each, whatever the size of
the region), counts only rows that are not archived, and reads the state of the
organisation on `on` (the end of the year, or the "as of" date of a report run
before the year is over). The year runs from 1 January to 31 December, the dates
being the local (Asia/Shanghai) dates the records carry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from aid_cases.models import AidCase, CareVisit, Disbursement, Donation, Drive, Pairing, case_open_on
from branches.models import (
    STANDING_BRANCH_KINDS,
    Activity,
    Branch,
    CarePair,
    CareRecord,
    Cluster,
    GovernanceRole,
    HardshipPayment,
    Honour,
    Membership,
    Need,
    Post,
    Venue,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from branches.selectors.activities import person_times_expression
from branches.selectors.people import need_figures
from core.models import Region
from funds.models import Category as FundCategory
from funds.models import FundEntry
from reports import tallies
from volunteers.models import (
    ServiceHours,
    ServiceRecord,
    Studio,
    Suggestion,
    Team,
    TeamMembership,
    Volunteer,
    standing_on,
)

ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
# Branches that stand for retirees (the seeds' "离退休干部党支部"): general, temporary and
# functional branches are counted apart, and coverage is that of the standing ones.
STANDING_KINDS = STANDING_BRANCH_KINDS
# The county's Party school for retired cadres (the work committee's): 报告会、读书会、培训班及专题党课.
TRAINING_KINDS = (
    Activity.Kind.TRAINING,
    Activity.Kind.READING_CLUB,
    Activity.Kind.SPECIAL_LESSON,
)
# Talks and study sessions of any organiser.
LECTURE_KINDS = (Activity.Kind.LECTURE, Activity.Kind.STUDY)
# A youth-care committee's large meetings and large activities (seed 001).
COMMITTEE_MEETING_KINDS = (Activity.Kind.PROMOTION_MEETING, Activity.Kind.COMMENDATION_MEETING)
COMMITTEE_EVENT_KINDS = (Activity.Kind.AID_COMMENDATION, Activity.Kind.PERFORMANCE, Activity.Kind.TALK)
# 三会一课: the branch meeting, the committee meeting, the group meeting and the Party lesson.
THREE_MEETINGS_ONE_LESSON = (
    Activity.Kind.GENERAL_MEETING,
    Activity.Kind.COMMITTEE_MEETING,
    Activity.Kind.GROUP_MEETING,
    Activity.Kind.PARTY_LESSON,
)


@dataclass(frozen=True)
class Period:
    """A region and a year, and the day whose state the report describes."""

    region: Region
    year: int
    on: dt.date

    @classmethod
    def of(cls, region: Region, year: int, as_of: dt.date | None = None) -> Period:
        """The year's last day, or `as_of` / today if that comes first (a report of a year not over)."""
        end = dt.date(year, 12, 31)
        limit = as_of or timezone.localdate()
        return cls(region=region, year=year, on=min(end, limit))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def prefix(self) -> str:
        return self.region.prefix

    def dated(self, field: str) -> Q:
        """Rows dated inside the year, and not after the "as of" day."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.on})


def open_on(on: dt.date, start: str, end: str, *, end_inclusive: bool = False) -> Q:
    ended_after = f"{end}__gte" if end_inclusive else f"{end}__gt"
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": on})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{ended_after: on})
    )


def organisation(period: Period) -> dict:
    """Branches by kind, coverage, clusters, committees by level, 一肩挑, venues (6 queries)."""
    on, prefix = period.on, period.prefix
    branches = Branch.objects.in_region(period.region).filter(open_on(on, "founded_on", "dissolved_on"))
    figures = branches.aggregate(
        standing=Count("pk", filter=Q(kind__in=STANDING_KINDS)),
        general=Count("pk", filter=Q(kind=Branch.Kind.GENERAL)),
        temporary=Count("pk", filter=Q(kind=Branch.Kind.TEMPORARY)),
        functional=Count("pk", filter=Q(kind=Branch.Kind.FUNCTIONAL)),
        clustered=Count("pk", filter=Q(kind__in=STANDING_KINDS, cluster__isnull=False)),
    )
    figures.update(
        Membership.objects.open_on(on)
        .filter(
            branch__region__code__startswith=prefix,
            branch__kind__in=STANDING_KINDS,
            branch__archived_at__isnull=True,
            retiree__archived_at__isnull=True,
        )
        .filter(open_on(on, "branch__founded_on", "branch__dissolved_on"))
        .aggregate(
            covered=Count("retiree", distinct=True),
            covered_party_members=Count("retiree", distinct=True, filter=Q(retiree__is_party_member=True)),
        )
    )
    figures["clusters"] = Cluster.objects.in_region(period.region).count()
    director_posts = Post.objects.current(on).filter(committee=OuterRef("pk"), role=Post.Role.EXECUTIVE_DIRECTOR)
    branch_posts = Post.objects.current(on).filter(person=OuterRef("person"), branch__isnull=False)
    committees = YouthCareCommittee.objects.in_region(period.region).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=on)
    )
    figures.update(
        committees.aggregate(
            committees=Count("pk"),
            committees_county=Count("pk", filter=Q(level=YouthCareCommittee.Level.COUNTY)),
            committees_town=Count("pk", filter=Q(level=YouthCareCommittee.Level.TOWN)),
            committees_village=Count("pk", filter=Q(level=YouthCareCommittee.Level.VILLAGE)),
            committees_school=Count("pk", filter=Q(level=YouthCareCommittee.Level.SCHOOL)),
            committees_department=Count("pk", filter=Q(level=YouthCareCommittee.Level.DEPARTMENT)),
            five_good=Count(
                "pk",
                filter=Q(five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED)
                & (Q(five_good_on__isnull=True) | Q(five_good_on__lte=on)),
            ),
            one_shoulder=Count("pk", filter=Exists(director_posts.filter(Exists(branch_posts)))),
        )
    )
    figures["venues"] = Venue.objects.in_region(period.region).count()
    figures["work_committee_members"] = (
        WorkCommitteeMember.objects.current(on).filter(work_committee__region__code__startswith=prefix).count()
    )
    return figures


# The year's activity figures: counts, and person-times, of the activities of a kind or with a flag.
# The conditions are on fields the activities and the province's tallies (reports.tallies) share.
STUDY_COUNTS = {
    "activities": None,
    "three_meetings_one_lesson": Q(kind__in=THREE_MEETINGS_ONE_LESSON),
    "party_lessons": Q(kind=Activity.Kind.PARTY_LESSON),
    "theme_days": Q(kind=Activity.Kind.THEME_DAY),
    "online": Q(is_online=True),
    "home_study": Q(kind=Activity.Kind.HOME_STUDY),
    "field_teaching": Q(kind=Activity.Kind.FIELD_TEACHING),
    "lectures": Q(kind__in=LECTURE_KINDS),
    "trainings": Q(kind__in=TRAINING_KINDS),
    "cluster_meetings": Q(kind=Activity.Kind.CLUSTER_MEETING),
    "committee_meetings": Q(kind__in=COMMITTEE_MEETING_KINDS),
    "committee_events": Q(kind__in=COMMITTEE_EVENT_KINDS),
    "large": Q(is_large=True),
}
STUDY_PERSON_TIMES = {
    "lecture_person_times": Q(kind__in=LECTURE_KINDS),
    "training_person_times": Q(kind__in=TRAINING_KINDS),
    "person_times": None,
}


def activity_counts(activities) -> dict:
    """STUDY_COUNTS and STUDY_PERSON_TIMES over these activities, and the absentees who caught up
    since (补学, kept with the activity's presence count): 1 query."""
    person_times = person_times_expression()
    return activities.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in STUDY_COUNTS.items()},
        **{name: Coalesce(Sum(person_times, filter=condition), 0) for name, condition in STUDY_PERSON_TIMES.items()},
        caught_up=Coalesce(Sum("presence__caught_up"), 0),
    )


def study(period: Period) -> dict:
    """Meetings and study of the year, of every organiser: 三会一课, theme days, online meetings,
    送学上门, field teaching, the Party school's trainings, cluster and committee meetings, 补学 (1 query;
    a province's and a city's from the tallies)."""
    if tallies.covers(period.region):
        return tallies.activity_figures(period.region, period.start, period.on, STUDY_COUNTS, STUDY_PERSON_TIMES)
    return activity_counts(Activity.objects.in_region(period.region).filter(period.dated("held_on")))


def member_care(period: Period) -> dict:
    """Care pairs and their visits, needs, hardship payments of the year (4 queries)."""
    region = period.region
    figures = (
        CarePair.objects.in_region(region)
        .filter(started_on__lte=period.on)
        .aggregate(
            care_pairs=Count("pk", filter=Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)),
        )
    )
    figures.update(
        CareRecord.objects.in_region(region)
        .filter(period.dated("happened_on"))
        .aggregate(care_records=Count("pk"), care_goods_value=Coalesce(Sum("goods_value"), ZERO))
    )
    figures.update(need_figures(Need.objects.in_region(region), start=period.start, on=period.on))
    figures.update(
        HardshipPayment.objects.in_region(region)
        .filter(period.dated("paid_on"))
        .aggregate(
            hardship_payments=Count("pk"),
            hardship_recipients=Count("retiree", distinct=True),
            hardship_amount=Coalesce(Sum("amount"), ZERO),
        )
    )
    return figures


def honours(period: Period) -> dict:
    """Honours awarded in the year, by level and by who received them (1 query)."""
    rows = Honour.objects.in_region(period.region).filter(period.dated("awarded_on"))
    return rows.aggregate(
        honours=Count("pk"),
        honours_national=Count("pk", filter=Q(level=Honour.Level.NATIONAL)),
        honours_province=Count("pk", filter=Q(level=Honour.Level.PROVINCE)),
        honours_city=Count("pk", filter=Q(level=Honour.Level.CITY)),
        honours_county=Count("pk", filter=Q(level=Honour.Level.COUNTY)),
        honours_town=Count("pk", filter=Q(level=Honour.Level.TOWN)),
        honours_branches=Count("pk", filter=Q(branch__isnull=False)),
        honours_committees=Count("pk", filter=Q(committee__isnull=False)),
        honours_people=Count("pk", filter=Q(person__isnull=False)),
    )


# --- Youth care: the five-elders volunteers and what they did -----------------------------------


def confirmed_service(period: Period):
    """The year's confirmed service records of the region (a queryset: the report's hours and the
    dashboard's hours by month are both read from it)."""
    return ServiceRecord.objects.in_region(period.region).confirmed().filter(period.dated("served_on"))


def youth_care(period: Period) -> dict:
    """Volunteers registered on `on` by category, teams and studios, the year's confirmed service
    by kind, hours and people served (6 queries)."""
    on, region = period.on, period.region
    # Registered by `on` and not yet gone: a later change of status does not rewrite the past.
    registered = Q(registered_on__lte=on) & ~Q(status=Volunteer.Status.APPLICANT)
    standing = standing_on(on)
    figures = Volunteer.objects.in_region(region).aggregate(
        volunteers=Count("pk", filter=standing),
        volunteers_new=Count("pk", filter=registered & period.dated("registered_on")),
        **{f"volunteers_{c.value}": Count("pk", filter=standing & Q(category=c.value)) for c in Volunteer.Category},
    )
    figures.update(
        Team.objects.in_region(region)
        .filter(open_on(on, "founded_on", "disbanded_on"))
        .aggregate(teams=Count("pk"), advisory_teams=Count("pk", filter=Q(purpose=Team.Purpose.ADVISORY)))
    )
    figures["team_members"] = (
        TeamMembership.objects.in_region(region)
        .filter(joined_on__lte=on, volunteer__archived_at__isnull=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .filter(open_on(on, "team__founded_on", "team__disbanded_on"), team__archived_at__isnull=True)
        .aggregate(n=Count("volunteer", distinct=True))["n"]
    )
    figures.update(
        Studio.objects.in_region(region)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
        .aggregate(studios=Count("pk"))
    )
    records = confirmed_service(period)
    kinds = ServiceRecord.Kind
    figures.update(
        records.aggregate(
            services=Count("pk"),
            minors=Coalesce(Sum("minors_served"), 0),
            adults=Coalesce(Sum("adults_served"), 0),
            culture_large=Count("pk", filter=Q(kind=kinds.CULTURE, culture_scale=ServiceRecord.CultureScale.LARGE)),
            culture_small=Count("pk", filter=Q(kind=kinds.CULTURE, culture_scale=ServiceRecord.CultureScale.SMALL)),
            **{f"services_{k.value}": Count("pk", filter=Q(kind=k.value)) for k in kinds},
            **{f"minors_{k.value}": Coalesce(Sum("minors_served", filter=Q(kind=k.value)), 0) for k in kinds},
        )
    )
    figures.update(
        ServiceHours.objects.filter(record__in=records).aggregate(
            hours=Coalesce(Sum("hours"), Value(Decimal("0.0"))), serving=Count("volunteer", distinct=True)
        )
    )
    figures["person_times_served"] = figures["minors"] + figures["adults"]
    return figures


def contributions(period: Period) -> dict:
    """建言献策, advisory groups' decisions, mediations and governance roles held (4 queries)."""
    on, region = period.on, period.region
    figures = (
        Suggestion.objects.in_region(region)
        .filter(period.dated("proposed_on"))
        .aggregate(
            suggestions=Count("pk"),
            adopted=Count("pk", filter=Q(adopted=True) & (Q(adopted_on__isnull=True) | Q(adopted_on__lte=on))),
            decisions=Count("pk", filter=~Q(decision="")),
            deciding_teams=Count("team", distinct=True, filter=~Q(decision="") & Q(team__isnull=False)),
        )
    )
    figures.update(
        ServiceRecord.objects.in_region(region)
        .confirmed()
        .filter(period.dated("served_on"), kind=ServiceRecord.Kind.MEDIATION)
        .aggregate(
            mediations=Count("pk"),
            mediations_resolved=Count("pk", filter=Q(outcome=ServiceRecord.Outcome.RESOLVED)),
        )
    )
    figures["advisory_teams"] = (
        Team.objects.in_region(region)
        .filter(open_on(on, "founded_on", "disbanded_on"), purpose=Team.Purpose.ADVISORY)
        .count()
    )
    figures.update(
        GovernanceRole.objects.filter(region__code__startswith=period.prefix, person__archived_at__isnull=True)
        .filter(open_on(on, "start_on", "end_on"))
        .aggregate(
            governance_roles=Count("pk"),
            governance_people=Count("person", distinct=True),
            **{f"governance_{k.value}": Count("pk", filter=Q(kind=k.value)) for k in GovernanceRole.Kind},
        )
    )
    return figures


# --- Aid for children -------------------------------------------------------------------------


def aid(period: Period) -> dict:
    """Cases approved and not closed on `on` (在册), new and closed in the year, pairings, the
    year's disbursements, care visits and drives (7 queries)."""
    on, region = period.on, period.region
    figures = AidCase.objects.in_region(region).aggregate(
        cases_open=Count("pk", filter=case_open_on(on)),
        cases_new=Count("pk", filter=period.dated("registered_on")),
        cases_closed=Count("pk", filter=period.dated("closed_on")),
    )
    figures.update(
        Pairing.objects.in_region(region)
        .filter(start_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .aggregate(pairings=Count("pk"), sponsors=Count("sponsor", distinct=True))
    )
    figures.update(
        Disbursement.objects.in_region(region)
        .filter(period.dated("paid_on"))
        .aggregate(
            disbursed_cash=Coalesce(Sum("amount"), ZERO),
            disbursed_goods=Coalesce(Sum("goods_value"), ZERO),
            # Children who kept something: a disbursement reversed (and its reversal) reached no one.
            children_aided=Count(
                "case__child", distinct=True, filter=Q(reverses__isnull=True, reversed_by__isnull=True)
            ),
        )
    )
    visits = CareVisit.objects.in_region(region).filter(period.dated("visited_on"))
    figures.update(
        visits.aggregate(
            visits=Count("pk"),
            visit_cash=Coalesce(Sum("cash"), ZERO),
            visit_goods=Coalesce(Sum("goods_value"), ZERO),
            unregistered=Coalesce(Sum("unregistered_children"), 0),
        )
    )
    # Counted apart: joining the children would multiply the sums above.
    registered_children = CareVisit.children.through.objects.filter(
        carevisit__in=visits, child__archived_at__isnull=True
    ).count()
    figures["visit_person_times"] = figures.pop("unregistered") + registered_children
    figures["visit_value"] = figures["visit_cash"] + figures["visit_goods"]
    figures["drives"] = Drive.objects.in_region(region).filter(period.dated("launched_on")).count()
    figures.update(
        Donation.objects.in_region(region)
        .filter(period.dated("received_on"))
        .aggregate(
            donations=Count("pk"),
            raised_cash=Coalesce(Sum("amount"), ZERO),
            raised_goods=Coalesce(Sum("goods_value"), ZERO),
        )
    )
    figures["raised"] = figures["raised_cash"] + figures["raised_goods"]
    figures["disbursed"] = figures["disbursed_cash"] + figures["disbursed_goods"]
    return figures


# --- Funds ------------------------------------------------------------------------------------


def funds(period: Period) -> dict:
    """The year's income and spending per category over the region's ledgers (1 query).

    An allocation between two ledgers of the region (the county office to its branches) is
    money moving inside the region: both sides are left out, so the region's income is what
    came in from outside and its spending what went out. Reversals net out by category.
    """
    prefix = period.prefix
    signed = FundEntry.objects.none().signed_amount()
    rows = (
        FundEntry.objects.filter(ledger__region_code__startswith=prefix, ledger__archived_at__isnull=True)
        .filter(period.dated("occurred_on"))
        .exclude(counterpart__ledger__region_code__startswith=prefix)
        .values("category")
        .annotate(net=Sum(signed))
        .order_by()
    )
    net = {row["category"]: row["net"] for row in rows}
    income = {str(c): net.get(str(c), Decimal(0)) for c in FundCategory.income()}
    expense = {str(c): -net.get(str(c), Decimal(0)) for c in FundCategory.expense()}
    return {
        "income": sum(income.values(), Decimal(0)),
        "expense": sum(expense.values(), Decimal(0)),
        **{f"income_{c}": v for c, v in income.items()},
        **{f"expense_{c}": v for c, v in expense.items()},
    }
