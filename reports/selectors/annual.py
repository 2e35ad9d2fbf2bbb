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

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from branches.models import (
    Activity,
    Attendance,
    Branch,
    CarePair,
    CareRecord,
    Cluster,
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
from core.models import Region

ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
# Branches that stand for retirees (the seeds' "离退休干部党支部"): general, temporary and
# functional branches are counted apart, and coverage is that of the standing ones.
STANDING_KINDS = (Branch.Kind.RETIREE, Branch.Kind.AGENCY_RETIREE)
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


def study(period: Period) -> dict:
    """Meetings and study of the year, of every organiser: 三会一课, theme days, online meetings,
    送学上门, field teaching, the Party school's trainings, cluster and committee meetings (2 queries)."""
    activities = Activity.objects.in_region(period.region).filter(period.dated("held_on"))
    person_times = person_times_expression()
    figures = activities.aggregate(
        activities=Count("pk"),
        three_meetings_one_lesson=Count("pk", filter=Q(kind__in=THREE_MEETINGS_ONE_LESSON)),
        party_lessons=Count("pk", filter=Q(kind=Activity.Kind.PARTY_LESSON)),
        theme_days=Count("pk", filter=Q(kind=Activity.Kind.THEME_DAY)),
        online=Count("pk", filter=Q(is_online=True)),
        home_study=Count("pk", filter=Q(kind=Activity.Kind.HOME_STUDY)),
        field_teaching=Count("pk", filter=Q(kind=Activity.Kind.FIELD_TEACHING)),
        lectures=Count("pk", filter=Q(kind__in=LECTURE_KINDS)),
        lecture_person_times=Coalesce(Sum(person_times, filter=Q(kind__in=LECTURE_KINDS)), 0),
        trainings=Count("pk", filter=Q(kind__in=TRAINING_KINDS)),
        training_person_times=Coalesce(Sum(person_times, filter=Q(kind__in=TRAINING_KINDS)), 0),
        cluster_meetings=Count("pk", filter=Q(kind=Activity.Kind.CLUSTER_MEETING)),
        committee_meetings=Count("pk", filter=Q(kind__in=COMMITTEE_MEETING_KINDS)),
        committee_events=Count("pk", filter=Q(kind__in=COMMITTEE_EVENT_KINDS)),
        large=Count("pk", filter=Q(is_large=True)),
        person_times=Coalesce(Sum(person_times), 0),
    )
    figures["caught_up"] = Attendance.objects.filter(
        activity__in=activities, person__archived_at__isnull=True, status=Attendance.Status.CAUGHT_UP
    ).count()
    return figures


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
    needs = Need.objects.in_region(region)
    figures.update(
        needs.aggregate(
            needs_received=Count("pk", filter=period.dated("received_on")),
            needs_resolved=Count("pk", filter=period.dated("resolved_on")),
            needs_open=Count(
                "pk",
                filter=Q(received_on__lte=period.on) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=period.on)),
            ),
        )
    )
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
