"""Every list exports what it shows to .xlsx: `?export=xlsx` on the list's own URL.

A list view declares its columns and gets the rest from `ExportListMixin`
(part of `core.mixins.ScopedListView`):

    export_columns = (
        ExportColumn(_("姓名"), "person__name", personal=True),
        ExportColumn(_("身份证号"), "person__id_number", kind="id_number"),
        ExportColumn(_("所在支部"), "branch__name"),
    )

The rows are the list's own queryset (the user's scope, the page's filters and
order, all pages), read with `values_list(...).iterator()` and streamed into
openpyxl's write-only mode, so 100,000 rows keep memory flat and cost a few
queries. The same permission as the list decides (it is the same view);
columns of personal data are left out for viewers without
`core.view_personal_data` (leaders), ID numbers are masked for every viewer (a
list never carries whole numbers: `core.access.visible_id_number`); every export
writes an `ExportLog` row (who, when, filter, row count) and an audit entry
(`AuditEntry.Kind.EXPORT`, with the client address), which the audit page lists.

A list of more than `EXPORT_INLINE_ROWS` rows is exported by a background job
(`start_export`, `run_export`): the job keeps the list's path and filters, and the
worker sets up the same view for a request of the same user (`list_view_for`), so
there is one definition of each list's rows. The file goes to the default storage
(S3 once a bucket is configured) and `core.job_views.job_download` serves it to its
creator alone; `manage.py prune_exports` deletes it after `EXPORT_FILE_DAYS`.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.http import FileResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import access, audit
from core.job_models import ExportLog, Job
from core.jobs import JobError, register_job_kind, start_job
from core.models import AuditEntry
from core.security import client_ip
from core.xlsx import XlsxWriter

EXPORT_PARAM = "export"
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    """One column: its header, the ORM path of its value (a field, through relations, or an annotation).

    `kind`: "auto" (choices become their labels, booleans 是/否, dates dates), "text"
    (kept as text in Excel: phones, codes), "id_number" (text, masked per viewer).
    `personal`: the column names or describes a person (left out for leaders).
    """

    label: str
    path: str
    kind: str = "auto"
    personal: bool = False

    def excel_kind(self) -> str:
        return "text" if self.kind in ("text", "id_number") else "auto"


def _field_at(model, path: str):
    """The model field at the end of an ORM path, or None (an annotation)."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def _converter(column: ExportColumn, model, user):
    """A function turning the raw database value of the column into what the cell shows."""
    if column.kind == "id_number":
        return lambda value: access.visible_id_number(user, value) if value else ""
    field = _field_at(model, column.path)
    if isinstance(field, ArrayField) and field.base_field.choices:
        labels = {str(k): str(v) for k, v in field.base_field.flatchoices}
        return lambda value: "、".join(labels.get(v, v) for v in value or [])
    if field is not None and field.choices:
        labels = {k: str(v) for k, v in field.flatchoices}
        return lambda value: labels.get(value, value if value is not None else "")
    if isinstance(field, models.BooleanField):
        yes, no = _("是"), _("否")
        return lambda value: "" if value is None else (yes if value else no)
    if isinstance(field, models.DateTimeField):
        return lambda value: timezone.localtime(value).replace(tzinfo=None) if value else None
    return lambda value: value if not isinstance(value, dt.datetime) else value.replace(tzinfo=None)


def columns_for(user, columns) -> list[ExportColumn]:
    """The columns this viewer may take away: no personal ones (nor ID numbers, even masked)
    without `core.view_personal_data`."""
    if access.shows_personal_data(user):
        return list(columns)
    return [column for column in columns if not column.personal and column.kind != "id_number"]


def write_workbook(*, user, queryset, columns, title: str, report=None) -> tuple[object, int, bool]:
    """Stream the queryset's rows into an .xlsx (a temporary file at its start): (file, rows, personal).

    One query for the rows (a server-side cursor, CHUNK at a time); `report(done)` is called
    every CHUNK rows (a background job's progress)."""
    columns = columns_for(user, columns)
    converters = [_converter(column, queryset.model, user) for column in columns]
    writer = XlsxWriter(title, [(str(column.label), column.excel_kind()) for column in columns])
    count = 0
    for row in queryset.values_list(*[column.path for column in columns]).iterator(chunk_size=CHUNK):
        writer.append([convert(value) for convert, value in zip(converters, row, strict=True)])
        count += 1
        if report is not None and count % CHUNK == 0:
            report(count)
    personal = any(column.personal or column.kind == "id_number" for column in columns)
    return writer.close(), count, personal


def log_export(request, *, user, model: str, title: str, filters: str, path: str, rows: int, personal: bool) -> None:
    """One ExportLog row and one audit entry (two INSERTs): who, when, which list, filter, rows."""
    ExportLog.objects.create(user=user, model=model, path=path, filters=filters, row_count=rows, personal=personal)
    audit.record(
        request,
        AuditEntry.Kind.EXPORT,
        user=user,
        target_label=title,
        detail={"rows": rows, "model": model, "path": path, "filters": filters, "personal": personal},
    )


def export_filename(title: str) -> str:
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx"


def export_response(*, user, queryset, columns, title: str, filters: str, path: str, request=None) -> FileResponse:
    """Write the queryset's rows to an .xlsx (streamed through a temporary file) and log the export:
    one ExportLog row and one audit entry (two INSERTs)."""
    output, count, personal = write_workbook(user=user, queryset=queryset, columns=columns, title=title)
    log_export(
        request,
        user=user,
        model=queryset.model._meta.label,
        title=title,
        filters=filters,
        path=path,
        rows=count,
        personal=personal,
    )
    return FileResponse(output, as_attachment=True, filename=export_filename(title), content_type=XLSX)


class ExportListMixin:
    """`?export=xlsx` answers the list's rows as a workbook (see the module docstring)."""

    export_columns: tuple[ExportColumn, ...] = ()
    export_title = ""

    def wants_export(self) -> bool:
        return bool(self.export_columns) and self.request.GET.get(EXPORT_PARAM) == "xlsx"

    def get_export_title(self) -> str:
        return str(self.export_title or self.model._meta.verbose_name_plural)

    def export_filters(self) -> str:
        query = self.request.GET.copy()
        for name in (EXPORT_PARAM, "page"):
            query.pop(name, None)
        return query.urlencode()

    def export(self):
        queryset = self.get_queryset()
        if queryset.count() > settings.EXPORT_INLINE_ROWS:
            # A province's rows take longer than a request may: a background job writes the file.
            return redirect(start_export(self.request, title=self.get_export_title(), filters=self.export_filters()))
        return export_response(
            user=self.request.user,
            queryset=queryset,
            columns=self.export_columns,
            title=self.get_export_title(),
            filters=self.export_filters(),
            path=self.request.path,
            request=self.request,
        )

    def get(self, request, *args, **kwargs):
        if self.wants_export():
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.export_columns:
            query = self.request.GET.copy()
            query.pop("page", None)
            query[EXPORT_PARAM] = "xlsx"
            context["export_query"] = query.urlencode()
        return context


# --- exports too large for a request: a background job ------------------------------------------

EXPORT_JOB = "export_list"
EXPORT_FOLDER = "exports"


def start_export(request, *, title: str, filters: str) -> Job:
    """Queue the export of the list at `request.path` with these filters; the job page follows it.

    The job keeps what rebuilds the list's request in the worker (path, query, language,
    client address), not a copy of its query."""
    return start_job(
        kind=EXPORT_JOB,
        title=_("导出：%(title)s") % {"title": title},
        by=request.user,
        params={
            "path": request.path,
            "query": filters,
            "language": translation.get_language(),
            "address": client_ip(request),
        },
    )


def list_view_for(job: Job):
    """The list view of the job's export, set up for a request of its creator with the export's
    filters; None when the path no longer names an exporting list or the user may not read it
    any more (their role or scope changed since)."""
    params = job.params
    try:
        match = resolve(params["path"])
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ExportListMixin) or not view_class.export_columns:
        return None
    query = params.get("query", "")
    address = {"REMOTE_ADDR": params["address"]} if params.get("address") else {}
    request = RequestFactory().get(f"{params['path']}?{query}" if query else params["path"], **address)
    request.user = job.created_by
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    if not job.created_by.is_active or not view.has_permission():
        return None
    return view


def run_export(job: Job) -> dict:
    """The export job: the list's own queryset through its own view (same scope, filters, order and
    columns as `?export=xlsx` in the request), streamed to a file in the default storage, then
    logged exactly as an export in the request is (ExportLog row and audit entry)."""
    view = list_view_for(job)
    if view is None:
        raise JobError(_("您已无权导出该列表"))
    with translation.override(job.params.get("language")):
        queryset = view.get_queryset()
        title = view.get_export_title()
        total = queryset.count()
        job.report(0, total, phase=_("写入Excel"))
        output, count, personal = write_workbook(
            user=job.created_by,
            queryset=queryset,
            columns=view.export_columns,
            title=title,
            report=lambda done: job.report(min(done, total), total),
        )
        job.report(min(count, total), total, phase=_("保存文件"))
        filename = export_filename(title)
    with output:
        name = default_storage.save(f"{EXPORT_FOLDER}/{job.pk}.xlsx", File(output, name=filename))
    try:
        with transaction.atomic():
            log_export(
                view.request if job.params.get("address") else None,
                user=job.created_by,
                model=queryset.model._meta.label,
                title=title,
                filters=job.params.get("query", ""),
                path=job.params["path"],
                rows=count,
                personal=personal,
            )
    except Exception:
        default_storage.delete(name)
        raise
    return {"file": name, "filename": filename, "rows": count, "download": reverse("core:job_download", args=[job.pk])}


register_job_kind(EXPORT_JOB, run_export)
