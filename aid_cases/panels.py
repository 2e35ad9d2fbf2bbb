"""The aid app's home-page panel: cases waiting for this user's verification or approval.

Kept apart from the views so that loading the app imports no view module.
"""

from django.http import HttpRequest

from aid_cases.models import AidCase
from aid_cases.selectors import WAITING_STEPS, pending_approvals
from core import access


def pending_cases_panel(request: HttpRequest) -> dict | None:
    """Cases this user may verify (town) or approve (county) now, with how long each has waited (two queries)."""
    user = request.user
    sections = []
    for action, status in WAITING_STEPS:
        if not access.can(user, action, AidCase):
            continue
        rows = pending_approvals(access.rows(user, AidCase, action).filter(status=status))
        if rows:
            sections.append({"action": action, "rows": rows})
    if not sections:
        return None
    return {"template": "aid_cases/partials/pending_panel.html", "sections": sections}


HOME_PANELS = [pending_cases_panel]
