"""A dashboard served from a real streaming replica, made with pg_basebackup.

The test database is copied (pg_dump, with its committed world) onto a private server of its
own, made by `core.devdb.start` like the other tests here; `core.devdb.start_replica` copies
that server with `pg_basebackup -R -X stream` and starts the copy as a hot standby of it. (The
test database's own server is shared, and a base backup of it copies every database on it:
gigabytes on a busy development machine.) `scenario` then runs in a process of its own whose
settings have DATABASE_URL and DATABASE_REPLICA_URL, as production has: a leader's county
dashboard is read from the replica while its replay is paused (a branch written on the primary
since is not counted yet), then from the primary while the replica lags too far behind, from
the replica again once it caught up, and from the primary when it is stopped. Both servers are
stopped and deleted at the end, whatever happened.
"""

import json
import os
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg2
from django.db import connection

from core.devdb import (
    DATABASE_NAME,
    PORT,
    SUPERUSER,
    bin_dir,
    cluster_dir,
    database_url,
    destroy,
    socket_dir,
    start,
    start_replica,
)

BASE_DIR = Path(__file__).resolve().parents[2]
DASHBOARD = "/reports/dashboard/"
# Who may be read from the primary while a dashboard reads the replica: the session and the user.
PRIMARY_TABLES = {"django_session", "core_user", "core_passwordhistory", "auth_permission", "django_content_type"}


def scenario(replica_data: str) -> dict:
    """In a process whose settings carry DATABASE_REPLICA_URL: what the dashboard showed, and from where."""
    import datetime as dt
    import logging
    import re
    import time

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from branches.models import Branch
    from core import devdb
    from core.db_routing import LAG_SQL, REPLICA, replica_health
    from core.models import User
    from reports.selectors import dashboard as dashboard_figures
    from reports.selectors.annual import Period

    setup_test_environment()  # response.context, and the test client's host allowed
    warnings = []
    handler = logging.Handler()
    handler.emit = lambda record: warnings.append(record.getMessage())
    logging.getLogger("core.db_routing").addHandler(handler)

    leader = User.objects.get(username="leader")
    client = Client()
    client.force_login(leader)

    def replica_sql(sql: str) -> object:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def wait_for(condition, what: str) -> None:
        deadline = time.monotonic() + 20
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}")
            time.sleep(0.05)

    for alias in ("default", REPLICA):
        connections[alias].force_debug_cursor = True  # keep each query in queries_log

    def dashboard() -> dict:
        response = client.get(DASHBOARD)  # request_started empties each connection's queries_log
        assert response.status_code == 200, response.status_code
        primary, replica = (list(connections[alias].queries_log) for alias in ("default", REPLICA))
        read = [q["sql"] for q in replica if q["sql"] != LAG_SQL]
        return {
            "standing": response.context["figures"]["standing"].value,
            "replica_queries": len(read),
            "replica_reads_branches": any('"branches_branch"' in sql for sql in read),
            "primary_tables": sorted({table for q in primary for table in re.findall(r'FROM "(\w+)"', q["sql"])}),
        }

    def replica_reads(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len([q for q in connections[REPLICA].queries_log if q["sql"] != LAG_SQL])

    def standing_on_primary() -> int:
        return dashboard_figures.headline(Period.of(leader.region, timezone.localdate().year))["standing"].value

    result = {"in_recovery": replica_sql("SELECT pg_is_in_recovery()")}
    first = Branch.objects.create(
        region=leader.region, name="副本验证第一支部", kind=Branch.Kind.RETIREE, founded_on=dt.date(2018, 1, 1)
    )
    wait_for(lambda: Branch.objects.using(REPLICA).filter(pk=first.pk).exists(), "the first branch on the replica")
    # Replay paused, a second branch written on the primary is not on the replica.
    replica_sql("SELECT pg_wal_replay_pause()::text")
    wait_for(lambda: replica_sql("SELECT pg_get_wal_replay_pause_state()") == "paused", "the replay to pause")
    Branch.objects.create(
        region=leader.region, name="副本验证第二支部", kind=Branch.Kind.RETIREE, founded_on=dt.date(2018, 1, 1)
    )
    result["primary_branches"] = standing_on_primary()
    result["from_replica"] = dashboard()

    # Further behind than the maximum lag: the primary's figures, and one warning.
    settings.DATABASE_REPLICA_MAX_LAG = 0.5
    time.sleep(1)
    replica_health.forget()
    result["lagging"] = dashboard()
    result["lagging_again"] = dashboard()

    # Caught up again, then stopped.
    settings.DATABASE_REPLICA_MAX_LAG = 30
    replica_sql("SELECT pg_wal_replay_resume()::text")
    wait_for(lambda: Branch.objects.using(REPLICA).count() == Branch.objects.count(), "the replay to catch up")
    replica_health.forget()
    result["caught_up"] = dashboard()
    # The other report pages read the replica too; other pages, such as the branch list, do not.
    code, year = leader.region_id, timezone.localdate().year - 1
    pages = {
        name: reverse(name, kwargs={"code": code, "year": year})
        for name in ("reports:annual", "reports:annual_word", "reports:annual_excel")
    }
    pages |= {name: reverse(name) for name in ("core:home", "branches:branch_list")}
    result["replica_reads"] = {name: replica_reads(url) for name, url in pages.items()}
    devdb.stop(Path(replica_data))
    replica_health.forget()
    result["stopped"] = dashboard()
    result["warnings"] = warnings
    return result


def copy_of_the_test_database(into: Path) -> str:
    """A private server holding a copy of the test database (its committed world): its socket folder.

    The test database's own server is shared, and a pg_basebackup of it copies every database on it
    (gigabytes on a busy development machine); a copy of this one database on a server of its own
    is copied in a second. Without fsync: it is thrown away.
    """
    db = connection.settings_dict
    start(into)
    host = str(socket_dir(cluster_dir(into)))
    with closing(psycopg2.connect(host=host, port=PORT, user=SUPERUSER, dbname=DATABASE_NAME)) as private:
        private.autocommit = True
        with private.cursor() as cursor:
            cursor.execute("ALTER SYSTEM SET fsync = off")
            cursor.execute("SELECT pg_reload_conf()")
    source = {
        "PGHOST": db["HOST"] or db["OPTIONS"].get("host", ""),
        "PGPORT": str(db["PORT"] or PORT),
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"] or "",
    }
    dump = subprocess.run(  # noqa: S603 (the packaged PostgreSQL tools)
        [str(bin_dir() / "pg_dump"), "--format=custom", f"--dbname={db['NAME']}"],
        env={**os.environ, **source},
        capture_output=True,
        timeout=60,
        check=True,
    )
    restore = subprocess.run(  # noqa: S603
        [str(bin_dir() / "pg_restore"), "--no-owner", "--single-transaction", f"--dbname={DATABASE_NAME}"],
        env={**os.environ, "PGHOST": host, "PGPORT": str(PORT), "PGUSER": SUPERUSER},
        input=dump.stdout,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr.decode(errors="replace")
    return host


def test_the_dashboard_is_read_from_a_streaming_replica_and_from_the_primary_when_it_lags_or_stops(
    django_db_setup,
):
    primary = Path(tempfile.mkdtemp(prefix="yinling-primary-")).resolve()
    replica = Path(tempfile.mkdtemp(prefix="yinling-replica-")).resolve()
    try:
        host = copy_of_the_test_database(primary)
        replica_url = start_replica(replica, primary_host=host)
        env = {key: value for key, value in os.environ.items() if key not in {"YINLING_TEST_DB", "YINLING_DATA_DIR"}}
        env.update(
            DEBUG="0",
            YINLING_TESTING="1",
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=database_url(cluster_dir(primary)),
            DATABASE_REPLICA_URL=replica_url,
            DATABASE_REPLICA_MAX_LAG="30",
            PYTHONDONTWRITEBYTECODE="1",
        )
        run = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [
                sys.executable,
                "-c",
                "import json; from tests.dev.test_replica import scenario;"
                f"print(json.dumps(scenario({str(replica)!r})))",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        destroy(replica)
        destroy(primary)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])

    assert result["in_recovery"] is True
    # Read from the replica: the branch written after its replay was paused is not counted yet.
    on_replica = result["from_replica"]
    assert on_replica["standing"] == result["primary_branches"] - 1
    assert on_replica["replica_reads_branches"] is True
    assert set(on_replica["primary_tables"]) <= PRIMARY_TABLES
    # Too far behind, or stopped: the primary's figures, and nothing read from the replica.
    for step in ("lagging", "lagging_again", "stopped"):
        assert result[step]["standing"] == result["primary_branches"], step
        assert result[step]["replica_queries"] == 0, step
        assert "branches_branch" in result[step]["primary_tables"], step
    assert result["caught_up"]["standing"] == result["primary_branches"]
    assert result["caught_up"]["replica_queries"] > 0
    reads = result["replica_reads"]
    assert reads.pop("branches:branch_list") == 0
    assert all(count > 0 for count in reads.values()), reads
    assert len(result["warnings"]) == 3, result["warnings"]
    assert "behind the primary (at most 0.5 s)" in result["warnings"][0]
    assert result["warnings"][1] == "The database replica answers again: reports read from it"
    assert "does not answer" in result["warnings"][2]
