"""Importing the five-elders roster and service records from Excel: template, check, import, errors."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.imports import NEW, check_rows, read_rows, template_workbook
from core.models import ImportUpload, Job, Person
from core.scoping import Role
from tests import factories as f
from volunteers import models as v
from volunteers import services
from volunteers.imports import ServiceRecordImport, VolunteerImport

pytestmark = pytest.mark.django_db

VOLUNTEERS = VolunteerImport()
SERVICE = ServiceRecordImport()


def _headers(kind) -> list[str]:
    return [f"{c.header}*" if c.required else str(c.header) for c in kind.columns]


def _id(seq: int, birth=dt.date(1952, 6, 7)) -> str:
    return f.make_id_number("433127000000", birth, seq, False)


def _volunteer_row(world, **values) -> list:
    """A sheet row: a valid new volunteer of the inside committee unless told otherwise."""
    row = {
        "name": "周红梅",
        "id_number": _id(301),
        "mobile": "13912340001",
        "address": "灵溪镇人民路8号",
        "committee": world.inside.committee.name,
        "category": "老教师",
        "former_unit": "县第一中学",
        "profession": "语文教师",
        "specialties": "教育、书画，太极拳",
        "health": "可外出服务",
        "registered_on": "2024年3月5日",
        "number": "",
        "status": "",
        "status_on": "",
    } | values
    return [row[c.key] for c in VOLUNTEERS.columns]


def _service_row(world, **values) -> list:
    """A sheet row: the inside volunteer's drowning patrol unless told otherwise."""
    row = {
        "id_number": world.inside.volunteer.person.id_number,
        "number": "",
        "served_on": "2026/5/20",
        "kind": "防溺水巡查",
        "description": "河边巡查",
        "hours": 2,
        "minors_served": 30,
        "adults_served": "",
        "place": "灵溪河",
        "outcome": "",
    } | values
    return [row[c.key] for c in SERVICE.columns]


def _xlsx(kind, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(_headers(kind))
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(client, kind, content: bytes, capture) -> ImportUpload:
    file = io.BytesIO(content)
    file.name = "名册.xlsx"
    with capture(execute=True):
        response = client.post(reverse("core:import_start", args=[kind.name]), {"file": file})
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


def _errors(kind, upload) -> dict:
    keys = [c.key for c in kind.columns]
    return {
        entry["row"]: {key: message for key, message in zip(keys, entry["errors"], strict=True) if message}
        for entry in upload.rows
        if entry["status"] == "error"
    }


@pytest.fixture
def staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return world.users[Role.COUNTY_STAFF]


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


# --- Volunteers -------------------------------------------------------------------------------


def test_the_volunteer_template_has_the_headers_drop_downs_and_text_columns(world):
    workbook = load_workbook(io.BytesIO(template_workbook(VOLUNTEERS, world.users[Role.COUNTY_STAFF])))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == _headers(VOLUNTEERS)
    assert sheet.column_dimensions["B"].number_format == "@"  # the ID number keeps its 18 digits and the X
    assert sheet.column_dimensions["C"].number_format == "@"  # the phone
    assert len(sheet.data_validations.dataValidation) == 4  # committee, category, health, status
    options = list(workbook["选项"].iter_rows(values_only=True))
    committees = {row[4] for row in options}
    assert world.inside.committee.name in committees
    assert world.outside.committee.name not in committees
    assert {row[5] for row in options} >= {"老干部", "老战士", "老专家", "老教师", "老模范"}
    assert {row[9] for row in options} >= {"可外出服务", "不宜外出"}
    guide = {row[0]: row[2] for row in workbook["填写说明"].iter_rows(values_only=True)}
    assert "书画" in guide["特长"]


def test_a_good_roster_is_imported_and_importing_it_again_changes_nothing(client, world, staff, capture):
    retiree = f.RetireeFactory(
        person=f.PersonFactory(region=world.inside.town, name="吴建国"), branch=world.inside.branch
    )
    existing = world.inside.volunteer
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world),  # a new person
        _volunteer_row(  # a retiree on file: the same Person, linked to the Retiree record
            world,
            name=retiree.person.name,
            id_number=retiree.person.id_number,
            category="老干部",
            mobile="",
            address="",
            specialties="",
            health="不宜外出",
            number="WL00100",
        ),
        _volunteer_row(  # already registered in this committee: an update
            world,
            name=existing.person.name,
            id_number=existing.person.id_number,
            category="老干部",
            mobile="",
            address="",
            former_unit="县委办",
            registered_on="2024-01-10",
            number="WL00001",
        ),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    assert upload.summary == {"new": 2, "update": 1, "unchanged": 0, "error": 0, "total": 3}
    assert "原工作单位" in upload.rows[2]["changes"]

    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.DONE, job.error
    new = v.Volunteer.objects.select_related("person").get(person__id_number=_id(301))
    assert new.committee == world.inside.committee
    assert new.category == v.Volunteer.Category.TEACHER
    assert new.number.startswith("WL")  # numbered as the registration form does
    assert new.registered_on == dt.date(2024, 3, 5)
    assert new.specialties == ["education", "calligraphy"]
    assert new.specialty_note == "太极拳"
    assert new.person.address == "灵溪镇人民路8号"
    assert new.person.birth_date == dt.date(1952, 6, 7)
    linked = v.Volunteer.objects.get(person=retiree.person)
    assert linked.retiree == retiree
    assert linked.number == "WL00100"
    assert linked.fit_for_field_work is False
    assert Person.all_objects.filter(id_number=retiree.person.id_number).count() == 1
    existing.refresh_from_db()
    assert existing.former_unit == "县委办"

    again = _upload(client, VOLUNTEERS, content, capture)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 3, "error": 0, "total": 3}


def test_each_volunteer_error_is_on_its_cell_in_chinese(client, world, staff, capture):
    namesake = f.PersonFactory(region=world.inside.town, name="何同名", id_number="", birth_date=dt.date(1952, 6, 7))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    wrong = _id(310)[:-1] + ("0" if _id(310)[-1] != "0" else "1")
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=wrong),  # 2: wrong checksum
        _volunteer_row(world, id_number=_id(311), committee="不存在的关工委"),  # 3
        _volunteer_row(world, id_number=_id(312), committee=world.outside.committee.name),  # 4: another county's
        _volunteer_row(world, id_number=_id(313)),  # 5 and 6: the same person twice
        _volunteer_row(world, id_number=_id(313)),
        _volunteer_row(world, id_number=_id(314), number="WL00002"),  # 7: the number is someone else's
        _volunteer_row(world, id_number=_id(315), registered_on=tomorrow.isoformat()),  # 8: in the future
        _volunteer_row(world, id_number=_id(316), status="已退出"),  # 9: left, without the date
        _volunteer_row(world, id_number=_id(317), category="老领导"),  # 10: not a category
        _volunteer_row(world, id_number=world.inside.person.id_number, name="别的名字"),  # 11
        _volunteer_row(world, id_number=_id(318), number="X1"),  # 12 and 13: one new number twice
        _volunteer_row(world, id_number=_id(319), number="X1"),
        _volunteer_row(world, id_number=_id(320), name=namesake.name),  # 14: maybe someone without ID number
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    errors = _errors(VOLUNTEERS, upload)
    assert "校验位" in errors[2]["id_number"]
    assert "没有名为“不存在的关工委”的关工委" in errors[3]["committee"]
    assert "没有名为" in errors[4]["committee"]  # the same words: nothing about the other county
    assert "第6行重复" in errors[5]["id_number"]
    assert "第5行重复" in errors[6]["id_number"]
    assert "已被使用" in errors[7]["number"]
    assert "不能晚于今天" in errors[8]["registered_on"]
    assert "状态变更日期" in errors[9]["status_on"]
    assert "下拉列表" in errors[10]["category"]
    assert "已登记为" in errors[11]["name"]
    assert "第13行重复" in errors[12]["number"]
    assert "可能是同一人" in errors[14]["name"]
    assert upload.summary["error"] == 13

    page = client.get(upload.get_absolute_url()).content.decode()
    assert "table-danger" in page
    assert reverse("core:import_confirm", args=[upload.pk]) not in page


def test_a_person_registered_with_another_committee_is_registered_here_too_with_a_notice(client, world, staff, capture):
    neighbour = f.CommitteeFactory(region=world.inside.village, name="灵溪镇社区关工委")
    person = world.inside.person  # registered with the inside committee (WL00001)
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, name=person.name, id_number=person.id_number, committee=neighbour.name, mobile=""),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    assert upload.summary["new"] == 1
    assert any(world.inside.committee.name in change for change in upload.rows[0]["changes"])
    assert _confirm(client, upload, capture).status == Job.Status.DONE
    assert set(v.Volunteer.objects.filter(person=person).values_list("committee", flat=True)) == {
        world.inside.committee.pk,
        neighbour.pk,
    }


def test_one_bad_row_saves_nothing(client, world, staff, capture):
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=_id(325), name="郑一"),
        _volunteer_row(world, id_number=_id(326), name="郑二", committee="不存在的关工委"),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    assert upload.summary["error"] == 1
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    assert not Person.objects.filter(id_number__in=[_id(325), _id(326)]).exists()


def test_a_row_that_goes_wrong_after_the_check_saves_nothing(client, world, staff, capture):
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=_id(322), name="冯一"),
        _volunteer_row(world, id_number=_id(323), name="冯二", number="WL00900"),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    assert upload.summary["new"] == 2
    # Between the preview and the confirmation somebody else takes the number.
    v.Volunteer.objects.create(
        person=f.PersonFactory(region=world.inside.town),
        committee=world.inside.committee,
        number="WL00900",
        category=v.Volunteer.Category.MODEL,
        registered_on=dt.date(2024, 1, 1),
    )
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.FAILED
    assert "未导入任何数据" in job.error
    assert not Person.objects.filter(id_number__in=[_id(322), _id(323)]).exists()


def test_a_constraint_the_save_leaves_to_the_database_fails_the_import_and_saves_nothing(
    client, world, staff, capture, monkeypatch
):
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=_id(327), name="冯三"),
        _volunteer_row(world, id_number=_id(328), name="冯四"),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    taken = world.inside.volunteer.number  # as if somebody took the next number after the check
    monkeypatch.setattr(services.VolunteerNumbers, "next", lambda self, county_code: taken)
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.FAILED
    assert "未导入任何数据" in job.error
    assert upload.state == ImportUpload.State.FAILED
    assert not Person.objects.filter(id_number__in=[_id(327), _id(328)]).exists()


def test_a_director_may_not_import_into_another_committee(client, world, capture):
    neighbour = f.CommitteeFactory(region=world.inside.village, name="灵溪镇社区关工委")
    client.force_login(world.users[Role.COMMITTEE_DIRECTOR])
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=_id(330)),
        _volunteer_row(world, id_number=_id(331), committee=neighbour.name),
    )
    upload = _upload(client, VOLUNTEERS, content, capture)
    errors = _errors(VOLUNTEERS, upload)
    assert list(errors) == [3]
    assert "您负责的范围内没有" in errors[3]["committee"]
    with capture(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    assert not v.Volunteer.objects.filter(person__id_number__in=[_id(330), _id(331)]).exists()


def _checked_queries(kind, user, content: bytes) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no permission or scope answers cached yet
    rows = read_rows(kind, content, user)
    assert all(row.ok for row in rows)
    with CaptureQueriesContext(connection) as queries:
        kind.check(user=user, rows=rows)
    assert all(row.ok for row in rows), [row.errors for row in rows if row.errors]
    return len(queries)


def test_checking_a_roster_takes_the_same_queries_for_5_or_50_rows(world):
    user = world.users[Role.COUNTY_STAFF]
    known = [f.PersonFactory(region=world.inside.town) for _n in range(3)]

    def roster(count):
        rows = [_volunteer_row(world, id_number=_id(400 + n), name=f"批量{n}") for n in range(count - 3)]
        rows += [_volunteer_row(world, id_number=p.id_number, name=p.name) for p in known]
        return _xlsx(VOLUNTEERS, *rows)

    assert _checked_queries(VOLUNTEERS, user, roster(5)) == _checked_queries(VOLUNTEERS, user, roster(50))


def _saved_queries(kind, user, content: bytes) -> int:
    rows = check_rows(kind, content, user)
    assert {row.status for row in rows} == {NEW}, [row.errors for row in rows if row.errors]
    with CaptureQueriesContext(connection) as queries:
        for row in rows:
            kind.save(user=user, row=row)
    return len(queries)


def test_saving_a_checked_roster_takes_two_queries_a_row_whatever_its_length(world):
    """The save does not ask again what the check found (no savepoints, no constraint or lookup
    queries): a person and a volunteer are inserted, and the numbers are asked once per county."""
    user = world.users[Role.COUNTY_STAFF]

    def roster(first, count):
        rows = [_volunteer_row(world, id_number=_id(first + n), name=f"批量{first + n}") for n in range(count)]
        return _xlsx(VOLUNTEERS, *rows)

    five = _saved_queries(VOLUNTEERS, user, roster(500, 5))
    twenty = _saved_queries(VOLUNTEERS, user, roster(600, 20))
    assert (twenty - five) / 15 == 2  # the person's INSERT and the volunteer's
    assert five <= 5 * 2 + 2  # and the county's lock and MAX() once


def test_an_imported_roster_is_numbered_on_from_the_numbers_it_gives(world):
    """As when each registration asks for the county's highest number: an auto number follows
    the highest given earlier in the file."""
    user = world.users[Role.COUNTY_STAFF]
    county = world.inside.volunteer.county_code
    first = services.VolunteerNumbers().next(county)
    content = _xlsx(
        VOLUNTEERS,
        _volunteer_row(world, id_number=_id(700), name="编号一"),
        _volunteer_row(world, id_number=_id(701), name="编号二"),
        _volunteer_row(world, id_number=_id(702), name="编号三", number="WL00777"),
        _volunteer_row(world, id_number=_id(703), name="编号四"),
    )
    _saved_queries(VOLUNTEERS, user, content)
    numbers = list(
        v.Volunteer.objects.filter(person__id_number__in=[_id(n) for n in range(700, 704)])
        .order_by("person__id_number")
        .values_list("number", flat=True)
    )
    second = f"WL{int(first[2:]) + 1:05d}"
    assert numbers == [first, second, "WL00777", "WL00778"]


# --- Service records --------------------------------------------------------------------------


def test_the_service_template_has_the_headers_and_drop_downs(world):
    workbook = load_workbook(io.BytesIO(template_workbook(SERVICE, world.users[Role.COMMITTEE_DIRECTOR])))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == _headers(SERVICE)
    assert sheet.column_dimensions["A"].number_format == "@"
    assert len(sheet.data_validations.dataValidation) == 2  # kind, outcome
    kinds = {row[3] for row in workbook["选项"].iter_rows(values_only=True)}
    assert {"护学", "防溺水巡查", "矛盾纠纷调解"} <= kinds


def test_one_service_of_two_volunteers_is_one_confirmed_record_and_a_second_import_changes_nothing(
    client, world, staff, capture
):
    inside = world.inside
    content = _xlsx(
        SERVICE,
        _service_row(world),
        _service_row(world, id_number="", number=inside.leader_volunteer.number),  # the same patrol, by number
        _service_row(world, kind="矛盾纠纷调解", outcome="调解成功", minors_served=0, adults_served=2, hours=1.5),
    )
    upload = _upload(client, SERVICE, content, capture)
    assert upload.summary == {"new": 3, "update": 0, "unchanged": 0, "error": 0, "total": 3}
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.DONE, job.error

    patrol = v.ServiceRecord.objects.get(
        committee=inside.committee, served_on=dt.date(2026, 5, 20), kind="drowning_patrol"
    )
    assert patrol.status == v.ServiceRecord.Status.CONFIRMED  # county staff certify what they record
    assert patrol.minors_served == 30
    assert patrol.place == "灵溪河"
    assert {(h.volunteer_id, h.hours) for h in patrol.hours.all()} == {
        (inside.volunteer.pk, Decimal("2.0")),
        (inside.leader_volunteer.pk, Decimal("2.0")),
    }
    mediation = v.ServiceRecord.objects.get(
        committee=inside.committee, served_on=dt.date(2026, 5, 20), kind="mediation"
    )
    assert mediation.outcome == v.ServiceRecord.Outcome.RESOLVED
    assert mediation.hours.get().hours == Decimal("1.5")

    again = _upload(client, SERVICE, content, capture)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 3, "error": 0, "total": 3}


def test_a_team_leaders_imported_service_waits_for_confirmation(client, world, capture):
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    upload = _upload(client, SERVICE, _xlsx(SERVICE, _service_row(world)), capture)
    assert upload.summary["new"] == 1
    assert _confirm(client, upload, capture).status == Job.Status.DONE
    record = v.ServiceRecord.objects.get(committee=world.inside.committee, served_on=dt.date(2026, 5, 20))
    assert record.status == v.ServiceRecord.Status.PENDING


def test_each_service_error_is_on_its_cell_in_chinese(client, world, staff, capture):
    inside, outside = world.inside, world.outside
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    content = _xlsx(
        SERVICE,
        _service_row(world, id_number=outside.volunteer.person.id_number),  # 2: another county's volunteer
        _service_row(world, id_number="", number="WL99999"),  # 3: unknown number
        _service_row(world, served_on=tomorrow.isoformat()),  # 4: in the future
        _service_row(world, hours=25),  # 5
        _service_row(world, kind="护学", served_on="2026-03-02", hours=3),  # 6: the world's patrol, other hours
        _service_row(world, kind="走访", served_on="2026-04-01"),  # 7 and 8: the same service twice
        _service_row(world, kind="走访", served_on="2026-04-01"),
        _service_row(world, kind="矛盾纠纷调解", served_on="2026-04-02"),  # 9: a mediation without its outcome
        _service_row(world, served_on="2023-12-31"),  # 10: before the registration
        _service_row(world, id_number="", number=""),  # 11: whose?
        _service_row(world, hours="两小时", served_on="2026-04-03"),  # 12
        _service_row(world, number=inside.leader_volunteer.number, served_on="2026-04-04"),  # 13: not the same
    )
    upload = _upload(client, SERVICE, content, capture)
    errors = _errors(SERVICE, upload)
    assert "没有这名志愿者" in errors[2]["id_number"]
    assert "没有这名志愿者" in errors[3]["number"]
    assert "不能晚于今天" in errors[4]["served_on"]
    assert "不超过24小时" in errors[5]["hours"]
    assert "已有一条“护学”记录" in errors[6]["hours"]
    assert "第8行重复" in errors[7]["id_number"]
    assert "第7行重复" in errors[8]["id_number"]
    assert "调解结果" in errors[9]["outcome"]
    assert "不在册" in errors[10]["served_on"]
    assert "身份证号或志愿者编号" in errors[11]["id_number"]
    assert "数字" in errors[12]["hours"]
    assert "不是同一名志愿者" in errors[13]["number"]
    assert upload.summary["error"] == 12


def test_hours_of_one_day_across_the_file_and_the_records_stop_at_24(client, world, staff, capture):
    content = _xlsx(
        SERVICE,
        _service_row(world, kind="护学", served_on="2026-03-02", hours=2),  # the world's patrol: unchanged
        _service_row(world, kind="走访", served_on="2026-03-02", hours=12),
        _service_row(world, kind="宣讲", served_on="2026-03-02", hours=11),
    )
    upload = _upload(client, SERVICE, content, capture)
    assert [entry["status"] for entry in upload.rows] == ["unchanged", "new", "error"]
    assert "超过每天24小时" in _errors(SERVICE, upload)[4]["hours"]


def test_checking_service_records_takes_the_same_queries_for_5_or_50_rows(world, make_volunteer):
    user = world.users[Role.COMMITTEE_DIRECTOR]
    people = [make_volunteer() for _n in range(5)]

    def rows(count):
        days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(count)]
        return _xlsx(
            SERVICE,
            *[
                _service_row(world, id_number=people[n % 5].person.id_number, served_on=day.isoformat())
                for n, day in enumerate(days)
            ],
        )

    assert _checked_queries(SERVICE, user, rows(5)) == _checked_queries(SERVICE, user, rows(50))


def test_the_lists_link_to_their_imports_for_those_who_may_add(client, world):
    client.force_login(world.users[Role.COMMITTEE_DIRECTOR])
    assert (
        reverse("core:import_start", args=["volunteers"])
        in client.get(reverse("volunteers:volunteer_list")).content.decode()
    )
    page = client.get(reverse("volunteers:servicerecord_list")).content.decode()
    assert reverse("core:import_start", args=["service-records"]) in page
    client.force_login(world.users[Role.BRANCH_SECRETARY])
    assert (
        reverse("core:import_start", args=["volunteers"])
        not in client.get(reverse("volunteers:volunteer_list")).content.decode()
    )


@pytest.mark.parametrize(
    ("role", "kind"),
    [(Role.BRANCH_SECRETARY, VOLUNTEERS), (Role.LEADER, VOLUNTEERS), (Role.LEADER, SERVICE)],
    ids=["secretary-volunteers", "leader-volunteers", "leader-service-records"],
)
def test_a_refused_upload_keeps_no_file_and_starts_no_job(client, world, role, kind):
    before = (ImportUpload.objects.count(), Job.objects.count())
    client.force_login(world.users[role])
    file = io.BytesIO(_xlsx(kind))
    file.name = "名册.xlsx"
    response = client.post(reverse("core:import_start", args=[kind.name]), {"file": file})
    assert response.status_code == 403
    assert (ImportUpload.objects.count(), Job.objects.count()) == before
