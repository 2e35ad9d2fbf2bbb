"""`manage.py prune_audit`: deletes audit entries older than AUDIT_RETENTION_DAYS, only when it is set,
never under 180 days."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from core.management.commands.prune_audit import owner_alias
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

TAG = "prune-test"


@pytest.fixture
def entries(world):
    now = timezone.now()
    return {
        age: AuditEntry.objects.create(
            kind=AuditEntry.Kind.LOGIN, username=TAG, occurred_at=now - dt.timedelta(days=age)
        ).pk
        for age in (1, 179, 250, 400)
    }


def remaining() -> set[int]:
    return set(AuditEntry.objects.filter(username=TAG).values_list("pk", flat=True))


def prune(*args) -> str:
    out = io.StringIO()
    call_command("prune_audit", *args, stdout=out)
    return out.getvalue()


def test_without_the_setting_nothing_is_deleted(settings, entries):
    settings.AUDIT_RETENTION_DAYS = None

    output = prune()

    assert remaining() == set(entries.values())
    assert "kept forever" in output


def test_it_deletes_only_entries_older_than_the_retention(settings, entries):
    settings.AUDIT_RETENTION_DAYS = 200

    output = prune()

    assert remaining() == {entries[1], entries[179]}
    assert output.startswith("2 audit entries")


def test_a_dry_run_counts_and_deletes_nothing(settings, entries):
    settings.AUDIT_RETENTION_DAYS = 300

    output = prune("--dry-run")

    assert remaining() == set(entries.values())
    assert output.startswith("1 audit entries")


def test_a_retention_under_180_days_is_refused(settings, entries):
    settings.AUDIT_RETENTION_DAYS = 30

    with pytest.raises(CommandError, match="180"):
        prune()
    assert remaining() == set(entries.values())


def test_it_uses_the_owner_connection_when_one_is_configured(monkeypatch):
    """The application's role may not DELETE audit rows (core.dbroles): the owner's connection prunes."""
    assert owner_alias() == "default"  # tests run as one role, the owner

    monkeypatch.setitem(connections.databases, "owner", connections.databases["default"])

    assert owner_alias() == "owner"
