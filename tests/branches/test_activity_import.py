"""Importing branches' activities with their attendance from Excel: template, check, import, errors."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches import models as b
from branches.imports import ActivityImport
from core.imports import check_rows, template_workbook
from core.models import ImportUpload, Job
from core.scoping import Role
from tests import factories as f
from tests import imports

pytestmark = pytest.mark.django_db

KIND = ActivityImport()


def _headers() -> list[str]:
    return imports.headers(KIND)


def _row(world, **values) -> list:
    """A sheet row: a theme day of the inside branch attended by its retiree unless told otherwise."""
    row = {
        "branch": world.inside.branch.name,
        "kind": "主题党日",
        "held_on": "2026年3月５日",
        "start_time": "09:00",
        "end_time": "11：30",
        "place": "老干部活动中心",
        "is_online": "否",
        "topic": "重温入党誓词",
        "speaker": "",
        "attendance": world.inside.retiree.person.name,
        "content": "",
    } | values
    return [row[c.key] for c in KIND.columns]


def _xlsx(*rows) -> bytes:
    return imports.xlsx(KIND, *rows)


def _upload(client, content: bytes, capture):
    return imports.upload(client, KIND, content, capture, filename="活动.xlsx")


_confirm, _errors = imports.confirm, imports.errors


@pytest.fixture
def secretary(client, world):
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    return world.users[Role.BRANCH_SECRETARY]


@pytest.fixture
def staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return world.users[Role.COUNTY_STAFF]


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_template_has_chinese_headers_an_example_and_drop_downs_of_the_users_branches(world, secretary):
    workbook = load_workbook(io.BytesIO(template_workbook(KIND, secretary)))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == _headers()
    assert sheet.cell(row=2, column=3).value == "2026-07-01"
    assert sheet.cell(row=2, column=10).value == "张三、李四"
    options = list(workbook["选项"].iter_rows(values_only=True))
    assert {row[0] for row in options} - {None} == {world.inside.branch.name}
    kinds = {row[1] for row in options}
    assert {"支部党员大会", "党课", "主题党日", "送学上门"} <= kinds
    assert "片组会议" not in kinds  # a cluster's, not a branch's
    assert {row[6] for row in options} - {None} == {"是", "否"}
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("$A$1" in formula for formula in formulas)
    assert sheet.column_dimensions["J"].number_format == "@"  # names typed as text


def test_a_good_file_is_imported_through_the_form_s_service_and_again_changes_nothing(
    client, world, secretary, capture
):
    absent = f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town))
    content = _xlsx(
        _row(world),
        _row(
            world,
            kind="党课",
            held_on=46083,  # the serial number of 2026-03-02
            topic="党课：传承红色基因",
            start_time=0.625,  # 15:00 as Excel keeps it
            end_time="",
            is_online="是",
            attendance=f"{world.inside.retiree.person.id_number}，{absent.person.name}",
        ),
    )
    upload = _upload(client, content, capture)
    assert upload.summary == {"new": 2, "update": 0, "unchanged": 0, "error": 0, "total": 2}
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.DONE, job.error

    day = b.Activity.objects.get(branch=world.inside.branch, held_on=dt.date(2026, 3, 5), topic="重温入党誓词")
    assert (day.start_time, day.end_time, day.place, day.is_online) == (
        dt.time(9),
        dt.time(11, 30),
        "老干部活动中心",
        False,
    )
    assert day.recorded_by == secretary
    roll = dict(b.Attendance.objects.filter(activity=day).values_list("person_id", "status"))
    # The form's roll: the members listed are present, the others absent (送学上门 finds them).
    assert roll == {world.inside.retiree.person_id: "present", absent.person_id: "absent"}
    assert b.ActivityPresence.objects.get(activity=day).present == 1
    lesson = b.Activity.objects.get(branch=world.inside.branch, held_on=dt.date(2026, 3, 2), kind="party_lesson")
    assert (lesson.start_time, lesson.end_time, lesson.is_online) == (dt.time(15), None, True)
    assert set(b.Attendance.objects.filter(activity=lesson, status="present").values_list("person_id", flat=True)) == {
        world.inside.retiree.person_id,
        absent.person_id,
    }

    before = b.Activity.all_objects.count()
    again = _upload(client, content, capture)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 2, "error": 0, "total": 2}
    assert _confirm(client, again, capture).status == Job.Status.DONE
    assert b.Activity.all_objects.count() == before


def test_a_changed_row_updates_the_activity_and_its_roll(client, world, secretary, capture):
    other = f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town))
    job = _confirm(client, _upload(client, _xlsx(_row(world)), capture), capture)
    assert job.status == Job.Status.DONE, job.error
    upload = _upload(client, _xlsx(_row(world, place="社区会议室", attendance=other.person.name)), capture)
    assert upload.summary["update"] == 1
    assert upload.rows[0]["changes"] == ["地点", "出席人员"]
    assert _confirm(client, upload, capture).status == Job.Status.DONE
    activity = b.Activity.objects.get(branch=world.inside.branch, held_on=dt.date(2026, 3, 5), topic="重温入党誓词")
    assert activity.place == "社区会议室"
    roll = dict(b.Attendance.objects.filter(activity=activity).values_list("person_id", "status"))
    assert roll == {world.inside.retiree.person_id: "absent", other.person_id: "present"}


def test_each_error_is_on_its_cell_in_chinese(world, staff):
    namesake = f.RetireeFactory(
        branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town, name="王同名")
    )
    f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town, name="王同名"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rows = check_rows(
        KIND,
        _xlsx(
            _row(world),  # 2: good
            _row(world, branch=world.outside.branch.name, topic="另一县"),  # 3: another county's branch
            _row(world, branch="没有这个支部", topic="无此支部"),  # 4
            _row(world, held_on=tomorrow.isoformat(), topic="明天"),  # 5: in the future
            _row(world, attendance="赵不在", topic="不在名单"),  # 6: not a member
            _row(world, attendance="王同名", topic="同名"),  # 7: two members of that name
            _row(world),  # 8: the same activity as row 2
            _row(world, kind="片组会议", topic="片组"),  # 9: not a branch's kind
            _row(world, start_time="15:00", end_time="14:00", topic="倒时"),  # 10
            _row(world, held_on="2026-02-30", topic="无此日"),  # 11
            _row(world, start_time="下午", topic="无时间"),  # 12
            _row(world, attendance=namesake.person.id_number, topic="身份证号"),  # 13: good
        ),
        staff,
    )
    errors = _errors(rows)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    assert "没有名为" in errors[3]["branch"]
    assert "没有名为" in errors[4]["branch"]
    assert errors[5]["held_on"] == "日期不能晚于今天"
    assert "赵不在 不是该支部当天的成员" in errors[6]["attendance"]
    assert "同名成员：王同名" in errors[7]["attendance"]
    assert "第2行" in errors[8]["topic"]
    assert "下拉列表" in errors[9]["kind"]
    assert errors[10]["end_time"] == "结束时间不能早于开始时间"
    assert "无法识别的日期" in errors[11]["held_on"]
    assert "无法识别的时间" in errors[12]["start_time"]


def test_a_member_who_left_before_the_day_is_not_on_its_roll(world, staff):
    left = f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town))
    left.memberships.update(end_on=dt.date(2026, 1, 1))
    rows = check_rows(KIND, _xlsx(_row(world, attendance=left.person.name)), staff)
    assert "不是该支部当天的成员" in rows[0].errors["attendance"]
    rows = check_rows(KIND, _xlsx(_row(world, held_on="2025-12-31", attendance=left.person.name)), staff)
    assert rows[0].ok


def test_two_branches_of_one_name_are_ambiguous(world, staff):
    f.BranchFactory(region=world.inside.town, name=world.inside.branch.name)
    rows = check_rows(KIND, _xlsx(_row(world)), staff)
    assert "2个同名支部" in rows[0].errors["branch"]


def test_one_bad_row_imports_nothing(client, world, secretary, capture):
    before = b.Activity.all_objects.count()
    upload = _upload(client, _xlsx(_row(world), _row(world, attendance="赵不在", topic="另一次")), capture)
    assert upload.summary["error"] == 1
    response = client.post(reverse("core:import_confirm", args=[upload.pk]))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.import_job is None
    assert b.Activity.all_objects.count() == before


def test_a_row_that_went_wrong_since_the_check_imports_nothing(client, world, staff, capture):
    before = b.Activity.all_objects.count()
    upload = _upload(client, _xlsx(_row(world), _row(world, topic="第二次")), capture)
    assert upload.summary["new"] == 2
    # Since the check, the member listed left the branch: the import checks again and saves nothing.
    world.inside.membership.end_on = dt.date(2026, 1, 1)
    world.inside.membership.save()
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.FAILED
    assert "未导入任何数据" in job.error
    assert b.Activity.all_objects.count() == before


def test_a_secretary_may_not_import_for_another_branch_of_the_county(world, secretary):
    other = f.BranchFactory(region=world.inside.town)
    rows = check_rows(KIND, _xlsx(_row(world, branch=other.name)), secretary)
    assert "没有名为" in rows[0].errors["branch"]


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.COMMITTEE_DIRECTOR, Role.LEADER])
def test_who_records_no_branch_s_activities_gets_no_link_and_no_import(client, world, role):
    client.force_login(world.users[role])
    before = (ImportUpload.objects.count(), Job.objects.count())
    page = client.get(reverse("branches:activity_list")).content.decode()
    assert reverse("core:import_start", args=[KIND.name]) not in page
    assert client.get(reverse("core:import_start", args=[KIND.name])).status_code == 403
    file = io.BytesIO(_xlsx(_row(world)))
    file.name = "活动.xlsx"
    assert client.post(reverse("core:import_start", args=[KIND.name]), {"file": file}).status_code == 403
    assert (ImportUpload.objects.count(), Job.objects.count()) == before


def test_the_activity_list_links_to_the_import_for_a_secretary(client, world, secretary):
    page = client.get(reverse("branches:activity_list")).content.decode()
    assert reverse("core:import_start", args=[KIND.name]) in page


def test_the_error_rows_download_as_the_sheet_plus_an_error_column(client, world, secretary, capture):
    upload = _upload(client, _xlsx(_row(world), _row(world, attendance="赵不在", topic="另一次")), capture)
    response = client.get(reverse("core:import_errors", args=[upload.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][-1] == "错误说明"
    assert len(lines) == 2
    assert lines[1][7] == "另一次"
    assert lines[1][-1].startswith("出席人员：赵不在")


def test_the_check_costs_the_same_queries_for_a_long_file(world, staff):
    people = [
        f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town)) for _ in range(3)
    ]

    def queries(n):
        days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(n)]
        content = _xlsx(
            *[_row(world, held_on=day.isoformat(), attendance=people[i % 3].person.name) for i, day in enumerate(days)]
        )
        with CaptureQueriesContext(connection) as captured:
            check_rows(KIND, content, staff)
        return len(captured)

    queries(1)  # the user's permissions are read once, on the first question
    assert queries(3) == queries(30)


def test_the_branches_offered_are_those_whose_activities_the_user_may_record(world):
    """`BranchQuerySet.activities_recordable_by` restates `ActivityQuerySet.editable_by` from the
    branch's side: for every role, the branches it gives are exactly those whose new activity the
    activity rule lets the user change (asked of one unsaved-in-the-end activity per branch)."""
    from django.db import transaction

    from core import access

    branches = list(b.Branch.objects.all())
    with transaction.atomic():
        probes = b.Activity.all_objects.bulk_create(
            b.Activity(branch=branch, kind=b.Activity.Kind.OTHER, held_on=dt.date(2026, 3, 5), topic="")
            for branch in branches
        )
        probe_ids = [probe.pk for probe in probes]
        for role, user in world.users.items():
            by_activity = set(
                access.rows(user, b.Activity.all_objects.filter(pk__in=probe_ids), access.CHANGE).values_list(
                    "branch_id", flat=True
                )
            )
            by_branch = set(b.Branch.objects.activities_recordable_by(user).values_list("pk", flat=True))
            assert by_branch == by_activity, role
        transaction.set_rollback(True)
    assert b.Branch.objects.activities_recordable_by(world.users[Role.BRANCH_SECRETARY]).exists()
