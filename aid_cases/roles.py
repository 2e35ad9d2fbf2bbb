"""What each role may do with the records of the aid app (core.roles assembles the table).

Children's data goes only to the roles that work on aid (PIPL: minimum necessary):
committee staff and county staff of the region, and committee directors for their
committees' cases. Branch secretaries and leaders hold only `view_programme` and the
overview's numbers (`aid_cases.view_aid_overview`), never a child, case or sponsor.
Which *rows* a permission reaches is the querysets' business (aid_cases.models).
"""

from core.scoping import Role

_WORK = [
    "aid_cases.*_child",
    "aid_cases.*_guardian",
    "aid_cases.*_consent",
    "aid_cases.*_aidcase",
    "aid_cases.*_programme",
    "aid_cases.*_sponsor",
    "aid_cases.*_pairing",
    "aid_cases.*_pairingsupport",
    "aid_cases.*_disbursement",
    "aid_cases.reverse_disbursement",
    "aid_cases.*_carevisit",
    "aid_cases.*_drive",
    "aid_cases.*_donation",
    "aid_cases.*_payout",
    "aid_cases.view_aid_overview",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # The county committee's office: every step, the full ID number on a stated reason, birth dates.
    Role.COMMITTEE_STAFF: [*_WORK, "aid_cases.view_child_id_number", "aid_cases.view_child_birth_date"],
    # 老干部局 staff of the region read and keep the records, but the town-then-county approval
    # is the committees' own (AidCaseQuerySet.verifiable_by / approvable_by leave them out).
    Role.COUNTY_STAFF: [*_WORK, "aid_cases.view_child_id_number"],
    # A director works the cases of their committee: age, not birth date; the ID number masked.
    # The office registers children and sponsors (a director's scope comes from cases, and
    # choosing a child's village or a sponsor's area is the region's business).
    Role.COMMITTEE_DIRECTOR: [
        "aid_cases.view_child",
        "aid_cases.change_child",
        "aid_cases.*_guardian",
        "aid_cases.*_consent",
        "aid_cases.view_aidcase",
        "aid_cases.add_aidcase",
        "aid_cases.change_aidcase",
        "aid_cases.verify_aidcase",
        "aid_cases.approve_aidcase",
        "aid_cases.view_programme",
        "aid_cases.view_sponsor",
        "aid_cases.*_pairing",
        "aid_cases.*_pairingsupport",
        "aid_cases.view_disbursement",
        "aid_cases.add_disbursement",
        "aid_cases.reverse_disbursement",
        "aid_cases.*_carevisit",
        "aid_cases.*_drive",
        "aid_cases.*_donation",
        "aid_cases.*_payout",
        "aid_cases.view_aid_overview",
    ],
    Role.BRANCH_SECRETARY: ["aid_cases.view_aid_overview"],
    Role.LEADER: ["aid_cases.view_programme", "aid_cases.view_aid_overview"],
}


def committee_staff_reach(user):
    """The people the aid work gives committee staff: children, named guardians, sponsors who are
    Party members, and who handed aid over or visited. A Q over Person; one subquery each."""
    from django.db.models import Q

    from aid_cases.models import CareVisit, Child, Disbursement, Guardian, Sponsor

    return (
        Q(pk__in=Child.all_objects.values("person_id"))
        | Q(pk__in=Guardian.all_objects.filter(person__isnull=False).values("person_id"))
        | Q(pk__in=Sponsor.all_objects.filter(person__isnull=False).values("person_id"))
        | Q(pk__in=Disbursement.all_objects.filter(handed_over_by__isnull=False).values("handed_over_by_id"))
        | Q(pk__in=CareVisit.visitors.through.objects.values("person_id"))
    )
