"""ActivityPresence, kept by a trigger on Attendance, always equals the roll's count of those
present (archived rows left out), whatever is written: adds, status changes, archives, deletes."""

import pytest
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.models import Activity, ActivityPresence, Attendance
from branches.selectors.activities import with_counts
from tests import factories as f

Status = Attendance.Status
pytestmark = pytest.mark.django_db

# One write to the roll: (which activity, which person, what happens).
writes = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.integers(0, 3),
        st.sampled_from(["present", "absent", "caught_up", "archive", "restore", "delete"]),
    ),
    max_size=25,
)


def _raw(activities):
    counted = Count("attendances", filter=Q(attendances__status="present", attendances__archived_at__isnull=True))
    return {a.pk: a.n for a in Activity.all_objects.filter(pk__in=[a.pk for a in activities]).annotate(n=counted)}


def _kept(activities):
    kept = dict(ActivityPresence.objects.filter(activity__in=activities).values_list("activity_id", "present"))
    return {a.pk: kept.get(a.pk, 0) for a in activities}


def _apply(activity, person, what):
    row = Attendance.all_objects.filter(activity=activity, person=person).first()
    if what == "delete":
        if row:
            row.delete()
        return
    if row is None:
        row = Attendance.objects.create(activity=activity, person=person, status=Status.ABSENT)
    if what in ("archive", "restore"):
        Attendance.all_objects.filter(pk=row.pk).update(archived_at=None if what == "restore" else "2026-01-01T00:00Z")
    else:
        caught_up = "2026-03-10" if what == "caught_up" else None
        Attendance.all_objects.filter(pk=row.pk).update(status=what, caught_up_on=caught_up)


class Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=writes)
def test_presence_agrees_with_the_roll_after_any_writes(world, writes):
    try:
        with transaction.atomic():  # each example starts from the world as it is
            branch = world.inside.branch
            activities = [f.ActivityFactory(branch=branch), f.ActivityFactory(branch=branch)]
            people = [f.PersonFactory(region=branch.region) for _ in range(4)]
            for activity_index, person_index, what in writes:
                _apply(activities[activity_index], people[person_index], what)
            assert _kept(activities) == _raw(activities)
            raise Rollback
    except Rollback:
        pass


def test_bulk_writes_are_counted_too():
    activity = f.ActivityFactory()
    people = [f.PersonFactory() for _ in range(5)]
    Attendance.objects.bulk_create(Attendance(activity=activity, person=p) for p in people)
    Attendance.objects.filter(activity=activity, person__in=people[:2]).update(status=Status.ABSENT)

    assert ActivityPresence.objects.get(activity=activity).present == 3
    assert with_counts(Activity.objects.filter(pk=activity.pk)).get().present_count == 3
