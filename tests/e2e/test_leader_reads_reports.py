"""A leader lands on their county's figures, drills down to a town and back, opens the
annual report and downloads it as Word and Excel (on a phone; screenshots saved)."""

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from core.scoping import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_reads_the_dashboard_and_downloads_the_annual_report(e2e_world, login, page, screenshot, tmp_path):
    leader = e2e_world.users[Role.LEADER]
    county = e2e_world.inside.region
    town = e2e_world.inside.town
    login(leader.username)
    assert page.locator("[data-testid=leader-dashboard]").is_visible()
    screenshot("leader-home")

    page.click("text=查看完整概览")
    page.wait_for_load_state("networkidle")
    assert county.name in page.locator("h1").inner_text()
    assert page.locator("[data-chart=areas] svg").count() == 1  # the chart drew itself
    assert page.locator("[data-chart=hours] svg").count() == 1
    assert page.locator("[data-testid=hours-by-month] tbody tr").count() == 12  # the chart's table view
    screenshot("leader-dashboard")

    # A count opens the page that counts it, without a name: the 五老数据库 of the county.
    page.locator("[data-testid=link-volunteers]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == f"五老数据库 · {county.name}"
    page.go_back()
    page.wait_for_load_state("networkidle")

    page.locator("[data-testid=areas]").get_by_role("link", name=town.name).click()
    page.wait_for_load_state("networkidle")
    crumbs = page.locator("[data-testid=breadcrumb] li").all_inner_texts()
    assert crumbs[-2:] == [county.name, town.name]
    screenshot("leader-dashboard-town")
    page.locator("[data-testid=breadcrumb]").get_by_role("link", name=county.name).click()
    page.wait_for_load_state("networkidle")
    assert town.name not in page.locator("[data-testid=breadcrumb]").inner_text()

    page.get_by_role("link", name="年度报告").last.click()
    page.wait_for_load_state("networkidle")
    opening = page.locator("[data-testid=section-organisation] p").first.inner_text()
    assert opening.startswith("按照“四近”原则设置离退休干部党支部")
    screenshot("leader-annual-report")

    with page.expect_download() as download:
        page.click("[data-testid=download-word]")
    word = tmp_path / "report.docx"
    download.value.save_as(word)
    document = Document(word)
    assert opening in [p.text for p in document.paragraphs]
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"

    with page.expect_download() as download:
        page.click("[data-testid=download-excel]")
    excel = tmp_path / "report.xlsx"
    download.value.save_as(excel)
    workbook = load_workbook(excel)
    assert "组织建设" in workbook.sheetnames
    assert isinstance(workbook["组织建设"]["B2"].value, int)
