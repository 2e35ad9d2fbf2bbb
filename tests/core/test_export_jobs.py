"""Exports larger than EXPORT_INLINE_ROWS run as background jobs: the list's own queryset rebuilt in the
worker, the file in the default storage, downloaded by its creator alone, logged like an inline export."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import jobs
from core.models import AuditEntry, ExportLog, Job
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

RETIREES = "branches:retiree_list"


def _rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return [list(row) for row in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)]


def _export_in_a_job(client, settings, captured, url_name=RETIREES, **filters) -> Job:
    settings.EXPORT_INLINE_ROWS = 0
    with captured(execute=True):
        response = client.get(reverse(url_name), {"export": "xlsx", **filters})
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    return job


def test_a_small_export_stays_in_the_request(client, world, settings):
    settings.EXPORT_INLINE_ROWS = 1000
    client.force_login(world.users[Role.COUNTY_STAFF])
    jobs_before = Job.objects.count()
    assert len(_rows(client.get(reverse(RETIREES), {"export": "xlsx"}))) >= 2
    assert Job.objects.count() == jobs_before


def test_a_large_export_runs_as_a_job_to_the_last_row(client, world, settings, django_capture_on_commit_callbacks):
    client.force_login(world.users[Role.COUNTY_STAFF])
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    assert job.kind == "export_list"
    assert job.status == Job.Status.DONE, job.error
    assert job.created_by == world.users[Role.COUNTY_STAFF]
    assert job.total >= 1
    assert (job.done, job.percent, job.result["rows"]) == (job.total, 100, job.total)
    assert default_storage.exists(job.result["file"])

    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("core:job_download", args=[job.pk]) in page


def test_progress_is_reported_as_the_rows_are_written(
    client, world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    for _ in range(4):
        f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town))
    monkeypatch.setattr("core.exports.CHUNK", 2)
    reported = []
    report = jobs._Progress.__call__

    def recording(progress, done, total=None, *, phase=None):
        reported.append((done, total))
        return report(progress, done, total, phase=phase)

    monkeypatch.setattr(jobs._Progress, "__call__", recording)
    client.force_login(world.users[Role.COUNTY_STAFF])
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE
    assert reported[0] == (0, job.total)
    assert (2, job.total) in reported
    assert (4, job.total) in reported
    assert reported[-1] == (job.total, job.total)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.COUNTY_STAFF, RETIREES),
        (Role.BRANCH_SECRETARY, RETIREES),
        (Role.LEADER, "branches:honour_list"),  # no columns of personal data
        (Role.ADMIN, "core:person_list"),
    ],
)
def test_the_job_writes_what_the_inline_export_writes(
    client, world, settings, django_capture_on_commit_callbacks, role, url_name
):
    client.force_login(world.users[role])
    settings.EXPORT_INLINE_ROWS = 100_000
    inline = _rows(client.get(reverse(url_name), {"export": "xlsx"}))

    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks, url_name=url_name)
    assert job.status == Job.Status.DONE, job.error
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response["Content-Disposition"].lower().startswith("attachment; filename*=utf-8''")
    assert _rows(response) == inline


def test_filters_and_masking_are_the_lists(client, world, settings, django_capture_on_commit_callbacks):
    client.force_login(world.users[Role.COUNTY_STAFF])
    inside = world.inside.retiree.person
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks, q=inside.name)
    rows = _rows(client.get(reverse("core:job_download", args=[job.pk])))
    assert [row[0] for row in rows[1:]] == [inside.name]
    assert rows[1][1] == f"{inside.id_number[:6]}********{inside.id_number[-4:]}"
    assert job.params["query"].startswith("q=")
    assert "export" not in job.params["query"]


def test_the_export_is_logged_as_an_inline_export_is(client, world, settings, django_capture_on_commit_callbacks):
    user = world.users[Role.COUNTY_STAFF]
    client.force_login(user)
    name = world.inside.retiree.person.name
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks, q=name)

    log = ExportLog.objects.filter(user=user).order_by("-pk").first()
    assert (log.model, log.row_count, log.personal) == ("branches.Retiree", 1, True)
    assert log.path == reverse(RETIREES)
    assert "q=" in log.filters
    assert "export" not in log.filters
    entry = AuditEntry.objects.filter(user=user, kind=AuditEntry.Kind.EXPORT).order_by("-pk").first()
    assert (entry.detail["model"], entry.detail["rows"], entry.detail["personal"]) == ("branches.Retiree", 1, True)
    assert "q=" in entry.detail["filters"]
    assert entry.ip_address == "127.0.0.1"  # the address the user asked from, not the worker's

    exports = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT).count()
    client.get(reverse("core:job_download", args=[job.pk]))
    download = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT).order_by("-pk").first()
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT).count() == exports + 1
    assert (download.user, download.detail["download"]) == (user, job.pk)
    assert ExportLog.objects.filter(user=user).count() == 1  # one export, however often downloaded


@pytest.mark.parametrize("who", ["colleague", "admin"])
def test_only_the_creator_downloads(client, world, settings, django_capture_on_commit_callbacks, who):
    client.force_login(world.users[Role.COUNTY_STAFF])
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    other = (
        f.UserFactory(role=Role.COUNTY_STAFF, region=world.inside.region)
        if who == "colleague"
        else world.users[Role.ADMIN]
    )
    client.force_login(other)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_no_download_once_the_user_may_not_read_the_list(client, world, settings, django_capture_on_commit_callbacks):
    user = world.users[Role.COUNTY_STAFF]
    client.force_login(user)
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    user.role = Role.LEADER  # leaders may not read the retirees' list
    user.save()
    client.force_login(user)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_failed_export_writes_no_log_and_can_be_retried(
    client, world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    user = world.users[Role.COUNTY_STAFF]
    client.force_login(user)
    save = default_storage.save
    calls = []

    def save_fails_once(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise OSError("storage unavailable")
        return save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", save_fails_once)
    job = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert ExportLog.objects.filter(user=user).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert ExportLog.objects.filter(user=user).count() == 1
    assert len(_rows(client.get(reverse("core:job_download", args=[job.pk])))) == job.total + 1


def test_old_export_files_are_deleted(client, world, settings, django_capture_on_commit_callbacks):
    client.force_login(world.users[Role.COUNTY_STAFF])
    old = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    new = _export_in_a_job(client, settings, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=settings.EXPORT_FILE_DAYS + 1))

    call_command("prune_exports", verbosity=0)

    old.refresh_from_db()
    new.refresh_from_db()
    assert not default_storage.exists(f"exports/{old.pk}.xlsx")
    assert old.result["expired"] is True
    assert client.get(reverse("core:job_download", args=[old.pk])).status_code == 404
    assert "过保留期限" in client.get(old.get_absolute_url()).content.decode()
    assert default_storage.exists(new.result["file"])
