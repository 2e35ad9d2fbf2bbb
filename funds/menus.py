"""The funds app's menu entries, registered with core.hooks by FundsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hooks import NavItem

FUNDS = pgettext_lazy("menu group", "经费")

NAV: list[NavItem] = [
    NavItem(_("经费账"), "funds:ledger_list", "funds.view_ledger", order=60, group=FUNDS),
    NavItem(_("下拨经费"), "funds:allocation_list", "funds.allocate_ledger", order=61, group=FUNDS),
    NavItem(_("活动经费测算"), "funds:per_head", "funds.allocate_ledger", order=62, group=FUNDS),
]
