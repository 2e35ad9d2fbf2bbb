"""Who may read the reports (core.roles assembles the table).

The report of an area is for the offices and leaders of that area: it holds counts,
sums and organisations' names, never a person's name, so leaders read it whole.
Secretaries and directors get their own branch's or committee's pages instead.
"""

from core.scoping import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_STAFF: ["reports.view_annualreport"],
    Role.COMMITTEE_STAFF: ["reports.view_annualreport"],
    Role.LEADER: ["reports.view_annualreport"],
}
