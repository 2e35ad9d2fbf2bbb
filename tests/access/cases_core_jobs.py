"""Background jobs and Excel imports (core/job_views.py).

Jobs and uploads belong to the user who started them (the world's are the county staff's):
everyone else answers 404; administrators may look (403 when they would act), but not download
someone else's export (404). Importing
retirees needs the role's `add_retiree` (county staff and administrators); importing volunteers
`add_volunteer` (the offices and the committee director); importing service records
`add_servicerecord` (the branch secretary too, as a team leader: their records wait for confirmation);
importing fund entries `add_fundentry` (whoever keeps a ledger); importing activities `add_activity`
and some branch to record for (the activities' own row rule: county staff, the secretary; not the
committees' roles, whose activities are their committees'); importing children `add_child` and
sponsors `add_sponsor` (the offices that work on aid: county and committee staff; a director
registers neither).
A refused upload keeps no file and starts no job (tests/volunteers/test_imports.py).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.matrix import Case, expect

OWN = expect(county=200, committee=404, secretary=404, director=404, leader=404, admin=200)
# A background export's file: its creator alone (administrators too answer 404), while they may read the list.
OWN_FILE = expect(county=200, committee=404, secretary=404, director=404, leader=404, admin=404)
OWN_WRITE = expect(county=302, committee=404, secretary=404, director=404, leader=404, admin=403)
IMPORT_RETIREES = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)
IMPORT_VOLUNTEERS = expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200)
UPLOAD_VOLUNTEERS = expect(county=302, committee=302, secretary=403, director=302, leader=403, admin=302)
IMPORT_SERVICE = expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200)
UPLOAD_SERVICE = expect(county=302, committee=302, secretary=302, director=302, leader=403, admin=302)
# Fund entries: whoever keeps a ledger (`add_fundentry`): county staff, secretaries, directors.
IMPORT_FUNDS = expect(county=200, committee=403, secretary=200, director=200, leader=403, admin=200)
UPLOAD_FUNDS = expect(county=302, committee=403, secretary=302, director=302, leader=403, admin=302)

IMPORT_ACTIVITIES = expect(county=200, committee=403, secretary=200, director=403, leader=403, admin=200)
UPLOAD_ACTIVITIES = expect(county=302, committee=403, secretary=302, director=403, leader=403, admin=302)

IMPORT_AID = expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200)
UPLOAD_AID = expect(county=302, committee=302, secretary=403, director=403, leader=403, admin=302)


def _retirees(w):
    return {"kind": "retirees"}


def _volunteers(w):
    return {"kind": "volunteers"}


def _service_records(w):
    return {"kind": "service-records"}


def _fund_entries(w):
    return {"kind": "fund-entries"}


def _activities(w):
    return {"kind": "activities"}


def _children(w):
    return {"kind": "children"}


def _sponsors(w):
    return {"kind": "sponsors"}


def _file(w):
    return {"file": SimpleUploadedFile("名册.xlsx", b"PK not read before the check job runs")}


CASES = [
    Case("core:job_detail", OWN, obj="job"),
    Case("core:job_retry", OWN_WRITE, obj="job", method="post", note="a queued job is not retried: back to it"),
    Case("core:job_download", OWN_FILE, obj="export_job"),
    Case("core:import_start", IMPORT_RETIREES, kwargs=_retirees, record=False),
    Case("core:import_template", IMPORT_RETIREES, kwargs=_retirees, record=False),
    Case("core:import_start", IMPORT_VOLUNTEERS, kwargs=_volunteers, record=False, variant="volunteers"),
    Case("core:import_template", IMPORT_VOLUNTEERS, kwargs=_volunteers, record=False, variant="volunteers"),
    Case(
        "core:import_start",
        UPLOAD_VOLUNTEERS,
        kwargs=_volunteers,
        method="post",
        data=_file,
        record=False,
        variant="volunteers",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_start", IMPORT_SERVICE, kwargs=_service_records, record=False, variant="service-records"),
    Case("core:import_template", IMPORT_SERVICE, kwargs=_service_records, record=False, variant="service-records"),
    Case(
        "core:import_start",
        UPLOAD_SERVICE,
        kwargs=_service_records,
        method="post",
        data=_file,
        record=False,
        variant="service-records",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_start", IMPORT_FUNDS, kwargs=_fund_entries, record=False, variant="fund-entries"),
    Case("core:import_template", IMPORT_FUNDS, kwargs=_fund_entries, record=False, variant="fund-entries"),
    Case(
        "core:import_start",
        UPLOAD_FUNDS,
        kwargs=_fund_entries,
        method="post",
        data=_file,
        record=False,
        variant="fund-entries",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_start", IMPORT_ACTIVITIES, kwargs=_activities, record=False, variant="activities"),
    Case("core:import_template", IMPORT_ACTIVITIES, kwargs=_activities, record=False, variant="activities"),
    Case(
        "core:import_start",
        UPLOAD_ACTIVITIES,
        kwargs=_activities,
        method="post",
        data=_file,
        record=False,
        variant="activities",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_start", IMPORT_AID, kwargs=_children, record=False, variant="children"),
    Case("core:import_template", IMPORT_AID, kwargs=_children, record=False, variant="children"),
    Case(
        "core:import_start",
        UPLOAD_AID,
        kwargs=_children,
        method="post",
        data=_file,
        record=False,
        variant="children",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_start", IMPORT_AID, kwargs=_sponsors, record=False, variant="sponsors"),
    Case("core:import_template", IMPORT_AID, kwargs=_sponsors, record=False, variant="sponsors"),
    Case(
        "core:import_start",
        UPLOAD_AID,
        kwargs=_sponsors,
        method="post",
        data=_file,
        record=False,
        variant="sponsors",
        note="the upload is checked by a job: to its page",
    ),
    Case("core:import_preview", OWN, obj="import_upload"),
    Case("core:import_confirm", OWN_WRITE, obj="import_upload", method="post", note="not checked yet: back"),
    Case("core:import_errors", OWN, obj="import_upload"),
]
