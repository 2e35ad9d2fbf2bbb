"""Access cases of the people area: retirees, check-ins, governance roles, care pairs, hardship payments, needs,
transfers between counties."""

import datetime as dt

from tests import factories as f
from tests.access.matrix import Case, expect

# Lists and create pages, by permission alone.
COUNTY_AND_SECRETARY = expect(county=200, committee=403, secretary=200, director=403, leader=403, admin=200)
COUNTY_ONLY = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)
# Records of a branch: county staff and the branch's secretary see them; the others get 404.
READ = expect(county=200, committee=404, secretary=200, director=404, leader=404, admin=200)
# Pages about a visible record that only county staff may use (the secretary may see it: 403).
COUNTY_WRITE = expect(county=200, committee=404, secretary=403, director=404, leader=404, admin=200)
COUNTY_POST = expect(county=302, committee=404, secretary=403, director=404, leader=404, admin=302)
SECRETARY_POST = expect(county=302, committee=404, secretary=302, director=404, leader=404, admin=302)
# A transfer request is county staff's business on both sides: nobody else even sees one.
COUNTY_CREATE_POST = expect(county=302, committee=403, secretary=403, director=403, leader=403, admin=302)
TRANSFER_POST = expect(county=302, committee=404, secretary=404, director=404, leader=404, admin=302)


def _transfer(county):
    return {"to_branch": county.general_branch.pk, "on": "2026年7月1日", "reason": "transferred"}


def _leave(county):
    return {"on": "2026-07-01", "reason": "deceased"}


def _resolve(county):
    return {"resolved_on": dt.date(2026, 5, 1).isoformat(), "outcome": "已送去大字版学习资料"}


def _transfer_request(county):
    number = f.make_id_number(county.region.code, dt.date(1950, 1, 2), 1, True)  # nobody's
    return {"id_number": number, "name": "王建国", "to_branch": county.branch.pk, "note": "随子女迁居"}


def _care_record(county):
    return {"happened_on": "2026-03-01", "kind": "visit", "description": "上门走访", "goods_value": "200"}


def _participants(county):
    return {"people": [county.retiree.person_id], "start_on": "2026-07-01"}


# Adding participants changes the branch: county staff's; the others who see the branch get 403.
PARTICIPANTS = expect(county=200, committee=404, secretary=403, director=403, leader=403, admin=200)
# The world's branch is a standing one: the service refuses, the form shows why (200), nothing is added.
PARTICIPANTS_POST = expect(county=200, committee=404, secretary=403, director=403, leader=403, admin=200)

# A community's page: its area's county staff; the committee and the leader see the place but may
# not read check-ins (403); a secretary where her members checked in (the world's retiree did), a
# director nowhere.
COMMUNITY = expect(county=200, committee=403, secretary=200, director=404, leader=403, admin=200)

CASES = [
    # Communities (村、社区)
    Case("branches:community_list", COUNTY_AND_SECRETARY),
    Case("branches:community_detail", COMMUNITY, obj="village"),
    # Participation in temporary and functional branches
    Case("branches:participation_add", PARTICIPANTS, obj="branch"),
    Case("branches:participation_add", PARTICIPANTS_POST, obj="branch", method="post", data=_participants),
    # Retirees
    Case("branches:retiree_list", COUNTY_AND_SECRETARY),
    Case("branches:retiree_create", COUNTY_ONLY),
    Case("branches:retiree_detail", READ, obj="retiree"),
    Case("branches:retiree_update", READ, obj="retiree", note="secretaries edit their members"),
    Case("branches:retiree_transfer", COUNTY_WRITE, obj="retiree"),
    Case("branches:retiree_transfer", COUNTY_POST, obj="retiree", method="post", data=_transfer),
    Case("branches:retiree_leave", COUNTY_WRITE, obj="retiree"),
    Case("branches:retiree_leave", COUNTY_POST, obj="retiree", method="post", data=_leave),
    Case("branches:retiree_archive", COUNTY_POST, obj="retiree", method="post"),
    Case("branches:retiree_restore", COUNTY_POST, obj="retiree", method="post"),
    Case("branches:retiree_history", READ, obj="retiree"),
    Case("branches:communitycheckin_create", COUNTY_WRITE, obj="retiree"),
    Case("branches:communitycheckin_archive", COUNTY_POST, obj="check_in", method="post"),
    Case("branches:governancerole_create", COUNTY_WRITE, obj="retiree"),
    Case("branches:governancerole_archive", COUNTY_POST, obj="governance_role", method="post"),
    # Care pairs and the hardship fund
    Case("branches:carepair_list", COUNTY_AND_SECRETARY),
    Case("branches:carepair_create", COUNTY_ONLY),
    Case("branches:carepair_detail", READ, obj="care_pair"),
    Case("branches:carerecord_create", COUNTY_WRITE, obj="care_pair"),
    Case("branches:carerecord_create", COUNTY_POST, obj="care_pair", method="post", data=_care_record),
    Case("branches:carepair_end", COUNTY_WRITE, obj="care_pair"),
    Case("branches:carepair_archive", COUNTY_POST, obj="care_pair", method="post"),
    Case("branches:carepair_history", READ, obj="care_pair"),
    Case("branches:hardshippayment_list", COUNTY_ONLY),
    Case("branches:hardshippayment_create", COUNTY_ONLY),
    Case("branches:hardshippayment_archive", COUNTY_POST, obj="hardship_payment", method="post"),
    # Needs: the secretary manages those of their branch
    Case("branches:need_list", COUNTY_AND_SECRETARY),
    Case("branches:need_create", COUNTY_AND_SECRETARY),
    Case("branches:need_detail", READ, obj="need"),
    Case("branches:need_update", READ, obj="need"),
    Case("branches:need_resolve", READ, obj="need"),
    Case("branches:need_resolve", SECRETARY_POST, obj="need", method="post", data=_resolve),
    Case("branches:need_archive", SECRETARY_POST, obj="need", method="post"),
    Case("branches:need_restore", COUNTY_POST, obj="need", method="post"),
    Case("branches:need_history", READ, obj="need"),
    # Transfers between counties: the other county sees nothing of them (404)
    Case("branches:transferrequest_list", COUNTY_ONLY),
    Case("branches:transferrequest_create", COUNTY_ONLY),
    Case("branches:transferrequest_create", COUNTY_CREATE_POST, method="post", data=_transfer_request),
    Case("branches:transferrequest_accept", TRANSFER_POST, obj="transfer_request", method="post"),
    Case("branches:transferrequest_decline", TRANSFER_POST, obj="transfer_request", method="post"),
    Case("branches:transferrequest_withdraw", TRANSFER_POST, obj="transfer_request", method="post"),
]
