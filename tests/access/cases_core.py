from core.undo import undo_token
from tests.access.matrix import Case, everyone, expect

# Who may do what with people (core.Person): county staff in their region; committee staff only
# the people of their committees (the world's `person` is a retiree: out of their reach).
# The world's person is also the committee's volunteer (volunteers registers that reach): committee
# staff read them, but a retiree's record stays county staff's to change (branches' read_only).
PERSON_SEEN_BY_COMMITTEE = expect(county=200, committee=200, secretary=404, director=404, leader=404, admin=200)
PERSON_CHANGE = expect(county=200, committee=403, secretary=404, director=404, leader=404, admin=200)
PERSON_LIST = expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200)

CASES = [
    Case("core:home", everyone(200)),
    Case("core:login", everyone(302), public=True, note="signed-in users are sent home"),
    Case("core:logout", everyone(302), method="post"),
    Case("core:toggle_large_font", everyone(302), method="post", public=True),
    Case("core:person_list", PERSON_LIST),
    Case("core:person_create", PERSON_LIST),
    Case("core:person_detail", PERSON_SEEN_BY_COMMITTEE, obj="person"),
    Case("core:person_update", PERSON_CHANGE, obj="person"),
    Case("core:person_archive", expect(302, 403, 404, 404, 404, 302), obj="person", method="post"),
    Case("core:person_restore", expect(302, 403, 404, 404, 404, 302), obj="person", method="post"),
    Case("core:person_history", PERSON_SEEN_BY_COMMITTEE, obj="person"),
    # 显示完整号码: county staff and administrators, with a reason; committee staff see the person but
    # may not reveal (403), the others do not see the person (404); a refusal writes no audit entry.
    Case(
        "core:person_reveal_id_number",
        expect(county=200, committee=403, secretary=404, director=404, leader=404, admin=200),
        obj="person",
        method="post",
        data=lambda w: {"reason": "核对养老待遇发放"},
    ),
    # The audit page: county staff (their region's users' entries) and administrators.
    Case("core:audit_list", expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)),
    # Pickers: one case here (people: the roles that may list them); every kind, role and county
    # (rows of the other county are left out of the answer) in tests/core/test_lookups.py.
    Case(
        "core:lookup",
        expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200),
        kwargs=lambda w: {"kind": "person"},
        record=False,
    ),
    # Undo links (core.undo): the handler loads the record as the step did (here 办结 of the world's
    # need, which is open: the POST is refused with a message and changes nothing).
    Case(
        "core:undo",
        expect(county=200, committee=404, secretary=200, director=404, leader=404, admin=200),
        kwargs=lambda w: {"token": undo_token("need_resolve", need=w.need.pk, version=w.need.version)},
    ),
    Case(
        "core:undo",
        expect(county=302, committee=404, secretary=302, director=404, leader=404, admin=302),
        method="post",
        kwargs=lambda w: {"token": undo_token("need_resolve", need=w.need.pk, version=w.need.version)},
    ),
]
