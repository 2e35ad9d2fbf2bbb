"""`manage.py backup [--output DIR]`: one dated archive of the database and the uploaded files.

The archive (`yinling-YYYYmmdd-HHMMSS.tar.gz`) holds `database.dump` (pg_dump's custom
format: one consistent snapshot, restorable table by table) and `media/` (MEDIA_ROOT), plus
`manifest.json` with the row count of every table and a checksum of every file.
It dumps as the schema owner when MIGRATE_DATABASE_URL is set (core.dbroles).
"""

import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files into one dated archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / "backups"), help="folder for the archive")

    def handle(self, *args, **options):
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        archive = output / f"yinling-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        db = backups.database_settings()
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / "database.dump"
            backups.run_tool("pg_dump", db, "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
            manifest = {"tables": backups.row_counts(), "files": backups.file_checksums(settings.MEDIA_ROOT)}
            (Path(work) / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            with tarfile.open(archive, "w:gz") as tar:
                tar.add(dump, arcname="database.dump")
                tar.add(Path(work) / "manifest.json", arcname="manifest.json")
                if Path(settings.MEDIA_ROOT).exists():
                    tar.add(settings.MEDIA_ROOT, arcname="media")
        self.stdout.write(str(archive))
