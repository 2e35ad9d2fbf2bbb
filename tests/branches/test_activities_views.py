"""The activity pages: the one-minute form, errors on the photo field, flat query counts."""

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from branches.models import Activity, ActivityPhoto, Attendance, Branch, Membership, Post
from branches.services.activities import AttendanceEntry, activity_record
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def png(name="p.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def county():
    return f.RegionFactory(code="990404000000", level="county")


@pytest.fixture
def branch(county):
    return f.BranchFactory(region=county, kind=Branch.Kind.RETIREE)


@pytest.fixture
def members(branch):
    return [f.RetireeFactory(branch=branch) for _ in range(4)]


@pytest.fixture
def secretary(branch):
    post = f.PostFactory(branch=branch, role=Post.Role.SECRETARY)
    return f.UserFactory(role=Role.BRANCH_SECRETARY, person=post.person)


@pytest.fixture
def staff(county):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=county)


def form_data(members, **overrides):
    values = {
        "kind": Activity.Kind.THEME_DAY,
        "held_on": timezone.localdate().isoformat(),
        "topic": "重温入党誓词",
        "people_reached": 0,
        "present": [m.person_id for m in members[1:]],
        f"reason_{members[0].person_id}": "住院",
    }
    values.update(overrides)
    return values


def test_the_form_opens_with_today_the_secretarys_branch_and_its_current_members_ticked(
    client, secretary, branch, members
):
    left = members[0]
    Membership.objects.filter(retiree=left).update(end_on=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(secretary)

    response = client.get(reverse("branches:activity_create"))

    assert response.status_code == 200
    assert response.context["organiser"] == branch
    assert response.context["form"]["held_on"].value() == timezone.localdate()
    listed = [row["retiree"] for row in response.context["members"]]
    assert listed == sorted(members[1:], key=lambda r: r.person.pinyin)
    assert all(row["present"] for row in response.context["members"])
    assert next(iter(response.context["form"].fields["kind"].choices))[0] == Activity.Kind.GENERAL_MEETING


def test_an_earlier_date_lists_the_members_of_that_day(client, secretary, branch, members):
    Membership.objects.filter(retiree=members[0]).update(end_on=dt.date(2026, 1, 1))
    client.force_login(secretary)
    response = client.get(reverse("branches:activity_create"), {"branch": branch.pk, "held_on": "2025-12-01"})
    assert len(response.context["members"]) == 4


def test_a_secretary_records_an_activity_with_photos(client, secretary, branch, members):
    client.force_login(secretary)
    data = form_data(members, photos=[png("a.png"), png("b.png")])

    response = client.post(f"{reverse('branches:activity_create')}?branch={branch.pk}", data)

    activity = Activity.objects.get(branch=branch)
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.attendances.filter(status=Attendance.Status.PRESENT).count() == 3
    assert activity.attendances.get(person=members[0].person).absence_reason == "住院"
    assert activity.photos.count() == 2


def test_a_bad_photo_shows_an_error_on_the_photo_field_and_saves_nothing(client, secretary, branch, members):
    client.force_login(secretary)
    bad = SimpleUploadedFile("fake.jpg", b"hello", content_type="image/jpeg")
    response = client.post(reverse("branches:activity_create"), form_data(members, photos=[png(), bad]))

    assert response.status_code == 200
    assert "fake.jpg" in response.context["form"].errors["photos"][0]
    assert Activity.all_objects.filter(branch=branch).count() == 0
    # The ticks the secretary made are kept on the re-rendered form.
    assert [row["present"] for row in response.context["members"]].count(False) == 1


def test_a_future_date_is_refused(client, secretary, members):
    client.force_login(secretary)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("branches:activity_create"), form_data(members, held_on=tomorrow))
    assert "held_on" in response.context["form"].errors


def test_a_secretary_cannot_record_for_another_branch(client, secretary, county):
    other = f.BranchFactory(region=county)
    client.force_login(secretary)
    assert client.get(reverse("branches:activity_create"), {"branch": other.pk}).status_code == 404


def _record(branch, members, user, day, n_photos=0):
    return activity_record(
        branch=branch,
        data={"kind": Activity.Kind.THEME_DAY, "held_on": day, "topic": "学习"},
        attendance=[AttendanceEntry(m.person_id, present=True) for m in members],
        photos=[png() for _ in range(n_photos)],
        attachments=[],
        by=user,
    )


def test_the_list_runs_the_same_queries_for_3_or_20_activities(
    client, staff, branch, members, django_assert_max_num_queries
):
    client.force_login(staff)
    for day in range(1, 4):
        _record(branch, members, staff, dt.date(2026, 3, day), n_photos=1)
    # 12 for the list, 1 for whether the import link shows (a branch the user records for).
    with django_assert_max_num_queries(13) as few:
        assert client.get(reverse("branches:activity_list")).status_code == 200
    for day in range(1, 18):
        _record(branch, members, staff, dt.date(2026, 4, day), n_photos=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("branches:activity_list"))
    assert len(response.context["object_list"]) == 20


def test_the_list_filters_late_entries(client, staff, branch, members):
    client.force_login(staff)
    late = _record(branch, members, staff, timezone.localdate() - dt.timedelta(days=40))
    _record(branch, members, staff, timezone.localdate())
    response = client.get(reverse("branches:activity_list"), {"late": "on"})
    assert list(response.context["object_list"]) == [late]
    assert "补录" in response.content.decode()


def test_the_detail_shows_attendance_photos_and_the_late_badge(
    client, staff, branch, members, django_assert_max_num_queries
):
    activity = _record(branch, members, staff, timezone.localdate() - dt.timedelta(days=45), n_photos=2)
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        response = client.get(activity.get_absolute_url())
    html = response.content.decode()
    assert 'class="yl-late"' in html
    assert html.count(reverse("branches:activity_photo", args=[activity.photos.first().pk])) >= 1
    assert "/media/" not in html


def test_photos_are_streamed_only_through_the_scoped_view(client, staff, secretary, branch, members, county):
    activity = _record(branch, members, staff, dt.date(2026, 3, 1), n_photos=1)
    photo = activity.photos.get()
    client.force_login(secretary)
    response = client.get(reverse("branches:activity_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    outsider = f.UserFactory(role=Role.COUNTY_STAFF, region=f.RegionFactory(code="990505000000", level="county"))
    client.force_login(outsider)
    assert client.get(reverse("branches:activity_photo", args=[photo.pk])).status_code == 404


def test_photos_and_attachments_are_opened_through_the_storage(client, secretary, branch, members, settings):
    # Uploads in S3-compatible storage (django-storages) have no path on this machine: the views open() them.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    agenda = SimpleUploadedFile("议程.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")
    activity = activity_record(
        branch=branch,
        data={"kind": Activity.Kind.THEME_DAY, "held_on": dt.date(2026, 3, 1), "topic": "学习"},
        attendance=[AttendanceEntry(m.person_id, present=True) for m in members],
        photos=[png()],
        attachments=[agenda],
        by=secretary,
    )
    photo, attachment = activity.photos.get(), activity.attachments.get()
    assert not (Path(settings.MEDIA_ROOT) / photo.image.name).exists()  # only in the storage
    client.force_login(secretary)

    shown = client.get(reverse("branches:activity_photo", args=[photo.pk]))
    downloaded = client.get(reverse("branches:activity_attachment", args=[attachment.pk]))

    assert shown.status_code == 200
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == b"%PDF-1.4 agenda"


def test_adding_photos_respects_the_limit_of_10(client, secretary, branch, members):
    activity = _record(branch, members, secretary, dt.date(2026, 3, 1), n_photos=9)
    client.force_login(secretary)
    url = reverse("branches:activity_add_files", args=[activity.pk])
    response = client.post(url, {"photos": [png(), png()]})
    assert response.status_code == 200
    assert "最多上传10张" in response.context["form"].errors["photos"][0]
    assert client.post(url, {"photos": [png()]}).status_code == 302
    assert ActivityPhoto.objects.filter(activity=activity).count() == 10


def test_editing_changes_the_ticks(client, secretary, branch, members):
    activity = _record(branch, members, secretary, dt.date(2026, 3, 1))
    client.force_login(secretary)
    data = form_data(members, held_on="2026-03-01", version=activity.version, present=[members[0].person_id])
    response = client.post(reverse("branches:activity_update", args=[activity.pk]), data)
    assert response.status_code == 302
    statuses = dict(activity.attendances.values_list("person_id", "status"))
    assert statuses[members[0].person_id] == "present"
    assert statuses[members[1].person_id] == "absent"


def test_catch_up_from_the_to_do_page(client, secretary, branch, members):
    activity = _record(branch, members, secretary, dt.date(2026, 3, 1))
    Attendance.objects.filter(activity=activity, person=members[0].person).update(status="absent")
    client.force_login(secretary)
    todo = client.get(reverse("branches:home_study_todo"))
    assert members[0].person.name in todo.content.decode()
    attendance = Attendance.objects.get(activity=activity, person=members[0].person)
    response = client.post(reverse("branches:attendance_catch_up", args=[attendance.pk]), {"on": "2026-03-05"})
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.status == "caught_up"


def test_the_secretarys_home_panel(client, secretary, branch, members):
    client.force_login(secretary)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="activity-home-panel"' in html
    assert branch.name in html
    assert f"{reverse('branches:activity_create')}?branch={branch.pk}" in html


def test_the_compliance_overview_query_count_is_flat(client, staff, county, django_assert_max_num_queries):
    for _ in range(3):
        f.BranchFactory(region=county)
    client.force_login(staff)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("branches:compliance_overview"))
    for _ in range(10):
        f.BranchFactory(region=county)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("branches:compliance_overview"))
    assert len(response.context["rows"]) == 13


def test_the_compliance_page_shows_states_in_words(client, staff, branch):
    client.force_login(staff)
    html = client.get(reverse("branches:compliance", args=[branch.pk]), {"year": 2025}).content.decode()
    assert "yl-calendar" in html
    assert 'class="yl-overdue"' in html
    assert "逾期" in html


def test_political_birthdays_page(client, secretary, members):
    today = timezone.localdate()
    members[0].joined_party_on = today.replace(year=1974, day=1)
    members[0].save()
    client.force_login(secretary)
    html = client.get(reverse("branches:political_birthdays")).content.decode()
    assert f"入党{today.year - 1974}周年" in html


def test_the_branch_summary_partial_renders(rf, staff, branch, members):
    from django.template.loader import render_to_string

    from branches.selectors.activities import branch_activity_summary

    late = _record(branch, members, staff, timezone.localdate() - dt.timedelta(days=40))
    request = rf.get("/")
    request.user = staff
    summary = branch_activity_summary(branch, late.held_on.year)
    html = render_to_string("branches/partials/activity_branch_summary.html", {"summary": summary}, request=request)
    assert 'data-testid="branch-activity-summary"' in html
    assert late.topic in html
    assert "yl-calendar" in html
    assert 'class="yl-late"' in html
