"""A job's progress is written on a connection of its own: the job page sees rows done while the
job's one transaction (an import saves every row in one) is still open, and a rollback of that
transaction does not take the progress back. Here because it needs committed rows (a second
connection cannot see the test's transaction)."""

import pytest
from django.db import connections, transaction

from core import jobs
from core.models import Job
from core.scoping import Role

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


@pytest.fixture
def progress_connection():
    """The second connection, closed afterwards (an open one would keep the test database from
    being dropped at the end of the run)."""
    yield connections["progress"]
    connections["progress"].close()


def test_progress_is_seen_while_the_jobs_transaction_is_open(e2e_world, settings, progress_connection):
    settings.JOB_PROGRESS_DATABASE = "progress"
    job = Job.objects.create(
        kind="import_save", title="导入志愿者", created_by=e2e_world.users[Role.COUNTY_STAFF], status=Job.Status.RUNNING
    )
    report = jobs._Progress(job)
    with transaction.atomic():
        report(0, 10, phase="写入")
        report(4)
        report.last = 0  # the half-second throttle: the next report writes at once
        report(7)
        # What the job page reads (its own connection) before the job's transaction ends.
        with progress_connection.cursor() as cursor:
            cursor.execute("SELECT done, total, phase FROM core_job WHERE id = %s", [job.pk])
            assert cursor.fetchone() == (7, 10, "写入")
        transaction.set_rollback(True)
    job.refresh_from_db()
    assert (job.done, job.total) == (7, 10)
