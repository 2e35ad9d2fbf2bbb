"""`make bench`'s volunteer import run for real on small data: uploaded and confirmed through the
views, both jobs run by a `manage.py db_worker` child process on the test database (committed
rows: a transactional test, so it lives here), then removed again."""

from urllib.parse import quote

from django.db import connection

from core import bench_io
from core.imports import kind_named
from core.models import Person
from core.scoping import Role
from volunteers.models import Volunteer

ROWS = 20


def _test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_import_is_run_by_a_worker_process_measured_and_removed(e2e_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the real queue
    kind = kind_named("volunteers")
    user = e2e_world.users[Role.COUNTY_STAFF]
    env = {"DATABASE_URL": _test_database_url(), "SECRET_KEY": "bench-test-only", "YINLING_TESTING": ""}
    before = (Person.all_objects.count(), Volunteer.all_objects.count())

    measure = bench_io.measure_import(kind, user, ROWS, worker=lambda: bench_io.Worker(env), timeout=300)

    assert measure.errors == []
    assert measure.stored == ROWS
    assert 0 < measure.check_seconds < 300
    assert 0 < measure.import_seconds < 300
    assert 40 * bench_io.MB < measure.peak_bytes < 2000 * bench_io.MB  # a Django process, not this one's figure
    assert (Person.all_objects.count(), Volunteer.all_objects.count()) == before
