"""Importing children and sponsors from Excel: template, check, all-or-nothing import, audit of every view."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from aid_cases import models as a
from aid_cases.imports import ChildImport, SponsorImport
from core.imports import check_rows, template_workbook
from core.models import AuditEntry, ImportUpload, Job, Person
from core.scoping import Role
from core.validators import credit_code_check_char
from tests import factories as f
from tests import imports

pytestmark = pytest.mark.django_db

CHILDREN = ChildImport()
SPONSORS = SponsorImport()


def _child_id(seq: int, birth=dt.date(2014, 9, 1), male=True) -> str:
    return f.make_id_number("433127000000", birth, seq, male)


def _child_row(world, **values) -> list:
    """A sheet row: a new left-behind boy of the inside village unless told otherwise."""
    row = {
        "name": "王小军",
        "id_number": _child_id(41),
        "region": world.inside.village.name,
        "school": "灵溪镇中心小学",
        "grade": "五年级",
        "class_name": "２班",
        "circumstances": "留守儿童、单亲",
        "situation": "",
        "guardian_name": "王奶奶",
        "guardian_relation": "祖父母",
        "guardian_phone": "13812345678",
        "consent_on": "2026年3月1日",
    } | values
    return [row[c.key] for c in CHILDREN.columns]


_headers, _xlsx, _upload, _confirm, _errors = (
    imports.headers,
    imports.xlsx,
    imports.upload,
    imports.confirm,
    imports.errors,
)


@pytest.fixture
def office(client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def county_staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return world.users[Role.COUNTY_STAFF]


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_children_template_has_headers_an_example_drop_downs_and_text_columns(world, office):
    workbook = load_workbook(io.BytesIO(template_workbook(CHILDREN, office)))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == _headers(CHILDREN)
    assert sheet.cell(row=2, column=2).value == "433127201205060013"
    assert sheet.column_dimensions["B"].number_format == "@"  # the ID number
    assert sheet.column_dimensions["K"].number_format == "@"  # the guardian's phone
    options = list(workbook["选项"].iter_rows(values_only=True))
    areas = {row[2] for row in options}
    assert {world.inside.town.name, world.inside.village.name} <= areas
    assert world.outside.village.name not in areas
    assert {row[9] for row in options} - {None} == {label for _v, label in a.GuardianRelation.choices}


def test_a_good_file_registers_children_with_guardian_and_consent_and_again_changes_nothing(
    client, world, office, capture
):
    content = _xlsx(
        CHILDREN,
        _child_row(world),
        _child_row(
            world,
            name="王小红",
            id_number=_child_id(42, male=False).replace("4", "４", 1),  # a full-width digit
            region=f"{world.inside.town.name}/{world.inside.village.name}",
            circumstances="困境儿童",
            guardian_relation="母亲",
            guardian_phone="",
            consent_on=46082,  # 2026-03-01 as a serial number
        ),
    )
    upload = _upload(client, CHILDREN, content, capture)
    assert upload.summary == {"new": 2, "update": 0, "unchanged": 0, "error": 0, "total": 2}
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.DONE, job.error

    child = a.Child.objects.select_related("person").get(person__id_number=_child_id(41))
    assert (child.person.name, child.person.birth_date, child.person.gender) == ("王小军", dt.date(2014, 9, 1), "M")
    assert (child.region, child.school, child.class_name) == (world.inside.village, "灵溪镇中心小学", "2班")
    assert child.circumstances == ["left_behind", "single_parent"]
    guardian = child.guardians.get()
    assert (guardian.name, guardian.relation, guardian.phone) == ("王奶奶", "grandparent", "13812345678")
    consent = child.consents.get()
    assert (consent.given_by, consent.given_on, consent.purpose) == ("王奶奶", dt.date(2026, 3, 1), "keep")
    assert a.Child.objects.get(person__id_number=_child_id(42, male=False)).circumstances == ["in_difficulty"]

    before = (a.Child.all_objects.count(), Person.all_objects.count(), a.Guardian.all_objects.count())
    again = _upload(client, CHILDREN, content, capture)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 2, "error": 0, "total": 2}
    assert _confirm(client, again, capture).status == Job.Status.DONE
    assert (a.Child.all_objects.count(), Person.all_objects.count(), a.Guardian.all_objects.count()) == before


def test_a_registered_child_is_updated(client, world, office, capture):
    child = world.inside.child
    row = _child_row(
        world,
        name=child.person.name,
        id_number=child.person.id_number,
        school="县第一中学",
        grade=child.grade,
        class_name="",
        circumstances="留守儿童、建档立卡贫困户",
    )
    upload = _upload(client, CHILDREN, _xlsx(CHILDREN, row), capture)
    assert upload.summary["update"] == 1
    assert upload.rows[0]["changes"] == ["学校"]
    assert _confirm(client, upload, capture).status == Job.Status.DONE
    child.refresh_from_db()
    assert child.school == "县第一中学"
    assert child.guardians.count() == 1  # an update changes the child's own fields only


def test_each_child_error_is_on_its_cell_in_chinese(world, office):
    outsider = world.outside.child.person
    adult = world.inside.person  # a retiree: a registered person who is no child
    rows = check_rows(
        CHILDREN,
        _xlsx(
            CHILDREN,
            _child_row(world),  # 2: the same ID number as row 8
            _child_row(world, id_number=_child_id(43)[:-1] + ("0" if _child_id(43)[-1] != "0" else "1")),  # 3
            _child_row(world, id_number=_child_id(44), region=world.outside.village.name),  # 4
            _child_row(world, id_number=_child_id(45), consent_on="2099-01-01"),  # 5: in the future
            _child_row(world, id_number=outsider.id_number, name=outsider.name),  # 6: another county's child
            _child_row(world, id_number=adult.id_number, name=adult.name),  # 7: a person who is no child
            _child_row(world),  # 8: the same ID number as row 2
            _child_row(world, id_number=world.inside.child.person.id_number, name="李小华"),  # 9: another name
            _child_row(world, id_number=_child_id(46), circumstances="留守儿童、很穷"),  # 10
            _child_row(world, id_number=_child_id(47), guardian_relation="邻居"),  # 11
            _child_row(  # 12: the same name, birth date and guardian as a child registered without this number
                world,
                id_number=f.make_id_number("433127000000", world.inside.child_person.birth_date, 48, False),
                name=world.inside.child_person.name,
                guardian_name=world.inside.guardian.name,
            ),
        ),
        office,
    )
    errors = _errors(rows)
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    assert "校验" in errors[3]["id_number"]
    assert "没有名为" in errors[4]["region"]
    assert errors[5]["consent_on"] == "日期不能晚于今天"
    assert "其他地区" in errors[6]["id_number"]
    assert "其他人员" in errors[7]["id_number"]
    assert "第8行" in errors[2]["id_number"]
    assert "第2行" in errors[8]["id_number"]
    assert "已登记为" in errors[9]["name"]
    assert "很穷" in errors[10]["circumstances"]
    assert "下拉列表" in errors[11]["guardian_relation"]
    assert "可能是同一人" in errors[12]["name"]


def test_one_bad_child_row_imports_nothing(client, world, office, capture):
    before = a.Child.all_objects.count()
    upload = _upload(
        client,
        CHILDREN,
        _xlsx(CHILDREN, _child_row(world), _child_row(world, id_number=_child_id(49), region="无此村")),
        capture,
    )
    assert upload.summary["error"] == 1
    client.post(reverse("core:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.import_job is None
    assert a.Child.all_objects.count() == before


def test_a_child_gone_out_of_scope_since_the_check_imports_nothing(client, world, office, capture):
    before = (a.Child.all_objects.count(), Person.all_objects.count())
    upload = _upload(
        client, CHILDREN, _xlsx(CHILDREN, _child_row(world), _child_row(world, id_number=_child_id(50))), capture
    )
    assert upload.summary["new"] == 2
    f.PersonFactory(region=world.outside.village, id_number=_child_id(50))  # registered elsewhere meanwhile
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.FAILED
    assert (a.Child.all_objects.count(), Person.all_objects.count()) == (before[0], before[1] + 1)


def test_previewing_children_rows_and_downloading_the_errors_are_logged(client, world, office, capture):
    child = world.inside.child
    content = _xlsx(
        CHILDREN,
        _child_row(world, id_number=child.person.id_number, name=child.person.name, region=world.inside.village.name),
        _child_row(world, region="无此村"),
    )
    upload = _upload(client, CHILDREN, content, capture)
    views = a.ChildAccessLog.objects.filter(user=office, kind="view", child=child).count()
    audits = AuditEntry.objects.filter(user=office, kind=AuditEntry.Kind.VIEW_PERSONAL).count()
    page = client.get(reverse("core:import_preview", args=[upload.pk]))
    assert page.status_code == 200
    assert child.person.id_number not in page.content.decode()  # masked as everywhere
    assert a.ChildAccessLog.objects.filter(user=office, kind="view", child=child).count() == views + 1
    assert AuditEntry.objects.filter(user=office, kind=AuditEntry.Kind.VIEW_PERSONAL).count() == audits + 1

    exports = a.ChildAccessLog.objects.filter(user=office, kind="export").count()
    response = client.get(reverse("core:import_errors", args=[upload.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][-1] == "错误说明"
    assert [line[2] for line in lines[1:]] == ["无此村"]
    assert "所在村（社区）" in lines[1][-1]
    log = a.ChildAccessLog.objects.filter(user=office, kind="export").order_by("-at").first()
    assert a.ChildAccessLog.objects.filter(user=office, kind="export").count() == exports + 1
    assert log.row_count == 1


@pytest.mark.parametrize("role", [Role.BRANCH_SECRETARY, Role.LEADER, Role.COMMITTEE_DIRECTOR])
def test_roles_that_do_not_register_children_get_no_link_and_no_import(client, world, role):
    client.force_login(world.users[role])
    before = (ImportUpload.objects.count(), Job.objects.count())
    list_page = client.get(reverse("aid_cases:child_list"))
    assert reverse("core:import_start", args=["children"]) not in list_page.content.decode()
    assert client.get(reverse("core:import_template", args=["children"])).status_code == 403
    file = io.BytesIO(_xlsx(CHILDREN, _child_row(world)))
    file.name = "名单.xlsx"
    assert client.post(reverse("core:import_start", args=["children"]), {"file": file}).status_code == 403
    assert (ImportUpload.objects.count(), Job.objects.count()) == before


def test_the_children_list_links_to_the_import_for_the_office(client, world, office):
    page = client.get(reverse("aid_cases:child_list")).content.decode()
    assert reverse("core:import_start", args=["children"]) in page


# --- sponsors -----------------------------------------------------------------------------------


def _code(n: int) -> str:
    first17 = f"91433127MA4L{n:04d}9"
    return first17 + credit_code_check_char(first17)


def _sponsor_row(world, **values) -> list:
    """A sheet row: a new enterprise of the inside county unless told otherwise."""
    row = {
        "kind": "爱心企业",
        "name": "灵溪爱心超市",
        "credit_code": _code(1),
        "id_number": "",
        "region": world.inside.region.name,
        "contact_name": "刘经理",
        "contact_phone": "13812345679",
        "payer": "",
        "note": "",
    } | values
    return [row[c.key] for c in SPONSORS.columns]


def test_the_sponsors_template_has_headers_an_example_drop_downs_and_text_columns(world, office):
    workbook = load_workbook(io.BytesIO(template_workbook(SPONSORS, office)))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == _headers(SPONSORS)
    assert sheet.cell(row=2, column=1).value == "爱心企业"
    for letter in "CDG":  # credit code, ID number, phone
        assert sheet.column_dimensions[letter].number_format == "@"
    options = list(workbook["选项"].iter_rows(values_only=True))
    assert {row[0] for row in options} - {None} == {label for _v, label in a.Sponsor.Kind.choices}
    regions = {row[4] for row in options}
    assert world.inside.region.name in regions
    assert world.outside.region.name not in regions


def test_a_good_sponsor_file_is_saved_through_the_form_and_again_changes_nothing(client, world, county_staff, capture):
    member = world.inside.person  # a registered Party member (county staff see the county's people)
    content = _xlsx(
        SPONSORS,
        _sponsor_row(world),
        _sponsor_row(
            world, kind="党员", name=member.name, credit_code="", id_number=member.id_number, contact_phone=""
        ),
        _sponsor_row(world, kind="爱心人士", name="陈爱心", credit_code="", region=world.inside.town.name),
    )
    people = Person.all_objects.count()
    upload = _upload(client, SPONSORS, content, capture)
    assert upload.summary == {"new": 3, "update": 0, "unchanged": 0, "error": 0, "total": 3}
    job = _confirm(client, upload, capture)
    assert job.status == Job.Status.DONE, job.error
    shop = a.Sponsor.objects.get(credit_code=_code(1))
    assert (shop.kind, shop.name, shop.region, shop.contact_phone) == (
        "enterprise",
        "灵溪爱心超市",
        world.inside.region,
        "13812345679",
    )
    assert a.Sponsor.objects.get(person=member).kind == "party_member"
    assert a.Sponsor.objects.get(name="陈爱心").region == world.inside.town
    assert Person.all_objects.count() == people  # the form registers no Person

    before = a.Sponsor.all_objects.count()
    again = _upload(client, SPONSORS, content, capture)
    assert again.summary == {"new": 0, "update": 0, "unchanged": 3, "error": 0, "total": 3}
    assert _confirm(client, again, capture).status == Job.Status.DONE
    assert a.Sponsor.all_objects.count() == before


def test_a_registered_sponsor_is_updated_through_the_form(client, world, office, capture):
    sponsor = world.inside.sponsor
    row = _sponsor_row(
        world, name=sponsor.name, credit_code=sponsor.credit_code, contact_name="赵会计", contact_phone=""
    )
    upload = _upload(client, SPONSORS, _xlsx(SPONSORS, row), capture)
    assert upload.summary["update"] == 1
    assert upload.rows[0]["changes"] == ["联系人"]
    version = sponsor.version
    assert _confirm(client, upload, capture).status == Job.Status.DONE
    sponsor.refresh_from_db()
    assert sponsor.contact_name == "赵会计"
    assert sponsor.version == version + 1


def test_each_sponsor_error_is_on_its_cell_in_chinese(world, office):
    rows = check_rows(
        SPONSORS,
        _xlsx(
            SPONSORS,
            _sponsor_row(world),  # 2: good
            _sponsor_row(world, credit_code=_code(2)[:-1] + ("0" if _code(2)[-1] != "0" else "1")),  # 3
            _sponsor_row(world, credit_code=""),  # 4: an enterprise without its code
            _sponsor_row(world, name="另一家", credit_code=world.outside.sponsor.credit_code),  # 5: another county's
            _sponsor_row(world, name="同一家"),  # 6: the same code as row 2
            _sponsor_row(world, kind="党员", credit_code="", id_number=""),  # 7
            _sponsor_row(world, kind="党员", credit_code="", id_number=world.outside.person.id_number),  # 8
            _sponsor_row(world, credit_code=_code(3), region=world.outside.region.name),  # 9
            _sponsor_row(world, kind="企业", credit_code=_code(4)),  # 10
            _sponsor_row(world, kind="爱心人士", credit_code="", name="陈爱心"),  # 11
            _sponsor_row(world, kind="爱心人士", credit_code="", name="陈爱心"),  # 12: the same as row 11
        ),
        office,
    )
    errors = _errors(rows)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 12}
    assert "统一社会信用代码" in errors[3]["credit_code"]
    assert errors[4]["credit_code"] == "爱心企业须填写统一社会信用代码"
    assert "其他地区" in errors[5]["credit_code"]
    assert "第2行" in errors[6]["credit_code"]
    assert "身份证号" in errors[7]["id_number"]
    assert "没有登记该身份证号" in errors[8]["id_number"]
    assert "没有名为" in errors[9]["region"]
    assert "下拉列表" in errors[10]["kind"]
    assert "第11行" in errors[12]["name"]


def test_one_bad_sponsor_row_imports_nothing(client, world, office, capture):
    before = a.Sponsor.all_objects.count()
    upload = _upload(
        client, SPONSORS, _xlsx(SPONSORS, _sponsor_row(world), _sponsor_row(world, credit_code="")), capture
    )
    assert upload.summary["error"] == 1
    client.post(reverse("core:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.import_job is None
    assert a.Sponsor.all_objects.count() == before


def test_the_sponsor_error_rows_download_as_the_sheet_plus_an_error_column(client, world, office, capture):
    upload = _upload(
        client,
        SPONSORS,
        _xlsx(SPONSORS, _sponsor_row(world), _sponsor_row(world, credit_code=_code(5), region="无此地")),
        capture,
    )
    response = client.get(reverse("core:import_errors", args=[upload.pk]))
    lines = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].iter_rows(values_only=True)
    )
    assert lines[0][-1] == "错误说明"
    assert [line[2] for line in lines[1:]] == [_code(5)]
    assert lines[1][-1].startswith("所在区划：")


@pytest.mark.parametrize("role", [Role.BRANCH_SECRETARY, Role.LEADER, Role.COMMITTEE_DIRECTOR])
def test_roles_that_do_not_register_sponsors_get_no_link_and_no_import(client, world, role):
    client.force_login(world.users[role])
    before = (ImportUpload.objects.count(), Job.objects.count())
    page = client.get(reverse("aid_cases:sponsor_list"))
    assert reverse("core:import_start", args=["sponsors"]) not in page.content.decode()
    file = io.BytesIO(_xlsx(SPONSORS, _sponsor_row(world)))
    file.name = "资助人.xlsx"
    assert client.post(reverse("core:import_start", args=["sponsors"]), {"file": file}).status_code == 403
    assert (ImportUpload.objects.count(), Job.objects.count()) == before


def test_the_sponsor_list_links_to_the_import_for_the_office(client, world, office):
    page = client.get(reverse("aid_cases:sponsor_list")).content.decode()
    assert reverse("core:import_start", args=["sponsors"]) in page


@pytest.mark.parametrize("kind", [CHILDREN, SPONSORS], ids=["children", "sponsors"])
def test_the_check_costs_the_same_queries_for_a_long_file(world, office, kind):
    def queries(n):
        if kind is CHILDREN:
            rows = [_child_row(world, name=f"王小{i}", id_number=_child_id(100 + i)) for i in range(n)]
        else:
            rows = [_sponsor_row(world, name=f"爱心企业{i}", credit_code=_code(100 + i)) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            check_rows(kind, _xlsx(kind, *rows), office)
        return len(captured)

    queries(1)
    assert queries(3) == queries(30)
