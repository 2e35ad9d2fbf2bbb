"""Two database roles: the owner runs migrations, the application runs as a role that may
read and write records but never rewrite or erase the history and the audit trail.

Configuration (config/settings.py):

  DATABASE_URL          the application's role (what every request uses)
  MIGRATE_DATABASE_URL  the owner of the schema (optional); when set, `manage.py migrate`
                        runs as the owner (alias "owner") and then grants the application's
                        role what it needs (`apply_grants`): SELECT, INSERT, UPDATE, DELETE on
                        every table, minus UPDATE, DELETE and TRUNCATE on the protected ones
                        (`protected_tables()`: every pghistory event table and core_auditentry).

Without MIGRATE_DATABASE_URL one role does everything (development by default, tests).
`python -m core.devdb start` creates the application role on the private server too.
"""

from __future__ import annotations

import pghistory.models
from django.apps import apps
from django.db import connections
from psycopg2 import sql

from core.models import AuditEntry

OWNER_ALIAS = "owner"


def protected_tables() -> list[str]:
    """Tables the application may only add to: pghistory's events and the audit trail."""
    tables = {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and not model._meta.proxy and model._meta.managed
    }
    tables.add(AuditEntry._meta.db_table)
    return sorted(tables)


def grant_statements(app_role: str, schema: str = "public", existing=None) -> list[sql.Composed]:
    """The GRANTs and REVOKEs; `existing` (table names) leaves out protected tables not made yet."""
    role, schema_id = sql.Identifier(app_role), sql.Identifier(schema)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(schema_id, role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema_id, role),
        sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {} FROM {}").format(schema_id, role),
        # Tables the owner creates later (the next migrate) are usable at once, e.g. by post_migrate.
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(
            schema_id, role
        ),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(schema_id, role),
    ]
    for table in protected_tables():
        if existing is not None and table not in existing:
            continue
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(schema, table), role)
        )
    return statements


def apply_grants(app_role: str, using: str = OWNER_ALIAS) -> None:
    """Give `app_role` the application's rights on every table as it is now (after a migrate)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor renders sql.Composed
        for statement in grant_statements(app_role, existing=existing):
            raw.execute(statement)


def create_role(cursor, app_role: str) -> None:
    """CREATE ROLE app_role LOGIN unless it exists (on the private server: socket login, no password)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(app_role)))
