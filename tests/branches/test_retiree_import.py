"""Importing retirees from Excel: template, row-by-row check, all-or-nothing import, the rows in error."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from branches import models as b
from branches.imports import RetireeImport
from core.imports import template_workbook
from core.models import ImportUpload, Job, Person
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

KIND = RetireeImport()
# Digits typed full-width (an input method left in full-width mode).
FULL_WIDTH = {ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}
HEADERS = [f"{c.header}*" if c.required else str(c.header) for c in KIND.columns]


def _id(seq: int, birth=dt.date(1950, 3, 4)) -> str:
    return f.make_id_number("433127000000", birth, seq, True)


def _row(world, **values) -> list:
    """A sheet row: a valid new retiree of the inside branch unless told otherwise."""
    row = {
        "name": "王大明",
        "id_number": _id(401),
        "mobile": "13912345678",
        "address": "",
        "branch": world.inside.branch.name,
        "joined_on": "2016/9/5",
        "status": "退休",
        "former_unit": "县教育局",
        "former_post": "",
        "retired_on": "2010年5月1日",
        "is_party_member": "是",
        "joined_party_on": 27576,  # a date serial number: 1975-07-01
        "limited_mobility": "",
        "lives_alone": "否",
        "in_hardship": "",
    } | values
    return [row[c.key] for c in KIND.columns]


def _xlsx(*rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return world.users[Role.COUNTY_STAFF]


def _upload(client, content: bytes, capture, name="花名册.xlsx") -> ImportUpload:
    file = io.BytesIO(content)
    file.name = name
    with capture(execute=True):
        response = client.post(reverse("core:import_start", args=["retirees"]), {"file": file})
    assert response.status_code == 302, response.content[:500]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE, job.error
    return ImportUpload.objects.get(check_job=job)


def _confirm(client, upload, capture) -> Job:
    with capture(execute=True):
        response = client.post(reverse("core:import_confirm", args=[upload.pk]))
    assert response.status_code == 302
    upload.refresh_from_db()
    return upload.import_job


def _errors(upload) -> dict:
    keys = [c.key for c in KIND.columns]
    return {
        entry["row"]: {key: message for key, message in zip(keys, entry["errors"], strict=True) if message}
        for entry in upload.rows
        if entry["status"] == "error"
    }


def test_the_template_has_chinese_headers_an_example_drop_downs_and_text_columns(world):
    sheet_bytes = template_workbook(KIND, world.users[Role.COUNTY_STAFF])
    workbook = load_workbook(io.BytesIO(sheet_bytes))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["B2"].value == "433127194805060015"
    assert sheet["B2"].number_format == "@"
    assert sheet.column_dimensions["B"].number_format == "@"  # the ID column: whole 18 digits and the X
    assert sheet.column_dimensions["C"].number_format == "@"  # the phone column
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert len(formulas) == 6  # branch, status, and the four yes/no columns
    options = workbook["选项"]
    branch_options = {row[4] for row in options.iter_rows(values_only=True)}
    assert world.inside.branch.name in branch_options
    assert world.outside.branch.name not in branch_options


def test_the_check_shows_each_row_as_new_and_normalises_what_excel_gives(
    client, world, staff, django_capture_on_commit_callbacks
):
    content = _xlsx(
        _row(world, name="王大明", mobile=13912345678.0),
        _row(world, name="李小红", id_number=_id(402).translate(FULL_WIDTH)),
    )
    upload = _upload(client, content, django_capture_on_commit_callbacks)
    assert upload.summary == {"new": 2, "update": 0, "unchanged": 0, "error": 0, "total": 2}
    first = upload.rows[0]
    assert first["cells"][2] == "13912345678"  # no ".0"
    assert first["cells"][11] == "1975-07-01"  # the serial number shown as its date

    page = client.get(upload.get_absolute_url()).content.decode()
    assert "新增" in page
    assert reverse("core:import_confirm", args=[upload.pk]) in page


def test_each_error_is_on_its_cell_in_chinese(client, world, staff, django_capture_on_commit_callbacks):
    namesake = f.PersonFactory(region=world.inside.town, name="赵同名", id_number="", birth_date=dt.date(1950, 3, 4))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    content = _xlsx(
        _row(world, id_number=_id(410)[:-1] + ("0" if _id(410)[-1] != "0" else "1")),  # 2: wrong checksum
        _row(world, id_number=_id(411), branch="不存在的支部"),  # 3
        _row(world, id_number=_id(412), branch=world.outside.branch.name),  # 4: outside the scope
        _row(world, id_number=_id(413), joined_on=tomorrow.isoformat()),  # 5: future date
        _row(world, id_number=_id(414)),  # 6 and 7: the same person twice
        _row(world, id_number=_id(414)),
        _row(world, id_number=world.outside.person.id_number, name=world.outside.person.name),  # 8: another county's
        _row(world, id_number=_id(415), name=namesake.name),  # 9: maybe the same as a person without ID number
        _row(world, id_number=_id(416), status="退职"),  # 10: not a choice
        _row(world, id_number=_id(417), is_party_member="否"),  # 11: party date for a non-member
        _row(world, id_number=world.inside.person.id_number, name="别的名字"),  # 12: the ID number is someone else's
        _row(world, id_number=_id(418), retired_on="去年"),  # 13: not a date
    )
    upload = _upload(client, content, django_capture_on_commit_callbacks)
    errors = _errors(upload)
    assert "校验位" in errors[2]["id_number"]
    assert "没有名为“不存在的支部”的支部" in errors[3]["branch"]
    assert "没有名为" in errors[4]["branch"]  # the same words: nothing about other counties is revealed
    assert "不能晚于今天" in errors[5]["joined_on"]
    assert "第7行重复" in errors[6]["id_number"]
    assert "第6行重复" in errors[7]["id_number"]
    assert "其他地区" in errors[8]["id_number"]
    assert "可能是同一人" in errors[9]["name"]
    assert "下拉列表" in errors[10]["status"]
    assert "非党员" in errors[11]["joined_party_on"]
    assert "已登记为" in errors[12]["name"]
    assert "日期" in errors[13]["retired_on"]
    assert upload.summary["error"] == 12

    page = client.get(upload.get_absolute_url()).content.decode()
    assert reverse("core:import_confirm", args=[upload.pk]) not in page
    assert "table-danger" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    assert not Person.objects.filter(id_number__in=[_id(n) for n in range(410, 419)]).exists()


def test_the_rows_in_error_download_as_the_original_sheet_plus_an_error_column(
    client, world, staff, django_capture_on_commit_callbacks
):
    good, bad = (
        _row(world, id_number=_id(420)),
        _row(world, id_number=_id(421), branch="不存在的支部", mobile=13900001111),
    )
    upload = _upload(client, _xlsx(good, bad), django_capture_on_commit_callbacks)
    response = client.get(reverse("core:import_errors", args=[upload.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, "错误说明"]
    assert len(rows) == 2
    assert rows[1][1] == _id(421)
    assert rows[1][4] == "不存在的支部"
    assert "所在支部：" in rows[1][-1]


def test_confirming_imports_every_row_and_importing_again_changes_nothing(
    client, world, staff, django_capture_on_commit_callbacks
):
    existing = world.inside.person
    content = _xlsx(
        _row(world, id_number=_id(430), name="钱新人"),
        _row(world, id_number=existing.id_number, name=existing.name, former_unit="县财政局"),
    )
    upload = _upload(client, content, django_capture_on_commit_callbacks)
    assert upload.summary["new"] == 1
    assert upload.summary["update"] == 1
    assert upload.rows[1]["changes"]  # says what the update changes

    job = _confirm(client, upload, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    new = b.Retiree.objects.select_related("person", "branch").get(person__id_number=_id(430))
    assert new.branch == world.inside.branch
    assert new.person.mobile == "13912345678"
    assert new.person.birth_date == dt.date(1950, 3, 4)
    assert new.joined_party_on == dt.date(1975, 7, 1)
    assert new.retired_on == dt.date(2010, 5, 1)
    assert new.memberships.get().start_on == dt.date(2016, 9, 5)
    assert b.Retiree.objects.get(person=existing).former_unit == "县财政局"

    again = _upload(client, content, django_capture_on_commit_callbacks)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 2, "error": 0, "total": 2}


def test_the_import_is_all_or_nothing_when_the_data_changed_after_the_check(
    client, world, staff, django_capture_on_commit_callbacks
):
    content = _xlsx(_row(world, id_number=_id(440), name="孙一"), _row(world, id_number=_id(441), name="孙二"))
    upload = _upload(client, content, django_capture_on_commit_callbacks)
    assert upload.summary["new"] == 2
    # Between the preview and the confirmation somebody registers the second person elsewhere.
    f.PersonFactory(region=world.outside.town, id_number=_id(441), name="孙二")

    job = _confirm(client, upload, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert "未导入任何数据" in job.error
    assert not Person.objects.filter(id_number=_id(440)).exists()
    upload.refresh_from_db()
    assert upload.state == ImportUpload.State.FAILED


def test_a_file_that_is_not_the_template_says_which_columns_are_missing(
    client, world, staff, django_capture_on_commit_callbacks
):
    file = io.BytesIO(_xlsx(["姓名", "电话"], headers=["姓名", "电话"]))
    file.name = "别的表.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_start", args=["retirees"]), {"file": file})
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.FAILED
    assert "缺少必填列" in job.error
    assert "身份证号" in job.error


def test_only_xlsx_files_are_taken(client, world, staff):
    before = ImportUpload.objects.filter(created_by=staff).count()
    file = io.BytesIO(b"a,b")
    file.name = "roster.csv"
    response = client.post(reverse("core:import_start", args=["retirees"]), {"file": file})
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert ImportUpload.objects.filter(created_by=staff).count() == before


def test_someone_elses_upload_is_not_found(client, world, staff, django_capture_on_commit_callbacks):
    upload = _upload(client, _xlsx(_row(world, id_number=_id(450))), django_capture_on_commit_callbacks)
    other = f.UserFactory(role=Role.COUNTY_STAFF, region=world.inside.region)
    client.force_login(other)
    assert client.get(upload.get_absolute_url()).status_code == 404
    assert client.post(reverse("core:import_confirm", args=[upload.pk])).status_code == 404
    assert client.get(reverse("core:import_errors", args=[upload.pk])).status_code == 404
