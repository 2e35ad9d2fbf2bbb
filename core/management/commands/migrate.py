"""`migrate` as the schema's owner when MIGRATE_DATABASE_URL is set, then the application
role's grants (core.dbroles); otherwise Django's migrate unchanged."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from core import dbroles


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        owner = dbroles.OWNER_ALIAS in settings.DATABASES and options["database"] == DEFAULT_DB_ALIAS
        app_role = settings.DATABASES[DEFAULT_DB_ALIAS]["USER"]
        if owner:
            options["database"] = dbroles.OWNER_ALIAS
            dbroles.apply_grants(app_role)  # also the default privileges of the tables to come
        super().handle(*args, **options)
        if owner:
            dbroles.apply_grants(app_role)  # the new history tables: add only
            if options["verbosity"]:
                self.stdout.write(f"Granted the application role {app_role} its rights (history and audit: add only)")
