"""What every test finds, whatever the order the tests run in.

The test database is migrated and holds the committed world of tests/world.py
(two counties, one record of every kind, a user of each role), built once per
session right after the migrations. Each test runs in a transaction that rolls
back, so every test finds the database exactly so. A test that counts rows
counts its own (by its region, its branch, its objects), never a whole table.

Browser tests (tests/e2e, transactional) commit, and pytest-django empties the
database after each; tests/e2e/conftest.py puts the committed state back from a
snapshot of every table taken in SQL (`SharedDatabase.restore`). Only tests/e2e may hold transactional tests.

To check that no test depends on the order: `YINLING_TEST_ORDER=reverse` or
`YINLING_TEST_ORDER=shuffle` (`shuffle:<seed>` to repeat one) runs them in another.
"""

import copy
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from tests.world import build_world

ORDER_VARIABLE = "YINLING_TEST_ORDER"


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    uses = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(uses & {"transactional_db", "live_server"})


def pytest_collection_modifyitems(session, config, items):
    misplaced = [item.nodeid for item in items if _is_transactional(item) and "tests/e2e/" not in item.nodeid]
    if misplaced:
        raise pytest.UsageError(
            "transactional tests empty the database; put them in tests/e2e, whose conftest restores it: "
            + ", ".join(misplaced)
        )
    order = os.environ.get(ORDER_VARIABLE, "")
    if order == "reverse":
        items.reverse()
    elif order.startswith("shuffle"):
        seed = order.partition(":")[2] or str(random.randrange(10**6))
        random.Random(seed).shuffle(items)
        config.stash[_seed_key] = seed
    elif order:
        raise pytest.UsageError(f"{ORDER_VARIABLE} is reverse, shuffle or shuffle:<seed>, not {order!r}")


_seed_key = pytest.StashKey[str]()


DEMO_PACKAGE = "tests/demo/"


def demo_scope(nodeid: str) -> str:
    """The unit of work a test goes to a worker in: the whole demo package as one, every other test alone."""
    return DEMO_PACKAGE if nodeid.startswith(DEMO_PACKAGE) else nodeid


def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two workers: the demo package's tests all go to one of them, which loads the
    demo once (tests/demo/conftest.py), while the other takes the rest. pytest-xdist's own
    `xdist_group` mark cannot do it under pytest 9 (it renames node ids, which pytest 9 no longer allows)."""
    from xdist.scheduler import LoadScopeScheduling

    class DemoTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return demo_scope(nodeid)

    return DemoTogether(config, log)


def pytest_report_header(config):
    order = os.environ.get(ORDER_VARIABLE)
    return f"test order: {order} ({ORDER_VARIABLE})" if order else None


def pytest_terminal_summary(terminalreporter, config):
    if _seed_key in config.stash:
        terminalreporter.write_line(f"tests shuffled: {ORDER_VARIABLE}=shuffle:{config.stash[_seed_key]} repeats it")


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware does not reset it)."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the test run go to a temporary folder, not ./media."""
    from django.conf import settings

    path = tempfile.mkdtemp(prefix="yinling-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


SNAPSHOT_SCHEMA = "world_snapshot"


@dataclass
class SharedDatabase:
    """The committed state of the test database: the world, and a copy of every table that holds rows
    (in the schema `world_snapshot`, beside the tables themselves)."""

    world: SimpleNamespace
    tables: list[str]

    @classmethod
    def take(cls, world: SimpleNamespace) -> "SharedDatabase":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE; CREATE SCHEMA {SNAPSHOT_SCHEMA}")
            tables = []
            for table in connection.introspection.table_names(cursor):
                if table == "django_migrations":
                    continue
                cursor.execute(f'SELECT EXISTS (SELECT FROM "{table}")')  # noqa: S608 (our table names)
                if cursor.fetchone()[0]:
                    cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE "{table}"')
                    tables.append(table)
        return cls(world=world, tables=tables)

    def is_emptied(self) -> bool:
        from core.models import User

        return not User.objects.filter(pk=self.world.users["admin"].pk).exists()

    def restore(self) -> None:
        """Every row back as it was committed, with the same keys (the world's objects stay valid).

        A browser test leaves the database empty, or changed: empty every table that held rows
        (sequences keep counting up, so new rows never take a restored key) and copy the rows
        back in SQL, with triggers and foreign-key checks off for the copy (the superuser's
        `session_replication_role`), since the copy holds the history rows too.
        """
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from django.db import connection, transaction

        call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables:
                cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table}"')  # noqa: S608
        ContentType.objects.clear_cache()

    def changed_tables(self) -> list[str]:
        """The tables whose rows differ from the snapshot (a test of the restore)."""
        from django.db import connection

        changed = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                if table == "django_migrations":
                    continue
                if table in self.tables:
                    cursor.execute(
                        f'SELECT NOT EXISTS ((TABLE "{table}" EXCEPT ALL TABLE {SNAPSHOT_SCHEMA}."{table}") '
                        f'UNION ALL (TABLE {SNAPSHOT_SCHEMA}."{table}" EXCEPT ALL TABLE "{table}"))'
                    )
                else:
                    cursor.execute(f'SELECT NOT EXISTS (SELECT FROM "{table}")')  # noqa: S608
                if not cursor.fetchone()[0]:
                    changed.append(table)
        return changed


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root) -> SharedDatabase:
    """pytest-django's migrated test database, plus the committed world and a snapshot of it all."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        return SharedDatabase.take(world)


@pytest.fixture(scope="session")
def shared_database(django_db_setup) -> SharedDatabase:
    return django_db_setup


@pytest.fixture
def world(shared_database, db):
    """Two counties with one record of every kind, and a user of each role (see tests/world.py).

    A copy for each test: what a test changes on these objects stays in that test."""
    return copy.deepcopy(shared_database.world)


@pytest.fixture
def users(world):
    return world.users
