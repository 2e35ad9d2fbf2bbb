"""Reads of the activity log for pages: lists, to-dos, political birthdays and the
branch summary. Every function runs a fixed number of queries."""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractYear
from django.utils import timezone

from branches import compliance
from branches.models import Activity, ActivityPhoto, Attendance, Retiree
from branches.models.activities import LATE_ENTRY_DAYS
from core.models import Person

Status = Attendance.Status


def _count(queryset, field: str = "activity"):
    """A correlated COUNT(*) subquery per activity (no JOIN fan-out, no GROUP BY on the outer query)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(activities):
    """Annotate `present_count`, `absent_count` (absent or caught up), `photo_count` and
    `person_times` (present plus reached outside the roll, or a large activity's headcount)."""
    return activities.annotate(
        present_count=present_expression(),
        absent_count=_count(Attendance.objects.exclude(status=Status.PRESENT)),
        photo_count=_count(ActivityPhoto.objects.all()),
        person_times=person_times_expression(),
    )


def present_expression():
    """How many were present at one activity: its ActivityPresence row, kept by a trigger on
    Attendance (a join, where counting the roll per activity cost seconds at province scale)."""
    return Coalesce(F("presence__present"), Value(0))


def person_times_expression():
    """Person-times of one activity as an SQL expression (to annotate or to sum)."""
    return Case(
        When(is_large=True, then=F("headcount")),
        default=present_expression() + F("people_reached"),
        output_field=IntegerField(),
    )


def organiser_activity_summary(organiser, year: int, readable=None) -> dict:
    """What an organiser's page shows of its activities in a year: three queries.

    `readable` is the viewer's readable Activity queryset (default: all). Returns
    `organiser`, `year`, `activities` (the latest 10 with their counts), `count`,
    `person_times`, `large` (the year's totals) and `counts_by_kind` [(label, n)], most first.
    """
    activities = (Activity.objects.all() if readable is None else readable).organised_by(organiser)
    latest = list(with_counts(activities.filter(held_on__year=year)).order_by("-held_on", "-start_time", "-pk")[:10])
    totals = (
        activities.filter(held_on__year=year)
        .order_by()
        .aggregate(
            count=Count("pk"),
            person_times=Coalesce(Sum(person_times_expression()), Value(0)),
            large=Count("pk", filter=Q(is_large=True)),
        )
    )
    by_kind = activities.filter(held_on__year=year).order_by().values_list("kind").annotate(n=Count("pk"))
    counts_by_kind = sorted(((Activity.Kind(k).label, n) for k, n in by_kind), key=lambda kv: -kv[1])
    return {"organiser": organiser, "year": year, "activities": latest, "counts_by_kind": counts_by_kind, **totals}


def person_attendance(person, viewer_rows):
    """The activities a person is on the roll of, newest first (any organiser): one query.

    `viewer_rows` is the viewer's readable Attendance queryset."""
    return (
        viewer_rows.filter(person=person, activity__archived_at__isnull=True)
        .select_related("activity__branch", "activity__cluster", "activity__work_committee", "activity__committee")
        .order_by("-activity__held_on", "-activity_id")
    )


def late_entries(activities):
    """Activities entered more than LATE_ENTRY_DAYS after they were held (补录)."""
    limit = ExpressionWrapper(
        F("held_on") + dt.timedelta(days=LATE_ENTRY_DAYS), output_field=Activity._meta.get_field("held_on")
    )
    return activities.filter(created_at__date__gt=limit)


def home_study_todo(attendances):
    """Absentees of required meetings not yet caught up, oldest meeting first: one query.

    `attendances` is already scoped (Attendance.objects.visible_to(user)).
    """
    return (
        attendances.filter(
            status=Status.ABSENT,
            activity__kind__in=compliance.REQUIRED_KINDS,
            activity__archived_at__isnull=True,
            person__archived_at__isnull=True,
        )
        .select_related(
            "activity__branch", "activity__cluster", "activity__work_committee", "activity__committee", "person"
        )
        .order_by("activity__held_on", "activity_id", "person__pinyin")
    )


def home_study_todo_by_person(attendances):
    """The same to-do, one row per person (the longest-waiting first): people annotated with
    `first_missed` and `missed_count`, and their absences in `missed`, oldest first, when
    evaluated (two queries for a page of people, however many absences they have)."""
    todo = home_study_todo(attendances)
    per_person = todo.filter(person=OuterRef("pk")).order_by()
    return (
        Person.objects.filter(pk__in=todo.values("person_id"))
        .annotate(
            first_missed=Subquery(per_person.order_by("activity__held_on").values("activity__held_on")[:1]),
            missed_count=Subquery(
                per_person.values("person").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
        )
        .order_by("first_missed", "pinyin", "pk")
        .prefetch_related(Prefetch("attendances", queryset=todo, to_attr="missed"))
    )


def _with_birthday_in(retirees, year: int, month: int):
    return retirees.filter(
        branch__isnull=False,
        is_party_member=True,
        joined_party_on__month=month,
        joined_party_on__year__lt=year,
    )


def political_birthdays(retirees, year: int, month: int):
    """Current branch members whose Party anniversary falls in the month, by day: one query.

    Annotates `party_years` (e.g. 52 for 入党52周年); members who joined this year are left out.
    """
    return (
        _with_birthday_in(retirees, year, month)
        .annotate(
            party_years=Value(year) - ExtractYear("joined_party_on"),
            party_day=ExtractDay("joined_party_on"),
        )
        .select_related("person", "branch")
        .order_by("party_day", "person__pinyin")
    )


def branch_activity_summary(branch, year: int, today: dt.date | None = None) -> dict:
    """Everything the branch page shows about its activity log for a year: five queries.

    Returns a dict with
      branch, year, month (today's month),
      activities      the latest 10 activities of the year (with present/absent/photo counts),
      total           number of activities in the year,
      counts_by_kind  [(kind label, count)] for the kinds held this year, most first,
      calendar        the compliance calendar (branches.compliance.Calendar),
      overdue_count   overdue periods in the calendar,
      todos           送学上门 to-dos of the branch (all years), todo_count,
      birthdays       this month's political birthdays (Retiree rows with party_years).
    Queries: activities, counts by kind and month (shared with the calendar),
    county rules, to-dos, birthdays.
    """
    today = today or timezone.localdate()
    activities = list(
        with_counts(Activity.objects.filter(branch=branch, held_on__year=year)).order_by("-held_on", "-start_time")[:10]
    )
    counts = compliance.activity_counts([branch.pk], year)
    calendar = compliance.build_calendar(branch, year, counts, compliance.rules_for([branch.region_id]), today)
    by_kind: dict[str, int] = {}
    for (_branch, kind, _month), n in counts.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    counts_by_kind = sorted(((Activity.Kind(k).label, n) for k, n in by_kind.items()), key=lambda kv: -kv[1])
    todos = list(home_study_todo(Attendance.objects.filter(activity__branch=branch)))
    month = today.month if year == today.year else 1
    birthdays = list(political_birthdays(Retiree.objects.filter(branch=branch), today.year, today.month))
    return {
        "branch": branch,
        "year": year,
        "month": month,
        "activities": activities,
        "total": sum(by_kind.values()),
        "counts_by_kind": counts_by_kind,
        "calendar": calendar,
        "overdue_count": calendar.overdue_count,
        "todos": todos,
        "todo_count": len(todos),
        "birthdays": birthdays,
    }


def secretary_panel(branches, today: dt.date | None = None) -> list[dict]:
    """For the home panel: per branch, this month's compliance, to-do and birthday counts.

    Five queries whatever the number of branches.
    """
    today = today or timezone.localdate()
    branches = list(branches)
    ids = [b.pk for b in branches]
    todo_counts = dict(
        home_study_todo(Attendance.objects.filter(activity__branch_id__in=ids))
        .order_by()
        .values_list("activity__branch_id")
        .annotate(n=Count("pk"))
    )
    birthday_counts = dict(
        _with_birthday_in(Retiree.objects.filter(branch_id__in=ids), today.year, today.month)
        .order_by()
        .values_list("branch_id")
        .annotate(n=Count("pk"))
    )
    result = []
    for cal in compliance.calendars(branches, today.year, today):
        result.append(
            {
                "branch": cal.branch,
                "current": cal.current(),
                "todo_count": todo_counts.get(cal.branch.pk, 0),
                "birthday_count": birthday_counts.get(cal.branch.pk, 0),
            }
        )
    return result
