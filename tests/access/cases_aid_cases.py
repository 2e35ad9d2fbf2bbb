"""Access cases of the aid app: children, cases, sponsors, pairings, money, visits, drives.

Children's data is for the roles that work on aid only: a branch secretary and a leader
opening a child's, case's, sponsor's or disbursement's URL get 404, like anyone outside
the scope; a director reaches the cases of the committee they lead. The numbers
(`overview`) are for every role.
"""

import datetime as dt

from tests.access.matrix import Case, everyone, expect

# Lists and blank forms: the role table decides (403), no record involved.
WORK_LIST = expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200)
OFFICE_LIST = expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200)
# One record about a child: 404 for every role outside aid work.
CHILD_READ = expect(county=200, committee=200, secretary=404, director=200, leader=404, admin=200)
CHILD_POST = expect(county=302, committee=302, secretary=404, director=302, leader=404, admin=302)
# Archiving a child, a case or a sponsor is the offices' (a director lacks delete_*).
OFFICE_ARCHIVE = expect(county=302, committee=302, secretary=404, director=403, leader=404, admin=302)
OFFICE_CHANGE = expect(county=200, committee=200, secretary=404, director=403, leader=404, admin=200)


def _today(county):
    return {"on": dt.date.today().isoformat(), "comment": "已入户核实"}


def _verify(county):
    return {"pk": county.pending_case.pk, "action": "verify"}


CASES = [
    Case("aid_cases:overview", everyone(200), note="counts and sums only: every role"),
    Case("aid_cases:child_list", WORK_LIST),
    Case("aid_cases:child_create", OFFICE_LIST, note="the office registers; a director's scope comes from cases"),
    Case("aid_cases:child_detail", CHILD_READ, obj="child"),
    Case("aid_cases:child_update", CHILD_READ, obj="child"),
    Case(
        "aid_cases:child_reveal_id_number",
        expect(county=200, committee=200, secretary=404, director=403, leader=404, admin=200),
        obj="child",
        method="post",
        data=lambda county: {"reason": "办理学籍资助核对"},
        note="the whole number needs the permission and a reason; the page is shown again with it",
    ),
    Case("aid_cases:guardian_create", CHILD_READ, obj="child"),
    Case("aid_cases:consent_create", CHILD_READ, obj="child"),
    Case("aid_cases:child_archive", OFFICE_ARCHIVE, obj="child", method="post"),
    Case(
        "aid_cases:child_restore",
        expect(county=302, committee=403, secretary=404, director=403, leader=404, admin=302),
        obj="child",
        method="post",
    ),
    Case("aid_cases:child_history", CHILD_READ, obj="child"),
    Case("aid_cases:guardian_archive", CHILD_POST, obj="guardian", method="post"),
    Case("aid_cases:consent_archive", CHILD_POST, obj="consent", method="post"),
    Case(
        "aid_cases:programme_list",
        expect(county=200, committee=200, secretary=403, director=200, leader=200, admin=200),
    ),
    Case("aid_cases:programme_create", OFFICE_LIST),
    Case(
        "aid_cases:programme_detail",
        expect(county=200, committee=200, secretary=404, director=200, leader=200, admin=200),
        obj="programme",
        note="a programme names no child: leaders read it and its numbers",
    ),
    Case(
        "aid_cases:programme_update",
        expect(county=200, committee=200, secretary=404, director=403, leader=403, admin=200),
        obj="programme",
    ),
    Case("aid_cases:case_list", WORK_LIST),
    Case("aid_cases:case_export", OFFICE_LIST, note="logged with its filters"),
    Case("aid_cases:case_create", WORK_LIST),
    Case("aid_cases:case_detail", CHILD_READ, obj="case"),
    Case(
        "aid_cases:case_transition",
        expect(county=403, committee=302, secretary=404, director=302, leader=404, admin=302),
        method="post",
        kwargs=_verify,
        data=_today,
        note="verifying is the town's step: the handling committee's director or the committee office; "
        "老干部局 staff read the case but may not verify it (refused: the case is unchanged)",
    ),
    Case("aid_cases:case_archive", OFFICE_ARCHIVE, obj="case", method="post"),
    Case("aid_cases:case_history", CHILD_READ, obj="case"),
    Case("aid_cases:pairing_create", CHILD_READ, obj="case"),
    Case("aid_cases:disbursement_create", CHILD_READ, obj="case"),
    Case(
        "aid_cases:pairing_pause",
        CHILD_POST,
        obj="pairing",
        method="post",
        data=lambda county: {"from_month": "2025-02-01", "reason": "儿童住院"},
    ),
    Case("aid_cases:pairing_resume", CHILD_POST, obj="pairing", method="post", data=lambda c: {"month": "2025-03-01"}),
    Case(
        "aid_cases:pairing_end",
        CHILD_POST,
        obj="pairing",
        method="post",
        data=lambda county: {"ended_on": "2025-06-30", "reason": "sponsor_withdrew"},
    ),
    Case("aid_cases:payments_due", WORK_LIST),
    Case(
        "aid_cases:month_close",
        expect(county=302, committee=302, secretary=403, director=302, leader=403, admin=302),
        method="post",
        data=lambda county: {"committee": county.committee.pk, "month": "2024-03-01"},
    ),
    Case("aid_cases:disbursement_detail", CHILD_READ, obj="disbursement"),
    Case(
        "aid_cases:disbursement_reverse",
        CHILD_POST,
        obj="disbursement",
        method="post",
        data=lambda county: {"reason": "金额录错"},
    ),
    Case("aid_cases:disbursement_receipt", CHILD_READ, obj="disbursement", note="never a public media URL"),
    Case("aid_cases:sponsor_list", WORK_LIST),
    Case("aid_cases:sponsor_create", OFFICE_LIST),
    Case("aid_cases:sponsor_detail", CHILD_READ, obj="sponsor", note="a director: sponsors of their committee's cases"),
    Case("aid_cases:sponsor_update", OFFICE_CHANGE, obj="sponsor"),
    Case("aid_cases:carevisit_list", WORK_LIST),
    Case("aid_cases:carevisit_create", WORK_LIST),
    Case("aid_cases:carevisit_detail", CHILD_READ, obj="care_visit"),
    Case("aid_cases:drive_list", WORK_LIST),
    Case("aid_cases:drive_create", WORK_LIST),
    Case("aid_cases:drive_detail", CHILD_READ, obj="drive"),
    Case("aid_cases:donation_create", CHILD_READ, obj="drive"),
    Case("aid_cases:payout_create", CHILD_READ, obj="drive"),
]
