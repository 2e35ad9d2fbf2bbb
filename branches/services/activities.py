"""Writes of the activity log: recording an activity with its attendance and files,
adding files later, setting attendance, and catching up an absentee (送学上门)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import photos as photo_files
from branches.models import (
    Activity,
    ActivityAttachment,
    ActivityPhoto,
    Attendance,
    Branch,
    Cluster,
    Membership,
    Participation,
    Post,
    WorkCommittee,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from core.models import Person, Region

Status = Attendance.Status

# Who a cluster's meeting (片组会议) expects: each branch's secretary and deputy secretary.
CLUSTER_ROLL_ROLES = (Post.Role.SECRETARY, Post.Role.DEPUTY_SECRETARY)


@dataclass(frozen=True)
class AttendanceEntry:
    """One person's tick on the roll: present, or absent with an optional reason."""

    person_id: int
    present: bool
    reason: str = ""


def roll_person_ids(organiser, on: dt.date) -> set[int]:
    """The people on an organiser's roll by default on a date: one query.

    A branch: its members (open memberships), and for a temporary or functional branch the
    people taking part in it (Participation). A cluster: the secretaries and deputy
    secretaries of its branches (who attend 片组会议). The work committee: its
    members. A youth-care committee: the holders of its posts.
    """
    if isinstance(organiser, Branch):
        rows = Membership.objects.filter(branch=organiser).open_on(on).values_list("retiree__person_id", flat=True)
        if organiser.kind in Participation.BRANCH_KINDS:
            # A temporary or functional branch's roll is its participants (members stay in their home branch).
            taking_part = Participation.objects.filter(branch=organiser).current(on).values_list("person_id", flat=True)
            return set(rows) | set(taking_part)
    elif isinstance(organiser, Cluster):
        rows = (
            Post.objects.current(on)
            .filter(branch__cluster=organiser, branch__archived_at__isnull=True, role__in=CLUSTER_ROLL_ROLES)
            .values_list("person_id", flat=True)
        )
    elif isinstance(organiser, WorkCommittee):
        rows = (
            WorkCommitteeMember.objects.filter(work_committee=organiser).current(on).values_list("person_id", flat=True)
        )
    elif isinstance(organiser, YouthCareCommittee):
        rows = Post.objects.current(on).filter(committee=organiser).values_list("person_id", flat=True)
    else:
        raise TypeError(f"not an organiser: {organiser!r}")
    return set(rows)


def member_ids_on(branch, on: dt.date) -> set[int]:
    """The people whose membership of the branch is open on that date: one query."""
    return roll_person_ids(branch, on)


def _in_organiser_county(activity: Activity, person_ids) -> set[int]:
    """Of `person_ids`, those registered in the organiser's county: the people it may put on its roll."""
    county_prefix = Region.county_code_of(activity.region_id)[: Region.PREFIX_LENGTH["county"]]
    return set(
        Person.objects.filter(pk__in=list(person_ids), region__code__startswith=county_prefix).values_list(
            "pk", flat=True
        )
    )


def _prepare_files(activity: Activity | None, photos, attachments) -> tuple[list, list]:
    """Check and convert every file before anything is written; raise on the first bad one."""
    photos, attachments = list(photos or []), list(attachments or [])
    existing = activity.photos.count() if activity and activity.pk else 0
    if existing + len(photos) > ActivityPhoto.MAX_PER_ACTIVITY:
        left = max(ActivityPhoto.MAX_PER_ACTIVITY - existing, 0)
        raise ValidationError(
            {
                "photos": _("每次活动最多上传%(max)d张照片，本次还能上传%(left)d张。")
                % {"max": ActivityPhoto.MAX_PER_ACTIVITY, "left": left}
            }
        )
    prepared_photos, prepared_attachments = [], []
    for upload in photos:
        try:
            prepared_photos.append(photo_files.prepare_photo(upload))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    for upload in attachments:
        try:
            prepared_attachments.append((photo_files.attachment_file(upload), upload.name))
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
    return prepared_photos, prepared_attachments


def _save_files(activity: Activity, prepared_photos, prepared_attachments) -> None:
    stored = []
    try:
        for content in prepared_photos:
            photo = ActivityPhoto(activity=activity)
            photo.image.save(content.name, content, save=True)
            stored.append(photo.image)
        for content, original in prepared_attachments:
            attachment = ActivityAttachment(activity=activity, name=photo_files.shortened_name(original))
            attachment.file.save(content.name, content, save=True)
            stored.append(attachment.file)
    except Exception:
        # The rows roll back with the transaction; the files written so far go too.
        for file in stored:
            file.storage.delete(file.name)
        raise


def _write_attendance(activity: Activity, attendance: Iterable[AttendanceEntry], allowed: set[int]) -> None:
    """Create or update one row per entry; rows already caught up stay so unless ticked present.

    `allowed` are the people on the organiser's roll; anyone else must be registered in the
    organiser's county (added from the picker). A 送学上门 visit keeps only the people visited:
    an unticked row is not an absence there, and one unticked on editing is archived.
    """
    entries = {e.person_id: e for e in attendance}
    if activity.is_home_study:
        entries = {pk: e for pk, e in entries.items() if e.present}
    others = set(entries) - allowed
    if others and others - _in_organiser_county(activity, others):
        raise ValidationError(_("出席名单中有本县以外的人员，请刷新页面后重新选择。"), code="outside_scope")
    if activity.is_large and activity.headcount is not None:
        present = sum(1 for e in entries.values() if e.present)
        if present > activity.headcount:
            raise ValidationError(
                {"headcount": _("参加人数不能少于出席名单中勾选的人数（%(n)d人）。") % {"n": present}}
            )
    existing = {a.person_id: a for a in Attendance.all_objects.filter(activity=activity)}
    for person_id, entry in entries.items():
        row = existing.get(person_id) or Attendance(activity=activity, person_id=person_id)
        if entry.present:
            row.status, row.absence_reason, row.caught_up_on = Status.PRESENT, "", None
        elif row.status != Status.CAUGHT_UP or row.pk is None:
            row.status, row.absence_reason = Status.ABSENT, entry.reason[:100]
        else:
            row.absence_reason = entry.reason[:100] or row.absence_reason
        row.archived_at = None
        row.archived_by = None
        row.save()
    if activity.is_home_study:
        for person_id, row in existing.items():
            if person_id not in entries and row.archived_at is None:
                row.archive(by=None)


@transaction.atomic
def activity_record(
    *, organiser=None, branch=None, data: dict, attendance: Iterable[AttendanceEntry], photos, attachments, by
) -> Activity:
    """Record an activity of an organiser with its roll, photos and attachments, all or nothing.

    `organiser` is a Branch, Cluster, WorkCommittee or YouthCareCommittee (`branch=` is the
    same for a branch). `data` holds the Activity fields (kind, held_on, topic, ...);
    `attendance` one `AttendanceEntry` per person listed on the form: the organiser's roll on
    the activity date, and others registered in its county. Every photo and attachment is
    checked and converted before the first row is written: one bad file (or an 11th photo)
    raises ValidationError keyed by "photos" / "attachments" and nothing is saved.
    Queries: one for the roll, one for people added to it, then one INSERT per row.
    """
    organiser = organiser or branch
    prepared_photos, prepared_attachments = _prepare_files(None, photos, attachments)
    activity = Activity(recorded_by=by, **data)
    activity.set_organiser(organiser)
    activity.full_clean()
    activity.save()
    _write_attendance(activity, attendance, roll_person_ids(organiser, activity.held_on))
    _save_files(activity, prepared_photos, prepared_attachments)
    return activity


@transaction.atomic
def activity_set_attendance(*, activity: Activity, attendance: Iterable[AttendanceEntry], by) -> None:
    """Replace the ticks of the people listed on the edit form.

    Allowed are the organiser's roll on the activity date and anybody already on the
    list (a member transferred out since keeps their row), and people of the county.
    """
    allowed = roll_person_ids(activity.organiser, activity.held_on)
    allowed |= set(Attendance.all_objects.filter(activity=activity).values_list("person_id", flat=True))
    _write_attendance(activity, attendance, allowed)


@transaction.atomic
def activity_add_files(*, activity: Activity, photos, attachments, by) -> None:
    """Add photos and attachments to a recorded activity (at most 10 photos in all), all or nothing."""
    Activity.all_objects.select_for_update().filter(pk=activity.pk).first()  # one upload at a time
    prepared_photos, prepared_attachments = _prepare_files(activity, photos, attachments)
    _save_files(activity, prepared_photos, prepared_attachments)


@transaction.atomic
def attendance_catch_up_all(*, attendances, on: dt.date, by, note: str = "") -> int:
    """One visit (送学上门) on a date for all of a person's missed meetings, all or nothing.

    Each absence is caught up as `attendance_catch_up` does (the visit goes in each meeting's
    organiser's record); a date before any of the meetings refuses them all. Returns how many.
    """
    attendances = list(attendances)
    for attendance in attendances:
        attendance_catch_up(attendance=attendance, on=on, by=by, note=note)
    return len(attendances)


@transaction.atomic
def attendance_catch_up_undo(*, attendances, on: dt.date, by) -> int:
    """Undo a 登记送学 (core.undo): each absence caught up on `on` is an absence again, and the
    member's line in that day's visit entry is archived (the entry too when nobody is left on it).
    Absences caught up since on another day are left alone. Returns how many were undone."""
    undone = 0
    for attendance in attendances.select_related("activity", "person").select_for_update(of=("self",)):
        if attendance.status != Status.CAUGHT_UP or attendance.caught_up_on != on:
            continue
        source = attendance.activity
        topic = (_("送学上门：%(topic)s") % {"topic": source.topic})[:200]
        visit = (
            Activity.objects.organised_by(source.organiser)
            .filter(kind=Activity.Kind.HOME_STUDY, held_on=on, topic=topic)
            .first()
        )
        attendance.status, attendance.caught_up_on = Status.ABSENT, None
        attendance.save(update_fields=["status", "caught_up_on", "updated_at"])
        if visit is not None:
            for line in Attendance.objects.filter(activity=visit, person=attendance.person):
                line.archive(by=by)
            if not Attendance.objects.filter(activity=visit).exists():
                visit.archive(by=by)
        undone += 1
    return undone


@transaction.atomic
def attendance_catch_up(*, attendance: Attendance, on: dt.date, by, note: str = "") -> Activity:
    """Mark an absentee as caught up (送学上门) on a date, and put the visit in the ledger.

    The visit is a `home_study` activity of the branch on that date (its roll lists only the
    people visited: nobody else is marked absent); absentees of
    the same meeting caught up on the same day share one entry (the note is
    added to its content). Returns that activity.
    """
    source = attendance.activity
    if attendance.status != Status.ABSENT:
        raise ValidationError(_("这位同志不是缺席状态，无需补学。"), code="not_absent")
    if on < source.held_on:
        raise ValidationError({"on": _("补学日期不能早于会议日期。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("补学日期不能晚于今天。")})
    attendance.status, attendance.caught_up_on = Status.CAUGHT_UP, on
    attendance.save(update_fields=["status", "caught_up_on", "updated_at"])

    topic = (_("送学上门：%(topic)s") % {"topic": source.topic})[:200]
    visit = (
        Activity.objects.select_for_update()
        .organised_by(source.organiser)
        .filter(kind=Activity.Kind.HOME_STUDY, held_on=on, topic=topic)
        .first()
    )
    if visit is None:
        visit = Activity(kind=Activity.Kind.HOME_STUDY, held_on=on, topic=topic, recorded_by=by)
        visit.set_organiser(source.organiser)
        visit.full_clean()
        visit.save()
    if note:
        visit.content = f"{visit.content}\n{attendance.person}：{note}".strip()
        visit.save(update_fields=["content", "updated_at"])
    # all_objects: a line archived by an undo (attendance_catch_up_undo) comes back rather than clash.
    Attendance.all_objects.update_or_create(
        activity=visit,
        person=attendance.person,
        defaults={"status": Status.PRESENT, "archived_at": None, "archived_by": None},
    )
    return visit
