"""`manage.py restore ARCHIVE`: put a `backup` archive into an empty database and MEDIA_ROOT.

Refuses a database that already has tables (restore into a new one, then point
DATABASE_URL at it), then checks the row counts against the archive's manifest.
"""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import backups


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database (and the uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **options):
        alias = backups.owner_alias()
        if connections[alias].introspection.table_names():
            raise CommandError("数据库不是空的：请恢复到一个新建的空数据库。 The database is not empty.")
        db = backups.database_settings()
        with tempfile.TemporaryDirectory() as work, tarfile.open(options["archive"]) as tar:
            tar.extractall(work, filter="data")
            backups.run_tool(
                "pg_restore", db, "--no-owner", "--no-privileges", "--exit-on-error", str(Path(work) / "database.dump")
            )
            media = Path(work) / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
            manifest = json.loads((Path(work) / "manifest.json").read_text())
        connections[alias].close()
        counts = backups.row_counts()
        wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
        if wrong:
            raise CommandError(f"Row counts differ after the restore: {wrong}")
        self.stdout.write(f"Restored {len(counts)} tables and {len(manifest['files'])} files")
