"""Reports read from a PostgreSQL streaming replica; everything else, and every write, from the primary.

`DATABASE_REPLICA_URL` adds the alias "replica" and this router (config/settings.py). Reads go
there only inside `reads_from_replica()` (a context manager and a decorator: the reports views
and the leader's home panel), and never for the models a request needs fresh (sessions, users,
permissions, the audit trail, jobs and uploads) nor inside a transaction. A report may then be a
moment behind the primary: at most `DATABASE_REPLICA_MAX_LAG` seconds, give or take one check.

Whether the replica may be used is asked of it at most every `CHECK_SECONDS` in each process
(one query, `replica_lag`): while it does not answer, or replays more than the maximum lag
behind, reports read from the primary, and the change is logged once as a warning.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
CHECK_SECONDS = 5.0
# Read fresh from the primary: who is logged in and what they may do, the audit trail, the queue.
PRIMARY_ONLY_APPS = frozenset({"admin", "auth", "contenttypes", "sessions", "axes", "django_tasks_db"})
PRIMARY_ONLY_MODELS = frozenset(
    {"core.user", "core.passwordhistory", "core.auditentry", "core.exportlog", "core.job", "core.importupload"}
)
# Behind by nothing while the replica has replayed all it received (an idle primary sends nothing,
# so the last replayed transaction grows old without the replica falling behind).
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

_use_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Inside this block (or the function it decorates), the reports' reads may go to the replica."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_lag() -> float:
    """Seconds the replica's replay is behind what it received (one query on the replica's connection)."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except Error:
        connection.close()  # a broken connection is opened anew at the next check
        raise


class ReplicaHealth:
    """Whether the replica answers and is recent enough, asked at most every `interval` seconds."""

    def __init__(
        self,
        probe: Callable[[], float] = replica_lag,
        interval: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.probe = probe
        self.interval = interval
        self.clock = clock
        self.usable: bool | None = None  # not asked yet
        self.checked_at: float | None = None
        self._lock = threading.Lock()

    def is_usable(self) -> bool:
        now = self.clock()
        with self._lock:
            if self.checked_at is None or now - self.checked_at >= self.interval:
                self.checked_at = now
                self._check()
            return bool(self.usable)

    def forget(self) -> None:
        """Ask the replica again at the next read (after a change of settings)."""
        with self._lock:
            self.checked_at = None

    def _check(self) -> None:
        max_lag = settings.DATABASE_REPLICA_MAX_LAG
        try:
            lag = self.probe()
        except Error as error:
            usable, reason = False, f"does not answer ({str(error).strip()})"
        else:
            usable, reason = lag <= max_lag, f"is {lag:.1f} s behind the primary (at most {max_lag} s)"
        # Once per change, not at every check: a replica down for an hour is one warning.
        if not usable and self.usable is not False:
            logger.warning("The database replica %s: reports read from the primary", reason)
        elif usable and self.usable is False:
            logger.warning("The database replica answers again: reports read from it")
        self.usable = usable


replica_health = ReplicaHealth()


def _primary(hints: dict) -> str:
    """The primary; an object loaded from another writable alias (the schema owner's) stays there."""
    instance = hints.get("instance")
    db = getattr(getattr(instance, "_state", None), "db", None)
    return db if db and db != REPLICA else DEFAULT_DB_ALIAS


def reads_primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


class ReplicaRouter:
    """DATABASE_ROUTERS when a replica is configured (config/settings.py)."""

    def __init__(self, health: ReplicaHealth | None = None):
        self.health = health or replica_health

    def db_for_read(self, model, **hints) -> str:
        if (
            _use_replica.get()
            and not reads_primary_only(model)
            # Inside a transaction a read must see what the transaction wrote (and tests, whose
            # transactions the mirrored replica alias cannot see, read the test database).
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and self.health.is_usable()
        ):
            return REPLICA
        return _primary(hints)

    def db_for_write(self, model, **hints) -> str:
        return _primary(hints)

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: an object read from either may point at one from the other.
        names = {DEFAULT_DB_ALIAS, REPLICA}
        return True if {obj1._state.db, obj2._state.db} <= names else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
