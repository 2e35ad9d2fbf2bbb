"""Background jobs and Excel imports (core/job_views.py).

Jobs and uploads belong to the user who started them (the world's are the county staff's):
everyone else answers 404; administrators may look (403 when they would act). Importing
retirees needs the role's `add_retiree` (county staff and administrators).
"""

from tests.access.matrix import Case, expect

OWN = expect(county=200, committee=404, secretary=404, director=404, leader=404, admin=200)
OWN_WRITE = expect(county=302, committee=404, secretary=404, director=404, leader=404, admin=403)
IMPORT_RETIREES = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)


def _retirees(w):
    return {"kind": "retirees"}


CASES = [
    Case("core:job_detail", OWN, obj="job"),
    Case("core:job_retry", OWN_WRITE, obj="job", method="post", note="a queued job is not retried: back to it"),
    Case("core:import_start", IMPORT_RETIREES, kwargs=_retirees, record=False),
    Case("core:import_template", IMPORT_RETIREES, kwargs=_retirees, record=False),
    Case("core:import_preview", OWN, obj="import_upload"),
    Case("core:import_confirm", OWN_WRITE, obj="import_upload", method="post", note="not checked yet: back"),
    Case("core:import_errors", OWN, obj="import_upload"),
]
