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
from branches.models import Activity, ActivityAttachment, ActivityPhoto, Attendance, Membership

Status = Attendance.Status


@dataclass(frozen=True)
class AttendanceEntry:
    """One member's tick on the form: present, or absent with an optional reason."""

    retiree_id: int
    present: bool
    reason: str = ""


def member_ids_on(branch, on: dt.date) -> set[int]:
    """Retirees whose membership of the branch is open on that date: one query."""
    return set(Membership.objects.filter(branch=branch).open_on(on).values_list("retiree_id", flat=True))


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
    """Create or update one row per entry; rows already caught up stay so unless ticked present."""
    entries = {e.retiree_id: e for e in attendance}
    strangers = set(entries) - allowed
    if strangers:
        raise ValidationError(_("出席名单中有不是本支部党员的人员，请刷新页面后重新勾选。"), code="not_member")
    existing = {a.retiree_id: a for a in Attendance.all_objects.filter(activity=activity)}
    for retiree_id, entry in entries.items():
        row = existing.get(retiree_id) or Attendance(activity=activity, retiree_id=retiree_id)
        if entry.present:
            row.status, row.absence_reason, row.caught_up_on = Status.PRESENT, "", None
        elif row.status != Status.CAUGHT_UP or row.pk is None:
            row.status, row.absence_reason = Status.ABSENT, entry.reason[:100]
        else:
            row.absence_reason = entry.reason[:100] or row.absence_reason
        row.archived_at = None
        row.archived_by = None
        row.save()


@transaction.atomic
def activity_record(*, branch, data: dict, attendance: Iterable[AttendanceEntry], photos, attachments, by) -> Activity:
    """Record an activity with its attendance, photos and attachments, all or nothing.

    `data` holds the Activity fields (kind, held_on, topic, ...); `attendance` one
    `AttendanceEntry` per member listed on the form, who must be members of the
    branch on the activity date. Every photo and attachment is checked and
    converted before the first row is written: one bad file (or an 11th photo)
    raises ValidationError keyed by "photos" / "attachments" and nothing is saved.
    Queries: one for the membership check, then one INSERT per row.
    """
    prepared_photos, prepared_attachments = _prepare_files(None, photos, attachments)
    activity = Activity(branch=branch, recorded_by=by, **data)
    activity.full_clean()
    activity.save()
    _write_attendance(activity, attendance, member_ids_on(branch, activity.held_on))
    _save_files(activity, prepared_photos, prepared_attachments)
    return activity


@transaction.atomic
def activity_set_attendance(*, activity: Activity, attendance: Iterable[AttendanceEntry], by) -> None:
    """Replace the ticks of the members listed on the edit form.

    Allowed are the members on the activity date and anybody already on the
    list (a member transferred out since keeps their row).
    """
    allowed = member_ids_on(activity.branch, activity.held_on)
    allowed |= set(Attendance.all_objects.filter(activity=activity).values_list("retiree_id", flat=True))
    _write_attendance(activity, attendance, allowed)


@transaction.atomic
def activity_add_files(*, activity: Activity, photos, attachments, by) -> None:
    """Add photos and attachments to a recorded activity (at most 10 photos in all), all or nothing."""
    Activity.all_objects.select_for_update().filter(pk=activity.pk).first()  # one upload at a time
    prepared_photos, prepared_attachments = _prepare_files(activity, photos, attachments)
    _save_files(activity, prepared_photos, prepared_attachments)


@transaction.atomic
def attendance_catch_up(*, attendance: Attendance, on: dt.date, by, note: str = "") -> Activity:
    """Mark an absentee as caught up (送学上门) on a date, and put the visit in the ledger.

    The visit is a `home_study` activity of the branch on that date; absentees of
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
        .filter(branch=source.branch, kind=Activity.Kind.HOME_STUDY, held_on=on, topic=topic)
        .first()
    )
    if visit is None:
        visit = Activity.objects.create(
            branch=source.branch,
            kind=Activity.Kind.HOME_STUDY,
            held_on=on,
            topic=topic,
            recorded_by=by,
        )
    if note:
        visit.content = f"{visit.content}\n{attendance.retiree}：{note}".strip()
        visit.save(update_fields=["content", "updated_at"])
    Attendance.objects.update_or_create(activity=visit, retiree=attendance.retiree, defaults={"status": Status.PRESENT})
    return visit
