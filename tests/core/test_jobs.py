"""Background jobs: progress, failure and retry, the self-updating page, the real database queue."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core import jobs
from core.models import Job
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


def _count_rows(job):
    total = job.params["rows"]
    for done in range(1, total + 1):
        job.report(done, total, phase="计数" if done == 1 else None)
    return {"counted": total}


def _fail_once(job):
    CALLS.append(job.pk)
    if CALLS.count(job.pk) == 1:
        raise jobs.JobError("第一次失败")
    return {"ok": True}


def _crash(job):
    raise RuntimeError("bug")


jobs.register_job_kind("test_count", _count_rows)
jobs.register_job_kind("test_fail_once", _fail_once)
jobs.register_job_kind("test_crash", _crash)


def _start(user, kind, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind=kind, title="测试任务", by=user, params=params)
    job.refresh_from_db()
    return job


def test_a_job_reports_rows_done_of_total_and_its_result(world, django_capture_on_commit_callbacks):
    job = _start(world.users[Role.COUNTY_STAFF], "test_count", django_capture_on_commit_callbacks, rows=5)
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"counted": 5}
    assert job.attempts == 1
    assert job.started_at <= job.finished_at


def test_a_failed_job_says_why_and_can_be_retried(client, world, django_capture_on_commit_callbacks):
    user = world.users[Role.COUNTY_STAFF]
    job = _start(user, "test_fail_once", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.error == "第一次失败"

    client.force_login(user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "第一次失败" in page
    assert reverse("core:job_retry", args=[job.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2


def test_an_unexpected_error_shows_a_plain_message(world, django_capture_on_commit_callbacks):
    job = _start(world.users[Role.COUNTY_STAFF], "test_crash", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert "bug" not in job.error
    assert "重试" in job.error


def test_a_finished_job_cannot_be_retried(client, world, django_capture_on_commit_callbacks):
    user = world.users[Role.COUNTY_STAFF]
    job = _start(user, "test_count", django_capture_on_commit_callbacks, rows=1)
    client.force_login(user)
    client.post(reverse("core:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.attempts == 1


def test_the_page_polls_while_the_job_runs_and_moves_on_when_it_is_done(client, world):
    user = world.users[Role.COUNTY_STAFF]
    job = Job.objects.create(kind="test_count", title="测试任务", created_by=user, total=200, done=50)
    client.force_login(user)

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "50 / 200" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]

    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="job-progress"')

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=200, result={"url": "/branches/retirees/"})
    done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == "/branches/retirees/"


def test_someone_elses_job_is_not_found(client, world):
    job = Job.objects.create(kind="test_count", title="测试任务", created_by=world.users[Role.COUNTY_STAFF])
    other = f.UserFactory(role=Role.COUNTY_STAFF, region=world.inside.region)
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("core:job_retry", args=[job.pk])).status_code == 404


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_queue_runs_the_job_in_a_worker(world, django_capture_on_commit_callbacks, monkeypatch):
    """The production path: the job is queued as a row and `manage.py db_worker` runs it.

    The worker drops stale connections between tasks; here that would close the test's own
    transaction, so that one call of the third-party worker is switched off."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="test_count", title="测试任务", by=world.users[Role.ADMIN], params={"rows": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.done == 3
