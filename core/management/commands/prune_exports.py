"""`manage.py prune_exports [--dry-run]`: delete background exports' files older than EXPORT_FILE_DAYS.

Not part of `prune_audit`: that one deletes audit rows, only when AUDIT_RETENTION_DAYS is set,
never under 180 days and on the schema owner's connection; these files are copies of the
records waiting to be downloaded, kept days, not months, and removed from the default storage
(S3 once a bucket is named) by the application itself. The job row stays (its ExportLog row and
audit entry say what was exported) and says that its file has expired. Run it daily (cron or a
systemd timer beside the workers).
"""

import datetime as dt

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.exports import EXPORT_JOB
from core.job_models import Job


class Command(BaseCommand):
    help = "Delete the files of background exports older than EXPORT_FILE_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, **options):
        days = settings.EXPORT_FILE_DAYS
        cutoff = timezone.now() - dt.timedelta(days=days)
        old = Job.all_objects.filter(kind=EXPORT_JOB, finished_at__lt=cutoff, result__has_key="file")
        if options["dry_run"]:
            self.stdout.write(f"{old.count()} export files older than {days} days would be deleted.")
            return
        deleted = 0
        for job in old.iterator():
            default_storage.delete(job.result["file"])
            result = {key: value for key, value in job.result.items() if key not in ("file", "download")}
            Job.all_objects.filter(pk=job.pk).update(result={**result, "expired": True})
            deleted += 1
        self.stdout.write(f"{deleted} export files older than {days} days deleted.")
