"""The branches app's menu entries, registered with core.hooks by BranchesConfig.ready().

Kept apart from the views so that loading the app imports no view module.
Each area has its own dropdown (core.hooks.nav_for groups entries by `group`).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hooks import NavItem

ORGANISATION = pgettext_lazy("menu group", "组织")
PEOPLE = pgettext_lazy("menu group", "人员")
ACTIVITIES = pgettext_lazy("menu group", "活动")
RECOGNITION = pgettext_lazy("menu group", "荣誉评估")

NAV: list[NavItem] = [
    NavItem(_("党支部"), "branches:branch_list", "branches.view_branch", order=20, group=ORGANISATION),
    NavItem(_("片组"), "branches:cluster_list", "branches.view_cluster", order=22, group=ORGANISATION),
    NavItem(_("关工委"), "branches:committee_list", "branches.view_youthcarecommittee", order=24, group=ORGANISATION),
    NavItem(_("阵地"), "branches:venue_list", "branches.view_venue", order=26, group=ORGANISATION),
    NavItem(_("党工委"), "branches:workcommittee_list", "branches.view_workcommittee", order=28, group=ORGANISATION),
    NavItem(_("离退休干部"), "branches:retiree_list", "branches.view_retiree", order=30, group=PEOPLE),
    NavItem(_("个性需求"), "branches:need_list", "branches.view_need", order=31, group=PEOPLE),
    NavItem(_("帮扶对子"), "branches:carepair_list", "branches.add_carepair", order=32, group=PEOPLE),
    NavItem(_("社区报到"), "branches:community_list", "branches.view_communitycheckin", order=33, group=PEOPLE),
    NavItem(_("活动记录"), "branches:activity_list", "branches.view_activity", order=40, group=ACTIVITIES),
    NavItem(_("开会情况"), "branches:compliance_overview", "branches.view_retiree", order=41, group=ACTIVITIES),
    NavItem(_("送学上门"), "branches:home_study_todo", "branches.view_retiree", order=42, group=ACTIVITIES),
    NavItem(_("政治生日"), "branches:political_birthdays", "branches.view_retiree", order=43, group=ACTIVITIES),
    NavItem(_("荣誉"), "branches:honour_list", "branches.view_honour", order=70, group=RECOGNITION),
    NavItem(_("年度评估"), "branches:assessment_list", "branches.view_assessment", order=71, group=RECOGNITION),
    NavItem(_("评估标准"), "branches:scheme_list", "branches.add_assessmentscheme", order=72, group=RECOGNITION),
]
