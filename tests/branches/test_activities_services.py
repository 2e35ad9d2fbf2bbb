"""Recording activities: attendance, photos, attachments, late entries, catch-up, birthdays."""

import datetime as dt
import os
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from branches import photos
from branches.models import Activity, ActivityAttachment, ActivityPhoto, Attendance, Retiree
from branches.selectors import activities as selectors
from branches.services.activities import (
    AttendanceEntry,
    activity_add_files,
    activity_record,
    attendance_catch_up,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Attendance.Status


def image_file(name="photo.png", fmt="PNG", size=(40, 30), color="red", **save_kwargs) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def data(**overrides):
    values = {"kind": Activity.Kind.THEME_DAY, "held_on": dt.date(2026, 5, 10), "topic": "主题党日"}
    values.update(overrides)
    return values


@pytest.fixture
def county():
    return f.RegionFactory(code="990303000000", level="county")


@pytest.fixture
def branch(county):
    return f.BranchFactory(region=county)


@pytest.fixture
def members(branch):
    return [f.RetireeFactory(branch=branch) for _ in range(3)]


@pytest.fixture
def user(county):
    return f.UserFactory(region=county)


def record(branch, user, members, **kwargs):
    attendance = kwargs.pop(
        "attendance",
        [AttendanceEntry(m.person_id, present=i != 0, reason="住院" if i == 0 else "") for i, m in enumerate(members)],
    )
    return activity_record(
        branch=branch,
        data=kwargs.pop("data", data()),
        attendance=attendance,
        photos=kwargs.pop("photos", []),
        attachments=kwargs.pop("attachments", []),
        by=user,
    )


def test_it_records_the_activity_with_attendance_and_files(branch, members, user):
    activity = record(
        branch,
        user,
        members,
        photos=[image_file(), image_file("b.jpg", "JPEG")],
        attachments=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.7 sign-in sheet")],
    )
    statuses = dict(activity.attendances.values_list("person_id", "status"))
    assert statuses == {
        members[0].person_id: Status.ABSENT,
        members[1].person_id: Status.PRESENT,
        members[2].person_id: Status.PRESENT,
    }
    assert activity.attendances.get(person=members[0].person).absence_reason == "住院"
    assert activity.photos.count() == 2
    assert all(p.image.name.endswith(".jpg") for p in activity.photos.all())
    assert activity.attachments.get().name == "签到表.pdf"
    assert activity.recorded_by == user


def test_the_roll_takes_members_and_people_of_the_county_but_nobody_from_elsewhere(branch, members, user, county):
    outsider = f.PersonFactory(region=f.RegionFactory(code="990304000000", level="county"))
    with pytest.raises(ValidationError):
        record(branch, user, members, attendance=[AttendanceEntry(outsider.pk, present=True)])
    assert Activity.objects.filter(branch=branch).count() == 0
    guest = f.PersonFactory(region=county)  # a volunteer of the county, added from the picker
    entries = [AttendanceEntry(m.person_id, True) for m in members[1:]] + [AttendanceEntry(guest.pk, True)]
    activity = record(branch, user, members, attendance=entries)
    assert activity.attendances.count() == 3


def test_an_eleventh_photo_is_refused(branch, members, user):
    activity = record(branch, user, members, photos=[image_file() for _ in range(9)])
    activity_add_files(activity=activity, photos=[image_file()], attachments=[], by=user)
    with pytest.raises(ValidationError) as error:
        activity_add_files(activity=activity, photos=[image_file()], attachments=[], by=user)
    assert "photos" in error.value.error_dict
    assert activity.photos.count() == 10
    with pytest.raises(ValidationError):
        record(branch, user, members, photos=[image_file() for _ in range(11)])


def test_a_text_file_named_jpg_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        photos.check_photo(fake)
    assert "不是JPEG、PNG或HEIC格式" in error.value.messages[0]


def test_a_photo_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.png", image_file().read() + os.urandom(12 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        photos.check_photo(big)
    assert "超过10MB" in error.value.messages[0]


def test_other_image_types_are_refused():
    with pytest.raises(ValidationError):
        photos.check_photo(image_file("a.gif", "GIF"))


def test_heic_photos_are_accepted_and_stored_as_jpeg():
    import pillow_heif  # a pinned dependency: phones send HEIC

    pillow_heif.register_heif_opener()
    heic = image_file("IMG_0001.HEIC", "HEIF", size=(64, 48))
    photos.check_photo(heic)
    prepared = photos.prepare_photo(heic)
    assert Image.open(BytesIO(prepared.read())).format == "JPEG"


def test_photos_are_resized_to_1600_px_with_exif_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    upload = image_file("wide.jpg", "JPEG", size=(3200, 2000), exif=exif.tobytes())
    prepared = Image.open(BytesIO(photos.prepare_photo(upload).read()))
    assert prepared.format == "JPEG"
    assert prepared.size == (1000, 1600)  # turned upright, longest side 1600


def test_the_service_saves_nothing_when_one_photo_is_bad(branch, members, user):
    files_before = ActivityPhoto.all_objects.count()
    bad = SimpleUploadedFile("third.jpg", b"not an image")
    with pytest.raises(ValidationError) as error:
        record(branch, user, members, photos=[image_file(), image_file(), bad])
    assert "photos" in error.value.error_dict
    assert Activity.all_objects.filter(branch=branch).count() == 0
    assert Attendance.all_objects.filter(activity__branch=branch).count() == 0
    assert ActivityPhoto.all_objects.count() == files_before


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("记录.pdf", b"%PDF-1.4 minutes", True),
        ("记录.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, True),
        ("病毒.pdf", b"MZ\x90\x00 executable", False),
        ("记录.txt", b"%PDF-1.4 but named txt", False),
        ("记录.docx", b"PK\x03\x04 not really a zip", False),
    ],
)
def test_attachments_must_be_pdf_or_word_by_their_content(name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        assert photos.check_attachment(upload) == name[name.rindex(".") :]
    else:
        with pytest.raises(ValidationError):
            photos.check_attachment(upload)


def test_a_real_docx_is_accepted():
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert photos.check_attachment(SimpleUploadedFile("纪要.docx", buffer.getvalue())) == ".docx"


def test_an_entry_made_over_30_days_after_the_date_is_late(branch, members, user):
    on_time = record(branch, user, members, data=data(held_on=timezone.localdate() - dt.timedelta(days=30)))
    late = record(branch, user, members, data=data(held_on=timezone.localdate() - dt.timedelta(days=31)))
    assert on_time.is_late_entry is False
    assert late.is_late_entry is True
    assert list(selectors.late_entries(Activity.objects.filter(branch=branch))) == [late]


def test_catch_up_marks_the_absentee_and_logs_a_home_study_visit(branch, members, user):
    activity = record(branch, user, members)
    absent = activity.attendances.get(status=Status.ABSENT)
    assert list(selectors.home_study_todo(Attendance.objects.filter(activity__branch=branch))) == [absent]

    visit = attendance_catch_up(attendance=absent, on=dt.date(2026, 5, 15), by=user, note="送去大字版材料")

    absent.refresh_from_db()
    assert absent.status == Status.CAUGHT_UP
    assert absent.caught_up_on == dt.date(2026, 5, 15)
    assert visit.kind == Activity.Kind.HOME_STUDY
    assert "送去大字版材料" in visit.content
    assert visit.attendances.get().person == absent.person
    assert list(selectors.home_study_todo(Attendance.objects.filter(activity__branch=branch))) == []


def test_catch_up_cannot_precede_the_meeting(branch, members, user):
    absent = record(branch, user, members).attendances.get(status=Status.ABSENT)
    with pytest.raises(ValidationError):
        attendance_catch_up(attendance=absent, on=dt.date(2026, 5, 1), by=user)


def test_to_dos_leave_out_optional_kinds(branch, members, user):
    record(branch, user, members, data=data(kind=Activity.Kind.CULTURE))
    assert list(selectors.home_study_todo(Attendance.objects.filter(activity__branch=branch))) == []


def test_political_birthdays_of_a_month_with_the_year_count(branch, members):
    Retiree.objects.filter(pk=members[0].pk).update(joined_party_on=dt.date(1974, 11, 20))
    Retiree.objects.filter(pk=members[1].pk).update(joined_party_on=dt.date(1980, 11, 3))
    Retiree.objects.filter(pk=members[2].pk).update(joined_party_on=dt.date(1980, 10, 3))
    f.RetireeFactory(branch=branch, is_party_member=False, joined_party_on=None)

    people = list(selectors.political_birthdays(Retiree.objects.filter(branch=branch), 2026, 11))

    assert [(r.pk, r.party_years, r.party_day) for r in people] == [
        (members[1].pk, 46, 3),
        (members[0].pk, 52, 20),
    ]


def test_the_branch_summary_runs_a_fixed_number_of_queries(branch, members, user, django_assert_max_num_queries):
    def summary():
        with django_assert_max_num_queries(5):
            return selectors.branch_activity_summary(branch, 2026, today=dt.date(2026, 11, 22))

    record(branch, user, members)
    few = summary()
    for month in range(1, 11):
        record(branch, user, members, data=data(held_on=dt.date(2026, month, 2)), photos=[image_file()])
    many = summary()
    assert few["total"] == 1
    assert many["total"] == 11
    assert len(many["activities"]) == 10
    assert many["todo_count"] == 11
    assert dict(many["counts_by_kind"]) == {"主题党日": 11}
    assert many["activities"][0].photo_count == 1  # 2 October, the latest


def test_attachments_are_stored_under_a_random_name(branch, members, user):
    activity = record(branch, user, members, attachments=[SimpleUploadedFile("../../etc/签到表.pdf", b"%PDF-1.4 x")])
    attachment = ActivityAttachment.objects.get(activity=activity)
    assert attachment.name == "签到表.pdf"
    assert ".." not in attachment.file.name
