"""Helpers of the import tests: a sheet as the template heads it, uploaded and confirmed through
the real views and jobs (core.imports), and the errors of checked rows."""

import io

from django.urls import reverse
from openpyxl import Workbook

from core.models import ImportUpload, Job


def headers(kind) -> list[str]:
    return [f"{c.header}*" if c.required else str(c.header) for c in kind.columns]


def xlsx(kind, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers(kind))
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, kind, content: bytes, capture, *, filename: str = "名单.xlsx") -> ImportUpload:
    """Upload the file and run the check job; the checked upload."""
    file = io.BytesIO(content)
    file.name = filename
    with capture(execute=True):
        response = client.post(reverse("core:import_start", args=[kind.name]), {"file": file})
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE, job.error
    return ImportUpload.objects.get(check_job=job)


def confirm(client, upload, capture) -> Job:
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    return upload.import_job


def errors(rows) -> dict:
    return {row.number: row.errors for row in rows if row.errors}
