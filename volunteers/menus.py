"""The volunteers app's menu entries (registered with core.hooks by VolunteersConfig.ready())."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hooks import NavItem

VOLUNTEERS = pgettext_lazy("menu group", "五老志愿者")

NAV: list[NavItem] = [
    NavItem(_("志愿者名册"), "volunteers:volunteer_list", "volunteers.view_volunteer", order=50, group=VOLUNTEERS),
    NavItem(
        _("服务记录"), "volunteers:servicerecord_list", "volunteers.view_servicerecord", order=51, group=VOLUNTEERS
    ),
    NavItem(
        _("记录服务"), "volunteers:servicerecord_create", "volunteers.add_servicerecord", order=52, group=VOLUNTEERS
    ),
    NavItem(_("志愿服务队"), "volunteers:team_list", "volunteers.view_team", order=53, group=VOLUNTEERS),
    NavItem(_("五老工作室"), "volunteers:studio_list", "volunteers.view_studio", order=54, group=VOLUNTEERS),
    NavItem(_("建言献策"), "volunteers:suggestion_list", "volunteers.view_suggestion", order=55, group=VOLUNTEERS),
    NavItem(
        _("服务证明登记簿"),
        "volunteers:certificate_list",
        "volunteers.view_servicecertificate",
        order=56,
        group=VOLUNTEERS,
    ),
    NavItem(_("五老数据库"), "volunteers:database", "volunteers.statistics_volunteer", order=57, group=VOLUNTEERS),
]
