"""Importing .xlsx files: a template per kind, a check shown row by row, then all-or-nothing.

An app describes one kind of import (`ImportKind`: its columns, how rows are
matched and checked against the database, how they are saved) and registers it
with `register_import_kind` in `AppConfig.ready()`; everything else is here:

- `template_workbook(kind, user)`: the downloadable template (Chinese headers with
  * on required ones, an example row, drop-down lists for choice columns, ID-number
  and phone columns formatted as text so Excel keeps all 18 digits and the X);
- reading an upload (`read_rows`): the header row found by its names, every cell
  parsed as Excel users fill it in (core.xlsx: real dates, serial numbers,
  2016年9月5日, 2016/9/5, full-width digits, numbers typed as text without ".0"),
  duplicates within the file flagged on both rows;
- the check job (`check_upload`): parse, let the kind match and check each row
  (new / update / unchanged / error, each error on its cell) and keep the result on
  the `ImportUpload` for the preview page;
- the import job (`import_upload`): read and check the stored file again inside one
  transaction (the database may have changed since the preview) and save every row,
  or nothing when any row is in error;
- `error_workbook(upload)`: the rows in error as the original sheet plus an error column.

The file itself is kept in the database (`ImportUpload.content`), so the check, the
preview and the import may run on different servers and workers.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.job_models import ImportUpload, Job
from core.jobs import JobError, register_job_kind, start_job
from core.validators import normalize_id_number, normalize_mobile, parse_id_number, validate_phone
from core.xlsx import TEXT_FORMAT, XlsxWriter, cell_date, cell_text, cell_time

MAX_ROWS = 20000
NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
STATUS_LABELS = {
    NEW: gettext_lazy("新增"),
    UPDATE: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("无变化"),
    ERROR: gettext_lazy("有错误"),
}
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "党员", "中共党员"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "非党员", "群众"}


@dataclass(frozen=True)
class ImportColumn:
    """One column of a kind's sheet.

    `kind`: "text", "id_number", "phone", "date", "time" (14:30, 14点30, an Excel time),
    "choice" (`choices`: (value, label) pairs, or a callable `choices(user)`), "lookup"
    (text naming a record the kind finds itself, e.g. a branch; `choices(user)` fills the
    template's drop-down), "bool".
    `past`: a date that may not lie in the future.
    """

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    choices: tuple | Callable = ()
    example: str = ""
    help: str = ""
    past: bool = False
    default: object = None

    def choice_pairs(self, user) -> list[tuple[str, str]]:
        pairs = self.choices(user) if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in pairs]


@dataclass
class Row:
    """One row of the sheet as read, then as checked."""

    number: int  # the row number in the sheet (the header is row 1)
    cells: list[str]  # what each column says, as text, for the preview and the error sheet
    original: list = field(default_factory=list)  # the cells as they were, for the error sheet
    values: dict = field(default_factory=dict)  # parsed values by column key
    errors: dict = field(default_factory=dict)  # column key (or "" for the row) -> message
    status: str = NEW
    changes: list = field(default_factory=list)  # labels of the fields an update changes
    target: object = None  # what the kind matched (an existing record), for saving

    def error(self, key: str, message) -> None:
        self.errors.setdefault(key, str(message))

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportKind:
    """What an app declares for one kind of import (see branches/imports.py).

    Subclasses set `name`, `title`, `model` (the user must be allowed to add such
    records), `columns`, `key` (the column that identifies a row: duplicates within
    the file are refused) and implement `check(user, rows)` (set each row's status,
    errors on its cells, `target`; a fixed number of queries for the whole file) and
    `save(user, row)` (write one checked row; called inside the import's transaction).
    """

    name = ""
    title = ""
    model = None
    columns: tuple[ImportColumn, ...] = ()
    key = ""
    action = "add"

    def check(self, *, user, rows: list[Row]) -> None:
        raise NotImplementedError

    def save(self, *, user, row: Row) -> None:
        raise NotImplementedError

    def may_use(self, user) -> bool:
        """Beyond the role's `action` on `model`: may this user import this kind at all (e.g. they
        record activities for some branch)? The import pages answer 403 and lists hide the link."""
        return True

    def previewed(self, *, user, upload, entries: list[dict], download: bool = False) -> None:
        """The user is shown these checked rows (`upload.rows` entries): on the preview page, or in
        the error sheet when `download`. A kind whose rows are data that must be audited when read
        (children) records that here; nothing by default."""

    def column(self, key: str) -> ImportColumn:
        return next(column for column in self.columns if column.key == key)


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    _KINDS[kind.name] = kind


def kind_named(name: str) -> ImportKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


# --- the template -----------------------------------------------------------------------------


def _header_label(column: ImportColumn) -> str:
    return f"{column.header}*" if column.required else str(column.header)


def template_workbook(kind: ImportKind, user) -> bytes:
    """The template of a kind: headers, one example row, drop-downs and text-formatted columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.title)[:31]
    options = workbook.create_sheet(_("选项"))
    options.sheet_state = "hidden"
    guide = workbook.create_sheet(_("填写说明"))
    guide.append([_("列"), _("必填"), _("说明")])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=_header_label(column))
        cell.font, cell.fill = bold, fill
        if column.help:
            cell.comment = Comment(str(column.help), "银龄台账")
        sheet.column_dimensions[letter].width = max(12, min(40, len(str(column.header)) * 2 + 6))
        example = sheet.cell(row=2, column=index, value=str(column.example) if column.example else None)
        if column.kind in ("text", "id_number", "phone"):
            # Column and example cell as text: Excel keeps 18 digits and a final X as typed.
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
        if column.kind in ("choice", "lookup", "bool"):
            labels = [label for _value, label in column.choice_pairs(user)] if column.kind != "bool" else ["是", "否"]
            for row, label in enumerate(labels, start=1):
                options.cell(row=row, column=index, value=label)
            if labels:
                source = f"{quote_sheetname(options.title)}!${letter}$1:${letter}${len(labels)}"
                validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
                validation.error = _("请从下拉列表中选择")
                validation.errorTitle = str(column.header)
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        guide.append([str(column.header), _("是") if column.required else "", str(column.help)])
    sheet.freeze_panes = "A2"
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["C"].width = 80
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- reading ----------------------------------------------------------------------------------


def _clean_header(value) -> str:
    return cell_text(value).replace("*", "").replace(" ", "")


def read_rows(kind: ImportKind, content: bytes, user) -> list[Row]:
    """The data rows of the file's first sheet, each cell parsed; JobError for a file that is not the template."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise JobError(_("无法读取该文件，请上传用本系统模板填写的 .xlsx 文件")) from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    positions = {_clean_header(value): index for index, value in enumerate(header) if value is not None}
    missing = [str(c.header) for c in kind.columns if c.required and _clean_header(c.header) not in positions]
    if missing:
        raise JobError(_("缺少必填列：%(columns)s。请使用本系统的导入模板。") % {"columns": "、".join(missing)})
    where = [positions.get(_clean_header(column.header)) for column in kind.columns]
    parsers = [_parser(column, user) for column in kind.columns]
    rows = []
    for number, line in enumerate(lines, start=2):
        original = [line[i] if i is not None and i < len(line) else None for i in where]
        if all(cell_text(value) == "" for value in original):
            continue
        if len(rows) >= MAX_ROWS:
            raise JobError(_("一次最多导入%(max)s行，请分成几个文件") % {"max": MAX_ROWS})
        row = Row(number=number, cells=[cell_text(value) for value in original], original=original)
        for index, (column, parse, value) in enumerate(zip(kind.columns, parsers, original, strict=True)):
            try:
                row.values[column.key] = parse(value)
            except ValidationError as error:
                row.error(column.key, error.messages[0])
                continue
            if column.kind in ("date", "time") and row.values[column.key] and value not in (None, ""):
                # A serial number shown as its date, a time as 14:30.
                row.cells[index] = (
                    row.values[column.key].isoformat(timespec="minutes")
                    if column.kind == "time"
                    else row.values[column.key].isoformat()
                )
        rows.append(row)
    workbook.close()
    _flag_duplicates(kind, rows)
    return rows


def _parser(column: ImportColumn, user) -> Callable:
    """A function from a cell to its value, raising ValidationError with a Chinese message."""

    def required(text):
        if text == "" and column.required:
            raise ValidationError(_("必填"))
        return text

    if column.kind == "id_number":

        def parse(value):
            text = required(normalize_id_number(cell_text(value)))
            if text:
                parse_id_number(text)  # ValidationError with the reason (checksum, length, date …)
            return text

    elif column.kind == "phone":

        def parse(value):
            text = required(cell_text(value))
            if text:
                validate_phone(text)
                text = normalize_mobile(text)
            return text

    elif column.kind == "date":

        def parse(value):
            try:
                date = cell_date(value)
            except ValueError:
                raise ValidationError(_("无法识别的日期，请填写如 2016-09-05 或 2016年9月5日")) from None
            if date is None:
                required("")
                return column.default() if callable(column.default) else column.default
            if column.past and date > timezone.localdate():
                raise ValidationError(_("日期不能晚于今天"))
            return date

    elif column.kind == "time":

        def parse(value):
            try:
                time = cell_time(value)
            except ValueError:
                raise ValidationError(_("无法识别的时间，请填写如 14:30")) from None
            if time is None:
                required("")
            return time

    elif column.kind == "choice":
        pairs = column.choice_pairs(user)
        by_label = {label: value for value, label in pairs} | {value: value for value, _label in pairs}

        def parse(value):
            text = required(cell_text(value))
            if text == "":
                return column.default
            if text not in by_label:
                raise ValidationError(_("“%(value)s”不在可选范围内，请从下拉列表中选择") % {"value": text})
            return by_label[text]

    elif column.kind == "bool":

        def parse(value):
            text = required(cell_text(value)).lower()
            if text == "":
                return column.default
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
            raise ValidationError(_("请填写“是”或“否”"))

    else:

        def parse(value):
            return required(cell_text(value))

    return parse


def _flag_duplicates(kind: ImportKind, rows: list[Row]) -> None:
    """Two rows with the same key (an ID number) in one file: both are refused, each naming the other."""
    if not kind.key:
        return
    seen: dict[str, list[Row]] = {}
    for row in rows:
        value = row.values.get(kind.key)
        if value:
            seen.setdefault(value, []).append(row)
    for same in seen.values():
        if len(same) > 1:
            for row in same:
                others = "、".join(str(other.number) for other in same if other is not row)
                row.error(kind.key, _("与本文件第%(rows)s行重复") % {"rows": others})


def check_rows(kind: ImportKind, content: bytes, user) -> list[Row]:
    rows = read_rows(kind, content, user)
    kind.check(user=user, rows=[row for row in rows if row.ok])
    for row in rows:
        if row.errors:
            row.status = ERROR
    return rows


def _summary(rows: list[Row]) -> dict:
    summary = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
    for row in rows:
        summary[row.status] += 1
    summary["total"] = len(rows)
    return summary


def _stored(kind: ImportKind, row: Row) -> dict:
    return {
        "row": row.number,
        "status": row.status,
        "cells": row.cells,
        "errors": [row.errors.get(column.key, "") for column in kind.columns],
        "row_error": row.errors.get("", ""),
        "changes": row.changes,
    }


# --- the jobs ---------------------------------------------------------------------------------


def start_check(*, kind: ImportKind, user, filename: str, content: bytes) -> Job:
    """Keep the upload in the database and queue its check; the job page follows it."""
    upload = ImportUpload.objects.create(kind=kind.name, filename=filename[:200], content=content, created_by=user)
    job = start_job(
        kind="import_check",
        title=_("检查导入文件：%(name)s") % {"name": upload.filename},
        by=user,
        params={"upload": upload.pk},
    )
    ImportUpload.objects.filter(pk=upload.pk).update(check_job=job)
    return job


def start_import(*, upload: ImportUpload, user) -> Job:
    job = start_job(
        kind="import_save",
        title=_("导入：%(name)s") % {"name": upload.filename},
        by=user,
        params={"upload": upload.pk},
    )
    ImportUpload.objects.filter(pk=upload.pk).update(import_job=job, state=ImportUpload.State.IMPORTING)
    return job


def _upload_of(job: Job) -> tuple[ImportUpload, ImportKind]:
    upload = ImportUpload.objects.get(pk=job.params["upload"], created_by=job.created_by)
    kind = kind_named(upload.kind)
    if kind is None:
        raise JobError(_("不支持的导入类型"))
    return upload, kind


def check_upload(job: Job) -> dict:
    """The check job: parse and check every row, keep the result for the preview page."""
    upload, kind = _upload_of(job)
    job.report(0, 0, phase=_("读取文件"))
    try:
        rows = check_rows(kind, bytes(upload.content), job.created_by)
    except JobError:
        ImportUpload.objects.filter(pk=upload.pk).update(state=ImportUpload.State.FAILED)
        raise
    job.report(len(rows), len(rows), phase=_("检查完成"))
    upload.rows = [_stored(kind, row) for row in rows]
    upload.summary = _summary(rows)
    upload.state = ImportUpload.State.CHECKED
    upload.save(update_fields=["rows", "summary", "state"])
    return {"url": upload.get_absolute_url(), "summary": upload.summary}


def import_upload(job: Job) -> dict:
    """The import job: check again and save every row in one transaction, or nothing at all."""
    upload, kind = _upload_of(job)
    user = job.created_by
    try:
        with transaction.atomic():
            rows = check_rows(kind, bytes(upload.content), user)
            bad = [row for row in rows if row.status == ERROR]
            if bad:
                raise JobError(
                    _("有%(count)s行有错误（可能是检查之后数据有变化），未导入任何数据。请重新检查文件。")
                    % {"count": len(bad)}
                )
            todo = [row for row in rows if row.status in (NEW, UPDATE)]
            job.report(0, len(todo), phase=_("写入"))
            for done, row in enumerate(todo, start=1):
                try:
                    kind.save(user=user, row=row)
                except ValidationError as error:
                    raise JobError(
                        _("第%(row)s行无法保存：%(message)s。未导入任何数据。")
                        % {"row": row.number, "message": "；".join(error.messages)}
                    ) from error
                except IntegrityError as error:  # a constraint the kind's save leaves to the database
                    raise JobError(
                        _("有%(count)s行有错误（可能是检查之后数据有变化），未导入任何数据。请重新检查文件。")
                        % {"count": 1}
                    ) from error
                job.report(done)
    except JobError:
        ImportUpload.objects.filter(pk=upload.pk).update(state=ImportUpload.State.FAILED)
        raise
    summary = _summary(rows)
    ImportUpload.objects.filter(pk=upload.pk).update(state=ImportUpload.State.IMPORTED, summary=summary)
    return {"url": upload.get_absolute_url(), "summary": summary}


register_job_kind("import_check", check_upload)
register_job_kind("import_save", import_upload)


# --- the rows in error, back to Excel ---------------------------------------------------------


def error_workbook(upload: ImportUpload, kind: ImportKind):
    """The rows in error as the original sheet (same headers, cells as uploaded) plus 错误说明."""
    rows = read_rows(kind, bytes(upload.content), upload.created_by)
    stored = {entry["row"]: entry for entry in upload.rows if entry["status"] == ERROR}
    kinds = [("text" if c.kind in ("text", "id_number", "phone") else "auto") for c in kind.columns]
    writer = XlsxWriter(
        str(kind.title),
        [(_header_label(c), k) for c, k in zip(kind.columns, kinds, strict=True)] + [(_("错误说明"), "text")],
    )
    for row in rows:
        entry = stored.get(row.number)
        if entry is None:
            continue
        messages = [
            f"{column.header}：{message}"
            for column, message in zip(kind.columns, entry["errors"], strict=True)
            if message
        ]
        if entry["row_error"]:
            messages.insert(0, entry["row_error"])
        writer.append([*row.original, "；".join(messages)])
    return writer.close()
