"""Access cases of the volunteers app: registration, service records, certificates (and the public
verification page), teams, studios, suggestions, the database view.

Offices (county and committee staff) work in their region; the director in their committee; the
branch secretary reads their retirees' registrations and, as the leader of the world's team, records
its service (it waits for confirmation); leaders count, never read a row.
"""

import datetime as dt

from tests.access.matrix import Case, everyone, expect

LIST = expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200)
OFFICE_LIST = expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200)
READ = expect(county=200, committee=200, secretary=200, director=200, leader=404, admin=200)
WRITE_PAGE = expect(county=200, committee=200, secretary=403, director=200, leader=404, admin=200)
POST = expect(county=302, committee=302, secretary=403, director=302, leader=404, admin=302)
RESTORE = expect(county=302, committee=403, secretary=403, director=403, leader=404, admin=302)
CREATE_POST = expect(county=302, committee=302, secretary=403, director=302, leader=403, admin=302)
# Certificates, studios and suggestions are not the secretary's to see at all (404), or seen without the role (403).
NO_SECRETARY_READ = expect(county=200, committee=200, secretary=404, director=200, leader=404, admin=200)
NO_SECRETARY_POST = expect(county=302, committee=302, secretary=404, director=302, leader=404, admin=302)
SECRETARY_NO_ROLE = expect(county=200, committee=200, secretary=403, director=200, leader=404, admin=200)
RESTORE_NOT_SEEN = expect(county=302, committee=403, secretary=404, director=403, leader=404, admin=302)
TODAY = dt.date(2026, 6, 1).isoformat()


def _register(county):
    return {"committee": county.committee.pk, "name": "刘新民", "category": "teacher", "registered_on": TODAY}


def _status(county):
    return {"status": "paused", "on": TODAY, "reason": "住院治疗"}


def _certificate(county):
    return {
        "period_start": "2026-01-01",
        "period_end": "2026-05-31",
        "person_in_charge": "王主任",
        "handler": "李干事",
        "contact": "0833-1234567",
    }


def _record(county):
    return {
        "committee": county.committee.pk,
        "served_on": "2026-05-20",
        "kind": "drowning_patrol",
        "hours": "2",
        "volunteers": [county.volunteer.pk],
        "minors_served": "0",
        "adults_served": "0",
    }


def _records(county):
    return {"records": [county.service_record.pk]}


def _return(county):
    return {"records": [county.service_record.pk], "reason": "人数与签到表不符"}


def _members(county):
    return {"volunteers": [county.leader_volunteer.pk], "joined_on": TODAY}


def _leave(county):
    return {"left_on": TODAY}


def _verify(county):
    return {"number": county.certificate.number}


CASES = [
    # Registration and the database
    Case("volunteers:volunteer_list", LIST),
    Case("volunteers:volunteer_register", OFFICE_LIST),
    Case("volunteers:volunteer_register", CREATE_POST, method="post", data=_register),
    Case(
        "volunteers:database",
        expect(county=200, committee=200, secretary=403, director=200, leader=200, admin=200),
        note="numbers only: leaders too",
    ),
    Case("volunteers:volunteer_detail", READ, obj="volunteer"),
    Case("volunteers:volunteer_print", READ, obj="volunteer"),
    Case("volunteers:volunteer_update", WRITE_PAGE, obj="volunteer"),
    Case("volunteers:volunteer_status", POST, obj="volunteer", method="post", data=_status),
    Case("volunteers:volunteer_archive", POST, obj="volunteer", method="post"),
    Case("volunteers:volunteer_restore", RESTORE, obj="volunteer", method="post"),
    Case("volunteers:volunteer_history", READ, obj="volunteer"),
    # Service records: the secretary leads the world's team and entered its waiting record
    Case("volunteers:servicerecord_list", LIST),
    Case("volunteers:servicerecord_create", expect(200, 200, 200, 200, 403, 200)),
    Case(
        "volunteers:servicerecord_create",
        expect(county=302, committee=302, secretary=302, director=302, leader=403, admin=302),
        method="post",
        data=_record,
    ),
    Case("volunteers:servicerecord_detail", READ, obj="service_record"),
    Case("volunteers:servicerecord_update", READ, obj="service_record", note="a team leader corrects their own record"),
    Case("volunteers:servicerecord_confirm", POST, method="post", data=_records),
    Case("volunteers:servicerecord_return", POST, method="post", data=_return),
    Case("volunteers:servicerecord_archive", POST, obj="service_record", method="post"),
    Case("volunteers:servicerecord_restore", RESTORE, obj="service_record", method="post"),
    Case("volunteers:servicerecord_history", READ, obj="service_record"),
    Case("volunteers:servicephoto", READ, obj="service_photo"),
    # Certificates
    Case("volunteers:certificate_list", OFFICE_LIST),
    Case("volunteers:certificate_create", WRITE_PAGE, obj="volunteer"),
    Case("volunteers:certificate_create", POST, obj="volunteer", method="post", data=_certificate),
    Case("volunteers:certificate_detail", NO_SECRETARY_READ, obj="certificate"),
    Case("volunteers:certificate_pdf", NO_SECRETARY_READ, obj="certificate"),
    Case("volunteers:certificate_reissue", NO_SECRETARY_POST, obj="certificate", method="post"),
    Case("volunteers:certificate_verify", everyone(200), kwargs=_verify, record=False, public=True),
    # Teams
    Case("volunteers:team_list", LIST),
    Case("volunteers:team_create", OFFICE_LIST),
    Case("volunteers:team_detail", READ, obj="team"),
    Case("volunteers:team_update", WRITE_PAGE, obj="team"),
    Case("volunteers:team_members", POST, obj="team", method="post", data=_members),
    Case("volunteers:team_archive", POST, obj="team", method="post"),
    Case("volunteers:team_restore", RESTORE, obj="team", method="post"),
    Case("volunteers:team_history", READ, obj="team"),
    Case("volunteers:teammembership_leave", POST, obj="team_membership", method="post", data=_leave),
    # Studios: the secretary sees the studio of the committee run with their branch, without the role
    Case("volunteers:studio_list", OFFICE_LIST),
    Case("volunteers:studio_create", OFFICE_LIST),
    Case("volunteers:studio_detail", SECRETARY_NO_ROLE, obj="studio"),
    Case("volunteers:studio_update", SECRETARY_NO_ROLE, obj="studio"),
    Case("volunteers:studio_archive", POST, obj="studio", method="post"),
    Case("volunteers:studio_restore", RESTORE, obj="studio", method="post"),
    Case("volunteers:studio_history", SECRETARY_NO_ROLE, obj="studio"),
    # Suggestions
    Case("volunteers:suggestion_list", OFFICE_LIST),
    Case("volunteers:suggestion_create", OFFICE_LIST),
    Case("volunteers:suggestion_update", NO_SECRETARY_READ, obj="suggestion"),
    Case("volunteers:suggestion_archive", NO_SECRETARY_POST, obj="suggestion", method="post"),
    Case("volunteers:suggestion_restore", RESTORE_NOT_SEEN, obj="suggestion", method="post"),
    Case("volunteers:suggestion_history", NO_SECRETARY_READ, obj="suggestion"),
]
