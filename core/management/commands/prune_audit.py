"""`manage.py prune_audit [--dry-run]`: delete audit entries older than AUDIT_RETENTION_DAYS.

Without the setting nothing is deleted (entries are kept forever). The setting may not be
under 180 days (Cybersecurity Law art. 21: logs are kept at least six months). The
application's database role may not DELETE audit rows (core.dbroles), so the command runs
on the schema owner's connection: the `owner` database (MIGRATE_DATABASE_URL in production,
the private server's own URL in development when `.data/app_database_url` exists), else the
default one when a single role does everything.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from core.audit import MIN_RETENTION_DAYS
from core.dbroles import OWNER_ALIAS
from core.models import AuditEntry


def owner_alias() -> str:
    return OWNER_ALIAS if OWNER_ALIAS in connections.databases else DEFAULT_DB_ALIAS


class Command(BaseCommand):
    help = "Delete audit entries older than AUDIT_RETENTION_DAYS (nothing when it is not set)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, **options):
        days = settings.AUDIT_RETENTION_DAYS
        if days is None:
            self.stdout.write("AUDIT_RETENTION_DAYS is not set: audit entries are kept forever, nothing deleted.")
            return
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                f"AUDIT_RETENTION_DAYS={days} is under {MIN_RETENTION_DAYS} days (the legal minimum): nothing deleted."
            )
        cutoff = timezone.now() - dt.timedelta(days=days)
        using = owner_alias()
        old = AuditEntry.objects.using(using).filter(occurred_at__lt=cutoff)
        if options["dry_run"]:
            self.stdout.write(f"{old.count()} audit entries older than {days} days would be deleted.")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"{deleted} audit entries older than {days} days deleted.")
