"""Access cases of the activity log, compliance calendar, 送学上门 and political birthdays."""

from tests.access.matrix import Case, expect

# The activity log: county staff in their region, a secretary in their branch.
# Every organiser's log: committee staff and directors record their committees' activities.
ORGANISER_LOG = expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200)
LOG_LIST = expect(county=200, committee=403, secretary=200, director=403, leader=403, admin=200)
LOG_READ = expect(county=200, committee=404, secretary=200, director=404, leader=404, admin=200)
LOG_POST = expect(county=302, committee=404, secretary=302, director=404, leader=404, admin=302)
# County rules: county staff only.
RULES = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)
RULE_READ = expect(county=200, committee=404, secretary=404, director=404, leader=404, admin=200)


def _catch_up(county):
    return {"on": county.activity.held_on.isoformat(), "note": "送去学习资料"}


CASES = [
    Case("branches:activity_list", ORGANISER_LOG),
    Case(
        "branches:activity_create",
        ORGANISER_LOG,
        note="county staff pick an organiser first; a secretary gets the form; committee roles their committees",
    ),
    Case("branches:activity_detail", LOG_READ, obj="activity"),
    Case("branches:activity_update", LOG_READ, obj="activity"),
    Case("branches:activity_add_files", LOG_READ, obj="activity"),
    Case("branches:activity_archive", LOG_POST, obj="activity", method="post"),
    Case(
        "branches:activity_restore",
        expect(county=302, committee=404, secretary=403, director=404, leader=404, admin=302),
        obj="activity",
        method="post",
    ),
    Case("branches:activity_history", LOG_READ, obj="activity"),
    Case("branches:activity_photo", LOG_READ, obj="photo"),
    Case("branches:activity_photo_archive", LOG_POST, obj="photo", method="post"),
    Case("branches:activity_attachment", LOG_READ, obj="attachment"),
    Case("branches:activity_attachment_archive", LOG_POST, obj="attachment", method="post"),
    Case("branches:compliance_overview", LOG_LIST),
    Case(
        "branches:compliance",
        expect(county=200, committee=404, secretary=200, director=403, leader=403, admin=200),
        obj="branch",
        note="the director sees the branch run with their committee, but not its ledger",
    ),
    Case("branches:compliancerule_list", RULES),
    Case("branches:compliancerule_create", RULES),
    Case("branches:compliancerule_update", RULE_READ, obj="compliance_rule"),
    Case(
        "branches:compliancerule_archive",
        expect(county=302, committee=404, secretary=404, director=404, leader=404, admin=302),
        obj="compliance_rule",
        method="post",
    ),
    Case("branches:home_study_todo", LOG_LIST),
    Case("branches:attendance_catch_up", LOG_POST, obj="attendance", method="post", data=_catch_up),
    Case(
        "branches:home_study_catch_up",
        LOG_POST,
        kwargs=lambda w: {"pk": w.retiree.person_id},
        method="post",
        data=_catch_up,
    ),
    Case("branches:political_birthdays", LOG_LIST),
]
