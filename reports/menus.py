"""The reports app's menu entries (registered by ReportsConfig.ready())."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hooks import NavItem

REPORTS = pgettext_lazy("menu group", "统计报表")

NAV: list[NavItem] = [
    NavItem(_("工作概览"), "reports:dashboard", "reports.view_annualreport", order=89, group=REPORTS),
    NavItem(_("年度报告"), "reports:annual_index", "reports.view_annualreport", order=90, group=REPORTS),
]
