"""Where each dashboard figure links: the list it counts, with the dashboard's area, year and day.

A figure links only where the user may go (core.access). The offices open the lists themselves
(the volunteers of that category on that day, the cases in the register, the year's care visits
and drives); leaders, who may not open a list of people or cases, open the pages that count the
same records without naming anyone (the 五老数据库, the aid overview, the ledgers). A figure with
no such page (pairings, disbursements) is shown without a link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from aid_cases.models import AidCase, CareVisit, Drive
from core import access
from core.models import Region
from funds.models import Ledger
from reports.selectors.annual import Period
from volunteers.models import ServiceRecord, Volunteer


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def figure_links(user, period: Period) -> dict[str, str]:
    """Figure key → the URL it opens, for the figures the user may follow (one permission check each,
    cached for the request; no query about rows)."""
    region, year, on = period.region.pk, period.year, period.on.isoformat()
    # A list's area filter is there only for users who pick areas; without it the list is the
    # user's own scope, which is the dashboard's area only when it is their own area.
    picks_areas = access.can(user, access.VIEW, Region)
    own_area = period.region.pk == getattr(user, "region_id", None)
    area = {"region": region} if picks_areas else {}
    links: dict[str, str] = {}

    if access.can(user, access.VIEW, Volunteer) and (picks_areas or own_area):
        links["volunteers"] = _url("volunteers:volunteer_list", **area, on=on)
        for category in Volunteer.Category:
            links[f"volunteers_{category.value}"] = _url(
                "volunteers:volunteer_list", **area, on=on, category=category.value
            )
    elif access.can(user, "statistics", Volunteer):
        database = _url("volunteers:database", region=region, year=year)
        links["volunteers"] = database
        links.update({f"volunteers_{c.value}": database for c in Volunteer.Category})
    if access.can(user, access.VIEW, ServiceRecord) and (picks_areas or own_area):
        links["hours"] = _url("volunteers:servicerecord_list", **area, status=ServiceRecord.Status.CONFIRMED, year=year)
    elif access.can(user, "statistics", Volunteer):
        links["hours"] = _url("volunteers:database", region=region, year=year)

    if access.can(user, access.VIEW, AidCase) and (picks_areas or own_area):
        links["cases_open"] = _url("aid_cases:case_list", **area, on=on)
    if access.can(user, access.VIEW, CareVisit) and (picks_areas or own_area):
        links["visits"] = links["visit_person_times"] = _url("aid_cases:carevisit_list", **area, year=year)
    if access.can(user, access.VIEW, Drive) and (picks_areas or own_area):
        links["drives"] = links["raised"] = _url("aid_cases:drive_list", **area, year=year)
    if own_area and access.has_permission(user, "aid_cases.view_aid_overview"):
        # The overview counts the user's own area: it is the leaders' way to the aid figures.
        overview = _url("aid_cases:overview", year=year)
        for key in ("cases_open", "disbursed_cash", "disbursed_goods", "visits", "visit_person_times"):
            links.setdefault(key, overview)

    if access.can(user, access.VIEW, Ledger) and own_area:
        links["income"] = links["expense"] = _url("funds:ledger_list", year=year)
    return links
