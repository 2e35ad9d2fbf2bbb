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
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, audit
from core.job_models import ExportLog
from core.models import AuditEntry
from core.xlsx import XlsxWriter

EXPORT_PARAM = "export"
CHUNK = 2000


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


def export_response(*, user, queryset, columns, title: str, filters: str, path: str, request=None) -> FileResponse:
    """Write the queryset's rows to an .xlsx (streamed through a temporary file) and log the export:
    one ExportLog row and one audit entry (two INSERTs)."""
    columns = columns_for(user, columns)
    converters = [_converter(column, queryset.model, user) for column in columns]
    writer = XlsxWriter(title, [(str(column.label), column.excel_kind()) for column in columns])
    count = 0
    for row in queryset.values_list(*[column.path for column in columns]).iterator(chunk_size=CHUNK):
        writer.append([convert(value) for convert, value in zip(converters, row, strict=True)])
        count += 1
    output = writer.close()
    personal = any(column.personal or column.kind == "id_number" for column in columns)
    ExportLog.objects.create(
        user=user, model=queryset.model._meta.label, path=path, filters=filters, row_count=count, personal=personal
    )
    audit.record(
        request,
        AuditEntry.Kind.EXPORT,
        user=user,
        target_label=title,
        detail={
            "rows": count,
            "model": queryset.model._meta.label,
            "path": path,
            "filters": filters,
            "personal": personal,
        },
    )
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ExportListMixin:
    """`?export=xlsx` answers the list's rows as a workbook (see the module docstring)."""

    export_columns: tuple[ExportColumn, ...] = ()
    export_title = ""

    def wants_export(self) -> bool:
        return bool(self.export_columns) and self.request.GET.get(EXPORT_PARAM) == "xlsx"

    def get_export_title(self) -> str:
        return str(self.export_title or self.model._meta.verbose_name_plural)

    def export(self):
        query = self.request.GET.copy()
        for name in (EXPORT_PARAM, "page"):
            query.pop(name, None)
        return export_response(
            user=self.request.user,
            queryset=self.get_queryset(),
            columns=self.export_columns,
            title=self.get_export_title(),
            filters=query.urlencode(),
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
