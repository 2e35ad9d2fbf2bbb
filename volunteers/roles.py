"""What each role may do with five-elders volunteers' records (core.roles assembles the table).

Which *rows* a permission reaches is the querysets' business (`visible_to`, `editable_by`,
`confirmable_by`, `countable_by` in volunteers.models).
"""

from core.scoping import Role

_OFFICE = [
    "volunteers.*_volunteer",
    "volunteers.*_team",
    "volunteers.*_teammembership",
    "volunteers.*_studio",
    "volunteers.*_servicerecord",
    "volunteers.*_servicehours",
    "volunteers.*_servicephoto",
    "volunteers.*_suggestion",
    "volunteers.view_servicecertificate",
    "volunteers.add_servicecertificate",
    "volunteers.reissue_servicecertificate",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_STAFF: list(_OFFICE),
    Role.COMMITTEE_STAFF: list(_OFFICE),
    # Their committee's volunteers, teams, service and certificates (rows: CommitteeScopedQuerySet).
    Role.COMMITTEE_DIRECTOR: [
        "volunteers.view_volunteer",
        "volunteers.add_volunteer",
        "volunteers.change_volunteer",
        "volunteers.delete_volunteer",
        "volunteers.statistics_volunteer",
        "volunteers.*_team",
        "volunteers.*_teammembership",
        "volunteers.*_studio",
        "volunteers.*_servicerecord",
        "volunteers.*_servicehours",
        "volunteers.*_servicephoto",
        "volunteers.*_suggestion",
        "volunteers.view_servicecertificate",
        "volunteers.add_servicecertificate",
        "volunteers.reissue_servicecertificate",
    ],
    # Their branch's retirees' volunteer status; as a team leader, their team's service (it waits
    # for the director's confirmation: they hold no confirm_servicerecord).
    Role.BRANCH_SECRETARY: [
        "volunteers.view_volunteer",
        "volunteers.view_team",
        "volunteers.view_teammembership",
        "volunteers.view_servicerecord",
        "volunteers.add_servicerecord",
        "volunteers.change_servicerecord",
        "volunteers.view_servicehours",
        "volunteers.view_servicephoto",
        "volunteers.add_servicephoto",
    ],
    # Counts only: the database view and service totals, never a name.
    Role.LEADER: [
        "volunteers.statistics_volunteer",
        "volunteers.statistics_servicerecord",
        "volunteers.statistics_suggestion",
    ],
}


def committee_staff_reach(user):
    """Committee staff work with the people registered as volunteers (a Q over Person, one subquery)."""
    from django.db.models import Q

    from volunteers.models import Volunteer

    return Q(pk__in=Volunteer.all_objects.values("person_id"))
