"""What each role may do, as Django permissions held by a group named after the role.

`ROLE_PERMISSIONS` is the single table; `sync_role_groups` (run after every
migrate) makes the groups match it, and `core.auth.RoleBackend` grants a user
the permissions of their role's group. *Which rows* a permission applies to is
the scoping's business (core.scoping), not this table's.

Patterns are `app_label.codename` with shell wildcards, e.g. `branches.*`
or `branches.view_*`.
"""

from fnmatch import fnmatchcase

from core.scoping import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_STAFF: [
        "core.*_person",
        "core.view_id_number",
        "core.view_region",
        "core.restore_records",
        "branches.*",
    ],
    Role.COMMITTEE_STAFF: [
        "core.*_person",
        "core.view_id_number",
        "core.view_region",
        "branches.view_youthcarecommittee",
        "branches.add_youthcarecommittee",
        "branches.change_youthcarecommittee",
        "branches.delete_youthcarecommittee",
        "branches.*_post",
        "branches.view_venue",
        "branches.*_honour",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
        # Committee schemes (五好基层关工委): the views keep branch schemes read-only for them.
        "branches.add_assessmentscheme",
        "branches.change_assessmentscheme",
        "branches.delete_assessmentscheme",
        "branches.add_assessmentcriterion",
        "branches.change_assessmentcriterion",
        "branches.delete_assessmentcriterion",
        "branches.view_governancerole",
        "volunteers.*",
        "aid_cases.*",
    ],
    Role.BRANCH_SECRETARY: [
        "branches.view_branch",
        "branches.view_retiree",
        "branches.change_retiree",
        "branches.view_membership",
        "branches.view_post",
        "branches.view_venue",
        "branches.view_honour",
        "branches.view_guidancevisit",
        "branches.view_youthcarecommittee",
        "branches.view_communitycheckin",
        "branches.view_governancerole",
        "branches.view_carepair",
        "branches.view_carerecord",
        "branches.*_activity",
        "branches.*_activityphoto",
        "branches.*_activityattachment",
        "branches.*_attendance",
        "branches.*_need",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
    ],
    Role.COMMITTEE_DIRECTOR: [
        "branches.view_youthcarecommittee",
        "branches.change_youthcarecommittee",
        "branches.view_branch",
        "branches.view_post",
        "branches.view_venue",
        "branches.view_honour",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
        "volunteers.*",
        "aid_cases.view_*",
    ],
    Role.LEADER: [
        "core.view_region",
        "branches.view_branch",
        "branches.view_cluster",
        "branches.view_youthcarecommittee",
        "branches.view_workcommittee",
        "branches.view_honour",
        "branches.view_venue",
        "reports.*",
    ],
    Role.ADMIN: ["*"],
}


def permission_matches(role: str, perm: str) -> bool:
    return any(fnmatchcase(perm, pattern) for pattern in ROLE_PERMISSIONS.get(role, []))


def sync_role_groups(**kwargs) -> None:
    """Create one group per role holding exactly the permissions the table grants."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.select_related("content_type"))
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        granted = [p for p in permissions if permission_matches(role, f"{p.content_type.app_label}.{p.codename}")]
        group.permissions.set(granted)
