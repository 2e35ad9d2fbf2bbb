"""The volunteers app's home panels and the sections it adds to the branches app's pages.

A home panel is `func(request) -> dict | None`; a page section `func(request, obj) -> dict | None`
(`core.hooks.register_page_section`): the branches app shows them without importing this app.
Each costs a fixed number of queries.
"""

from django.db.models import Q
from django.http import HttpRequest

from branches.models import Retiree, YouthCareCommittee
from core import access
from core.models import Region
from core.scoping import Role
from volunteers.models import ServiceRecord, Volunteer
from volunteers.selectors import (
    branch_volunteer_status,
    category_counts,
    committee_pipeline,
    pipeline_retirees,
    records_to_confirm,
)

PIPELINE_SHOWN = 30  # the rest are one click away on the page's full list


def pending_confirmations_panel(request: HttpRequest) -> dict | None:
    """For a committee director: the team leaders' records waiting for their confirmation (one query)."""
    user = request.user
    if getattr(user, "role", None) != Role.COMMITTEE_DIRECTOR or not access.can(user, "confirm", ServiceRecord):
        return None
    waiting = records_to_confirm(user, access.readable(user, ServiceRecord)).count()
    return {"template": "volunteers/partials/home_pending.html", "waiting": waiting}


def _registrable(user, committee) -> bool:
    return access.can(user, access.ADD, Volunteer) and access.can(user, access.CHANGE, committee)


def committee_section(request: HttpRequest, committee: YouthCareCommittee) -> dict | None:
    """On a committee's page: its volunteers by category and the retirees not yet registered."""
    user = request.user
    if not access.can(user, access.VIEW, Volunteer):
        return None
    volunteers = access.readable(user, Volunteer).filter(committee=committee)
    counts, total = category_counts(volunteers)
    context = {"template": "volunteers/partials/committee_section.html", "counts": counts, "total": total}
    if _registrable(user, committee) and not committee.is_archived:
        pipeline = committee_pipeline(committee)
        context.update(pipeline=list(pipeline[:PIPELINE_SHOWN]), pipeline_count=pipeline.count(), may_register=True)
    return context


def branch_section(request: HttpRequest, branch) -> dict | None:
    """On a branch's page: each current retiree's volunteer status, and a one-click registration for
    those not yet registered (for users who may register them with the branch's committee)."""
    user = request.user
    if not (access.can(user, access.VIEW, Volunteer) and access.can(user, access.VIEW, Retiree)):
        return None
    retirees = branch_volunteer_status(branch).filter(pk__in=access.readable(user, Retiree).values("pk"))
    committee = (
        access.rows(user, YouthCareCommittee, access.CHANGE)
        .filter(Q(branch=branch) | Q(region_id=branch.region_id))
        .order_by("-branch_id", "pk")
        .first()
        if access.can(user, access.ADD, Volunteer)
        else None
    )
    county = Region.county_code_of(branch.region_id)
    return {
        "template": "volunteers/partials/branch_section.html",
        "rows": list(retirees),
        "unregistered": pipeline_retirees(Retiree.objects.filter(branch=branch), [county]).count(),
        "register_committee": committee,
    }


HOME_PANELS = [pending_confirmations_panel]
PAGE_SECTIONS = [("branches:committee_detail", committee_section), ("branches:branch_detail", branch_section)]
