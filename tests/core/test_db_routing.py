"""The replica router: reports' reads go to the replica inside `reads_from_replica`, nothing else does.

The replica's answers (its lag, or no answer) are the one thing faked here: `ReplicaHealth` takes
the probe as an argument. tests/dev/test_replica.py serves a dashboard from a real replica.
"""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import OperationalError, transaction

from aid_cases.models import AidCase
from branches.models import Activity, Branch
from core.db_routing import REPLICA, ReplicaHealth, ReplicaRouter, reads_from_replica
from core.models import AuditEntry, Job, Region, User

LOGGER = "core.db_routing"


class Replica:
    """What the replica answers to the lag query: seconds behind, or an error; and how often it was asked."""

    def __init__(self, lag: float = 0.0):
        self.lag: float | Exception = lag
        self.asked = 0

    def __call__(self) -> float:
        self.asked += 1
        if isinstance(self.lag, Exception):
            raise self.lag
        return self.lag


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def replica():
    return Replica()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def router(replica, clock):
    return ReplicaRouter(health=ReplicaHealth(probe=replica, interval=5, clock=clock))


def read(router, model, **hints) -> str:
    return router.db_for_read(model, **hints)


def test_reports_reads_go_to_the_replica_only_inside_the_flag(router):
    assert read(router, Branch) == "default"
    with reads_from_replica():
        assert read(router, Branch) == REPLICA
        assert read(router, Activity) == REPLICA
        assert read(router, AidCase) == REPLICA
        assert read(router, Region) == REPLICA
    assert read(router, Branch) == "default"


def test_the_flag_decorates_a_function_and_ends_with_it_even_on_an_error(router):
    @reads_from_replica()
    def report():
        return read(router, Branch)

    @reads_from_replica()
    def failing_report():
        raise ValueError

    assert report() == REPLICA
    with pytest.raises(ValueError):
        failing_report()
    assert read(router, Branch) == "default"


@pytest.mark.parametrize("model", [Session, User, Permission, AuditEntry, Job])
def test_sessions_users_permissions_audit_and_jobs_are_always_read_from_the_primary(router, model):
    with reads_from_replica():
        assert read(router, model) == "default"


def test_writes_always_go_to_the_primary_even_for_an_object_read_from_the_replica(router):
    branch = Branch(name="读自副本")
    branch._state.db = REPLICA

    with reads_from_replica():
        assert router.db_for_write(Branch) == "default"
        assert router.db_for_write(Branch, instance=branch) == "default"
        assert router.db_for_write(Session) == "default"
    # Outside the flag an object read from the replica loads its relations from the primary.
    assert read(router, Region, instance=branch) == "default"


def test_an_object_loaded_from_the_owners_connection_stays_on_it(router):
    entry = AuditEntry()
    entry._state.db = "owner"

    assert router.db_for_write(AuditEntry, instance=entry) == "owner"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(router):
    with reads_from_replica(), transaction.atomic():
        assert read(router, Branch) == "default"


def test_a_replica_that_does_not_answer_leaves_reads_on_the_primary_with_one_warning(router, replica, clock, caplog):
    replica.lag = OperationalError('connection to server on socket "/x/.s.PGSQL.5432" failed')

    with caplog.at_level(logging.WARNING, logger=LOGGER), reads_from_replica():
        assert read(router, Branch) == "default"
        clock.now += 6
        assert read(router, Branch) == "default"
        clock.now += 6
        assert read(router, Branch) == "default"

    assert replica.asked == 3
    assert [r.getMessage() for r in caplog.records] == [
        'The database replica does not answer (connection to server on socket "/x/.s.PGSQL.5432" failed): '
        "reports read from the primary"
    ]


def test_a_replica_further_behind_than_the_maximum_lag_is_left_aside(router, replica, clock, caplog, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    replica.lag = 45.0

    with caplog.at_level(logging.WARNING, logger=LOGGER), reads_from_replica():
        assert read(router, Branch) == "default"
        replica.lag = 29.0
        clock.now += 6
        assert read(router, Branch) == REPLICA

    assert [r.getMessage() for r in caplog.records] == [
        "The database replica is 45.0 s behind the primary (at most 30 s): reports read from the primary",
        "The database replica answers again: reports read from it",
    ]


def test_the_replica_is_asked_at_most_once_per_interval(router, replica, clock, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER), reads_from_replica():
        for _ in range(20):
            assert read(router, Branch) == REPLICA
        clock.now += 4.9
        read(router, Branch)
        assert replica.asked == 1
        replica.lag = OperationalError("gone")
        clock.now += 0.2
        assert read(router, Branch) == "default"

    assert replica.asked == 2
    assert len(caplog.records) == 1  # a healthy replica is not worth a message; its failure is


def test_the_replica_is_not_asked_outside_the_flag_nor_for_primary_models(router, replica):
    read(router, Branch)
    with reads_from_replica():
        read(router, Session)

    assert replica.asked == 0


def test_migrations_never_run_on_the_replica(router):
    assert router.allow_migrate(REPLICA, "branches", "branch") is False
    assert router.allow_migrate("default", "branches", "branch") is None
    assert router.allow_migrate("owner", "branches", "branch") is None


def test_objects_of_the_primary_and_the_replica_may_point_at_each_other(router):
    branch, region = Branch(), Region()
    branch._state.db, region._state.db = REPLICA, "default"

    assert router.allow_relation(branch, region) is True
