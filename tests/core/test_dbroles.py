"""The application's database role cannot rewrite or erase history or audit rows (core.dbroles).

The role is made and granted inside the test's transaction (rolled back afterwards), on the
test database only; statements run under `SET ROLE` as the application would.
"""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from psycopg2 import sql

from core import dbroles
from core.models import AuditEntry, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_app_role(world):
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    with connection.cursor() as cursor:
        dbroles.create_role(cursor, role)
        for statement in dbroles.grant_statements(role):
            cursor.cursor.execute(statement)
        cursor.cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(statement: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    except ProgrammingError as error:
        return "permission denied" in str(error)
    return False


def test_the_protected_tables_are_the_history_and_the_audit():
    tables = dbroles.protected_tables()

    assert "core_auditentry" in tables
    assert "core_personevent" in tables
    assert "core_person" not in tables


def test_the_application_role_adds_audit_entries_but_cannot_change_or_delete_them(as_app_role):
    entry = AuditEntry.objects.create(kind=AuditEntry.Kind.LOGIN, username="someone")

    assert AuditEntry.objects.filter(pk=entry.pk).exists() is True
    assert refused("UPDATE core_auditentry SET username = 'nobody' WHERE id = %s", [entry.pk]) is True
    assert refused("DELETE FROM core_auditentry WHERE id = %s", [entry.pk]) is True
    assert refused("TRUNCATE core_auditentry") is True


def test_the_application_role_changes_records_and_their_history_is_written_but_not_rewritten(world, as_app_role):
    person = Person.objects.get(pk=world.inside.person.pk)
    person.note = "由应用角色修改"
    person.save()  # the pghistory trigger inserts the event as the application role

    event = person.events.order_by("-pgh_id").first()
    assert event.note == "由应用角色修改"
    assert refused("UPDATE core_personevent SET note = 'rewritten' WHERE pgh_id = %s", [event.pgh_id]) is True
    assert refused("DELETE FROM core_personevent WHERE pgh_id = %s", [event.pgh_id]) is True
    assert refused("TRUNCATE core_personevent") is True


def test_without_the_grants_the_owner_could_delete_history(world):
    """The check above can fail: as the owner (no SET ROLE) the same DELETE goes through."""
    assert refused("DELETE FROM core_personevent WHERE pgh_id = -1") is False
