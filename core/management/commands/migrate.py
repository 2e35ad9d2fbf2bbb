"""`migrate` as the schema's owner when one is configured (MIGRATE_DATABASE_URL, core.dbroles),
then the application role's grants; otherwise Django's migrate unchanged.

The whole command runs with the default connection switched to the owner: data migrations
and post_migrate receivers that use the default alias then run as the owner too, inside the
same schema changes (a second connection as the application role would wait on their locks).
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from core import dbroles

CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        owner = settings.DATABASES.get(dbroles.OWNER_ALIAS)
        if owner is None or options["database"] != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        default = connections[DEFAULT_DB_ALIAS]
        app_role = default.settings_dict["USER"]
        default.close()
        default.settings_dict.update({key: owner[key] for key in CONNECTION_KEYS if key in owner})
        dbroles.apply_grants(app_role, using=DEFAULT_DB_ALIAS)  # also the default privileges of tables to come
        super().handle(*args, **options)
        dbroles.apply_grants(app_role, using=DEFAULT_DB_ALIAS)  # the new history tables: add only
        if options["verbosity"]:
            self.stdout.write(f"Granted the application role {app_role} its rights (history and audit: add only)")
        return None
