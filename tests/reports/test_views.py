"""The annual report's page and downloads, as the roles that read them."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from core.models import Region
from core.scoping import Role
from tests import factories as f
from tests.reports.test_annual import YEAR, populate

pytestmark = pytest.mark.django_db

OPENING = "按照“四近”原则设置离退休干部党支部2个，覆盖5名离退休干部。"


@pytest.fixture
def county():
    county, _town = populate("981301000000", "报告县")
    return county


@pytest.fixture
def leader(client, county):
    user = f.UserFactory(role=Role.LEADER, region=county)
    client.force_login(user)
    return user


def _url(name, county, year=YEAR):
    return reverse(f"reports:{name}", kwargs={"code": county.pk, "year": year})


def test_the_page_reads_like_the_report(client, leader, county, django_assert_max_num_queries):
    with django_assert_max_num_queries(38):  # the report's 31 and the page's own
        response = client.get(_url("annual", county))
    assert response.status_code == 200
    text = response.content.decode()
    assert "报告县2024年离退休干部和关心下一代工作情况报告" in text
    assert OPENING in text
    assert 'data-testid="download-word"' in text


def test_the_word_file_holds_the_sentences_in_an_east_asian_font(client, leader, county):
    response = client.get(_url("annual_word", county))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "报告县2024年离退休干部和关心下一代工作情况报告"
    assert OPENING in paragraphs
    assert "一、组织建设" in paragraphs
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title_fonts = document.styles["Title"].element.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    table_texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"离退休干部党支部", "2个"} <= table_texts
    assert not any("{{" in t or "{%" in t for t in paragraphs)


def test_the_excel_file_has_one_sheet_per_section_with_numbers_as_numbers(client, leader, county):
    response = client.get(_url("annual_excel", county))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "概况",
        "组织建设",
        "学习教育",
        "服务管理",
        "关心下一代",
        "助学帮扶",
        "发挥作用",
        "经费保障",
        "荣誉表彰",
    ]
    sheet = workbook["组织建设"]
    assert [c.value for c in sheet[1]] == ["项目", "数量", "单位"]
    assert [c.value for c in sheet[2]] == ["离退休干部党支部", 2, "个"]
    money = {row[0].value: row[1].value for row in workbook["服务管理"].iter_rows(min_row=2)}
    assert money["特殊困难帮扶资金"] == 1600
    assert OPENING in [row[0].value for row in workbook["概况"].iter_rows()]


def test_the_index_sends_the_chosen_area_and_year_to_its_report(client, leader, county):
    response = client.get(reverse("reports:annual_index"), {"region": county.pk, "year": YEAR})
    assert response.status_code == 302
    assert response["Location"] == _url("annual", county)


def test_the_index_refuses_an_area_outside_the_scope_on_the_field(client, leader, county):
    other = f.RegionFactory(code="981302000000", name="外县", level=Region.Level.COUNTY)
    response = client.get(reverse("reports:annual_index"), {"region": other.pk, "year": YEAR})
    assert response.status_code == 200
    assert response.context["form"].errors["region"]


@pytest.mark.parametrize("year", [1999, 9999])
def test_a_year_out_of_range_is_not_found(client, leader, county, year):
    assert client.get(_url("annual", county, year)).status_code == 404


def test_a_bad_as_of_is_ignored(client, leader, county):
    response = client.get(_url("annual", county), {"as_of": "9999-99-99"})
    assert response.status_code == 200
    assert OPENING in response.content.decode()


def test_a_leader_sees_no_name_in_the_report(client, leader, county):
    from branches.models import Retiree

    names = list(Retiree.objects.in_region(county).values_list("person__name", flat=True))
    text = client.get(_url("annual", county)).content.decode()
    assert names
    assert not any(name in text for name in names)
