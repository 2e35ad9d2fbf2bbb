"""Pages of background jobs and of imports from Excel (core.jobs, core.imports).

A job page polls itself with htmx while the job runs (no inline script) and goes on
to the job's result page when it is done (an export: its download); a failed job can be retried. An import is
upload → check (a job) → preview row by row → confirm → import (a job).
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import access, audit
from core.exports import EXPORT_JOB, XLSX, list_view_for
from core.imports import ERROR, STATUS_LABELS, error_workbook, kind_named, start_check, start_import, template_workbook
from core.job_models import ImportUpload, Job
from core.jobs import JobError, retry_job
from core.models import AuditEntry

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PREVIEW_PAGE = 100


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_readable(request.user, Job, pk=pk)
    if request.htmx:
        if job.is_finished and job.result.get("url") and job.status == Job.Status.DONE:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = job.result["url"]
            return response
        return render(request, "core/partials/job_progress.html", {"job": job})
    return render(request, "core/job_detail.html", {"job": job})


@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A background export's file, to the user who asked for it while they may still read its list."""
    job = access.get_own(request.user, Job, pk=pk, kind=EXPORT_JOB, status=Job.Status.DONE)
    name = job.result.get("file")
    if not name or list_view_for(job) is None or not default_storage.exists(name):
        raise Http404
    audit.record(
        request,
        AuditEntry.Kind.EXPORT,
        target_label=job.title,
        detail={"download": job.pk, "rows": job.result.get("rows"), "path": job.params.get("path")},
    )
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=job.result["filename"], content_type=XLSX
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_writable(request.user, Job, action=access.CHANGE, pk=pk)
    try:
        retry_job(job=job)
    except JobError as error:
        messages.error(request, str(error))
    return redirect(job)


def _kind_for(user, name: str):
    kind = kind_named(name)
    if kind is None:
        raise Http404
    access.require(user, kind.action, kind.model)
    if not kind.may_use(user):
        raise PermissionDenied
    return kind


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, kind: str) -> HttpResponse:
    import_kind = _kind_for(request.user, kind)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要上传的文件")
        elif not upload.name.lower().endswith(".xlsx"):
            error = _("请上传 .xlsx 格式的 Excel 文件（旧的 .xls 请在 Excel 中另存为 .xlsx）")
        elif upload.size > MAX_UPLOAD_BYTES:
            error = _("文件不能超过10MB，请分成几个文件")
        else:
            job = start_check(kind=import_kind, user=request.user, filename=upload.name, content=upload.read())
            return redirect(job)
    recent = access.readable(request.user, ImportUpload.objects.filter(kind=import_kind.name))[:10]
    return render(
        request,
        "core/import_start.html",
        {"kind": import_kind, "error": error, "recent": recent},
        status=200,
    )


@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    import_kind = _kind_for(request.user, kind)
    response = HttpResponse(template_workbook(import_kind, request.user), content_type=XLSX)
    filename = _("%(title)s导入模板.xlsx") % {"title": import_kind.title}
    response["Content-Disposition"] = _content_disposition(filename)
    return response


def _content_disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _upload_for(request, pk: int, *, action: str = access.VIEW) -> tuple[ImportUpload, object]:
    if action == access.VIEW:
        upload = access.get_readable(request.user, ImportUpload, pk=pk)
    else:
        upload = access.get_writable(request.user, ImportUpload, action=action, pk=pk)
    return upload, _kind_for(request.user, upload.kind)


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload, kind = _upload_for(request, pk)
    only_errors = request.GET.get("status") == ERROR
    rows = [entry for entry in upload.rows if entry["status"] == ERROR] if only_errors else upload.rows
    page = Paginator(rows, PREVIEW_PAGE).get_page(request.GET.get("page"))
    headers = [column.header for column in kind.columns]
    id_columns = {index for index, column in enumerate(kind.columns) if column.kind == "id_number"}
    for entry in page.object_list:
        # ID numbers are masked here as on every page (the uploader has the file itself).
        cells = [
            access.visible_id_number(request.user, c) if i in id_columns else c for i, c in enumerate(entry["cells"])
        ]
        entry["cells_with_errors"] = list(zip(headers, cells, entry["errors"], strict=True))
        entry["status_label"] = STATUS_LABELS[entry["status"]]
    kind.previewed(user=request.user, upload=upload, entries=page.object_list)
    return render(
        request,
        "core/import_preview.html",
        {
            "upload": upload,
            "kind": kind,
            "page_obj": page,
            "headers": headers,
            "only_errors": only_errors,
            "may_confirm": upload.state == ImportUpload.State.CHECKED and not upload.has_errors,
        },
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload, _kind = _upload_for(request, pk, action=access.CHANGE)
    if upload.state != ImportUpload.State.CHECKED or upload.has_errors:
        messages.error(request, _("该文件有错误或已导入，不能再次确认"))
        return redirect(upload)
    return redirect(start_import(upload=upload, user=request.user))


@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    upload, kind = _upload_for(request, pk)
    filename = _("%(name)s-错误行.xlsx") % {"name": upload.filename.removesuffix(".xlsx")}
    entries = [entry for entry in upload.rows if entry["status"] == ERROR]
    kind.previewed(user=request.user, upload=upload, entries=entries, download=True)
    return FileResponse(error_workbook(upload, kind), as_attachment=True, filename=filename, content_type=XLSX)


urlpatterns = [
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/retry/", job_retry, name="job_retry"),
    path("jobs/<int:pk>/download/", job_download, name="job_download"),
    path("import/<slug:kind>/", import_start, name="import_start"),
    path("import/<slug:kind>/template/", import_template, name="import_template"),
    path("imports/<int:pk>/", import_preview, name="import_preview"),
    path("imports/<int:pk>/confirm/", import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", import_errors, name="import_errors"),
]
