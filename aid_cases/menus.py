"""The aid app's menu entries, registered with core.hooks by AidCasesConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hooks import NavItem

AID = pgettext_lazy("menu group", "助学帮扶")

NAV: list[NavItem] = [
    NavItem(_("帮扶统计"), "aid_cases:overview", "aid_cases.view_aid_overview", order=80, group=AID),
    NavItem(_("帮扶个案"), "aid_cases:case_list", "aid_cases.view_aidcase", order=81, group=AID),
    NavItem(_("受助儿童"), "aid_cases:child_list", "aid_cases.view_child", order=82, group=AID),
    NavItem(_("本月应发与欠发"), "aid_cases:payments_due", "aid_cases.view_pairing", order=83, group=AID),
    NavItem(_("资助人"), "aid_cases:sponsor_list", "aid_cases.view_sponsor", order=84, group=AID),
    NavItem(_("帮扶项目"), "aid_cases:programme_list", "aid_cases.view_programme", order=85, group=AID),
    NavItem(_("慰问"), "aid_cases:carevisit_list", "aid_cases.view_carevisit", order=86, group=AID),
    NavItem(_("募捐"), "aid_cases:drive_list", "aid_cases.view_drive", order=87, group=AID),
]
