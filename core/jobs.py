"""Background jobs: long work (imports, province-wide exports) run by a queue worker.

An app registers a handler for a kind of job in `AppConfig.ready()`:

    register_job_kind("import", run_import)          # run_import(job) -> dict (the job's result)

and starts one with `start_job(kind=..., title=..., by=user, params={...})`; the
user follows it at `job.get_absolute_url()` (a page that polls itself). Handlers
call `job.report(done, total, phase=...)` as they go; an exception marks
the job failed with a message the user may read, and the job can be retried.

The queue is Django's tasks framework (the `django-tasks` backport) with its
database backend: the queue is a table of the same PostgreSQL, workers are
`manage.py db_worker` processes on any host. The job row is ours, not the
queue's: it carries the progress, the result and who may see it.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.job_models import Job, JobStatus

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable[[Job], dict]] = {}


class JobError(Exception):
    """A failure the user can act on: its message is shown on the job page as it is."""


def register_job_kind(kind: str, handler: Callable[[Job], dict]) -> None:
    _HANDLERS[kind] = handler


def start_job(*, kind: str, title: str, by, params: dict | None = None) -> Job:
    """Create the job row and queue it once the current transaction commits."""
    if kind not in _HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(kind=kind, title=title, created_by=by, params=params or {})
    _enqueue(job)
    return job


def retry_job(*, job: Job) -> Job:
    """Run a failed job again from the start (handlers are all-or-nothing, so nothing is doubled)."""
    if not job.may_retry:
        raise JobError(_("只有失败的任务可以重试"))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, done=0, phase="", error="", started_at=None, finished_at=None
    )
    job.refresh_from_db()
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    transaction.on_commit(lambda: run_job.enqueue(job.pk))


class _Progress:
    """Writes rows done / total to the job row, at most every half second (and always at the end)."""

    interval = 0.5

    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, *, phase: str | None = None) -> None:
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if phase is not None:
            job.phase = phase
        now = time.monotonic()
        if phase is not None or done >= job.total or now - self.last >= self.interval:
            self.last = now
            # On the progress connection (settings.JOB_PROGRESS_DATABASE): the handler's own
            # transaction (an import saves every row in one) would hide it until the end.
            Job.objects.using(settings.JOB_PROGRESS_DATABASE).filter(pk=job.pk).update(
                done=min(job.done, job.total), total=job.total, phase=job.phase
            )


@task()
def run_job(job_id: int) -> None:
    """The queue's task: run the job's handler and record how it ended."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return  # retried or already run by another worker
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1)
    job.report = _Progress(job)
    try:
        result = _HANDLERS[job.kind](job)
    except JobError as error:
        _finish(job, JobStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=_("任务出错，请重试；如仍失败请联系系统管理员"))
    else:
        _finish(job, JobStatus.DONE, result=result or {})


def _finish(job: Job, status: str, *, error: str = "", result: dict | None = None) -> None:
    fields = {"status": status, "error": error, "finished_at": timezone.now()}
    if result is not None:
        fields["result"] = result
    if status == JobStatus.DONE:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
