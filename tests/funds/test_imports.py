"""Importing a ledger's income and expenses from Excel: template, check, all-or-nothing import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.imports import check_rows, template_workbook
from core.models import ImportUpload, Job
from core.scoping import Role
from funds import models as fm
from funds import services
from funds.imports import FundEntryImport

pytestmark = pytest.mark.django_db

KIND = FundEntryImport()


def _row(world, **values) -> list:
    """A sheet row: an activity expense of the inside branch's ledger unless told otherwise."""
    row = {
        "ledger": world.inside.branch.name,
        "occurred_on": "2026年4月8日",
        "direction": "支出",
        "category": "活动经费",
        "amount": "120",
        "summary": "主题党日学习资料",
        "counterparty_name": "县新华书店",
        "overspend_reason": "",
    } | values
    return [row[c.key] for c in KIND.columns]


def _xlsx(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([f"{c.header}*" if c.required else str(c.header) for c in KIND.columns])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _errors(rows) -> dict:
    return {row.number: row.errors for row in rows if row.errors}


@pytest.fixture
def staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return world.users[Role.COUNTY_STAFF]


def test_the_template_offers_the_ledgers_the_user_keeps_and_the_categories(world, staff):
    workbook = load_workbook(io.BytesIO(template_workbook(KIND, staff)))
    options = list(workbook["选项"].iter_rows(values_only=True))
    ledgers = {row[0] for row in options}
    assert world.inside.branch.name in ledgers
    assert world.outside.branch.name not in ledgers
    categories = {row[3] for row in options}
    assert "活动经费" in categories
    assert "下拨经费" not in categories


def test_a_good_file_is_imported_with_vouchers_and_importing_it_again_changes_nothing(
    client, world, staff, django_capture_on_commit_callbacks
):
    content = _xlsx(
        _row(world),
        _row(world, direction="收入", category="党费返还", amount="1,200.50", summary="党费返还", counterparty_name=""),
    )
    before = fm.FundEntry.objects.filter(ledger=world.inside.ledger).count()
    file = io.BytesIO(content)
    file.name = "收支.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_start", args=[KIND.name]), {"file": file})
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    upload = ImportUpload.objects.get(check_job=job)
    assert upload.summary == {"new": 2, "update": 0, "unchanged": 0, "error": 0, "total": 2}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.import_job.status == Job.Status.DONE, upload.import_job.error

    entries = fm.FundEntry.objects.filter(ledger=world.inside.ledger).order_by("pk")
    assert entries.count() == before + 2
    expense, income = entries[before], entries[before + 1]
    assert (expense.amount, expense.category, expense.occurred_on) == (Decimal("120"), "activity", dt.date(2026, 4, 8))
    assert income.amount == Decimal("1200.50")
    assert income.voucher_seq == expense.voucher_seq + 1

    again = check_rows(KIND, content, staff)
    assert [row.status for row in again] == ["unchanged", "unchanged"]


def test_each_error_is_on_its_cell(world, staff):
    services.month_close(ledger=world.inside.ledger, month=dt.date(2025, 12, 1), by=staff)
    rows = check_rows(
        KIND,
        _xlsx(
            _row(world),  # 2: good
            _row(world, ledger=world.outside.branch.name),  # 3: another county's ledger
            _row(world, direction="收入"),  # 4: 活动经费 is no income
            _row(world, amount="-5"),  # 5
            _row(world, amount="十元"),  # 6
            _row(world, occurred_on="2025-12-20"),  # 7: a closed month
            _row(world, category="下拨经费"),  # 8: allocations have their own action
            _row(world),  # 9: the same as row 2
        ),
        staff,
    )

    errors = _errors(rows)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9}
    assert "没有" in errors[3]["ledger"]
    assert errors[4]["category"] == "该科目不属于所选的收支方向"
    assert errors[5]["amount"] == "金额必须大于0"
    assert "金额" in errors[6]["amount"]
    assert "已结账" in errors[7]["occurred_on"]
    assert "下拉列表" in errors[8]["category"]
    assert "第2行" in errors[9]["summary"]


def test_an_overspent_budget_line_without_a_reason_imports_nothing(
    client, world, staff, django_capture_on_commit_callbacks
):
    # The world's branch has 500 yuan for activities in 2026.
    content = _xlsx(_row(world, amount="100", summary="第一笔"), _row(world, amount="900", summary="第二笔"))
    before = fm.FundEntry.objects.count()
    file = io.BytesIO(content)
    file.name = "收支.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_start", args=[KIND.name]), {"file": file})
    upload = ImportUpload.objects.get(check_job_id=int(response["Location"].rstrip("/").split("/")[-1]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_confirm", args=[upload.pk]))
    upload.refresh_from_db()

    assert upload.import_job.status == Job.Status.FAILED
    assert "第3行无法保存" in upload.import_job.error
    assert fm.FundEntry.objects.count() == before


def test_the_check_costs_the_same_queries_for_a_long_file(world, staff):
    def queries(n):
        content = _xlsx(*[_row(world, summary=f"资料{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as captured:
            check_rows(KIND, content, staff)
        return len(captured)

    assert queries(3) == queries(30)
