"""What each role may do, as Django permissions held by a group named after the role.

Each app declares its roles' permissions in `<app>/roles.py`; `role_permissions()`
assembles them with core's into the single table; `sync_role_groups` (run after every
migrate) makes the groups match it, and `core.auth.RoleBackend` grants a user
the permissions of their role's group. *Which rows* a permission applies to is
the scoping's business (core.scoping), not this table's.

Patterns are `app_label.codename` with shell wildcards, e.g. `branches.*`
or `branches.view_*`.
"""

from fnmatch import fnmatchcase

from core.scoping import Role

# Core's own records. The apps declare theirs in `<app>/roles.py` (a `ROLE_PERMISSIONS`
# dict of the same shape, next to their models); `role_permissions()` joins them.
CORE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_STAFF: [
        "core.*_person",
        "core.view_id_number",
        "core.view_personal_data",
        "core.view_region",
        "core.restore_records",
        # The audit page: the entries of their region's users (AuditEntryQuerySet.visible_to).
        "core.view_auditentry",
    ],
    Role.COMMITTEE_STAFF: [
        # The people their work needs (committee posts, volunteers, children): see PersonQuerySet.
        "core.view_person",
        "core.add_person",
        "core.change_person",
        "core.delete_person",
        "core.view_personal_data",
        "core.view_region",
    ],
    Role.BRANCH_SECRETARY: ["core.view_personal_data"],
    Role.COMMITTEE_DIRECTOR: ["core.view_personal_data"],
    # Leaders read organisations and numbers: no person, no name.
    Role.LEADER: ["core.view_region"],
    Role.ADMIN: ["*"],
}
# Everyone follows and retries their own background jobs (core.jobs: the rows are theirs only);
# whoever may add records may upload a file to import (the import kind asks for its model too).
for _role in CORE_PERMISSIONS:
    CORE_PERMISSIONS[_role] += ["core.view_job", "core.change_job"]
    if _role != Role.LEADER:
        CORE_PERMISSIONS[_role] += ["core.view_importupload", "core.change_importupload"]


def role_permissions() -> dict[str, list[str]]:
    """The whole role table: core's entries and every installed app's `roles.ROLE_PERMISSIONS`."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    table = {role: list(patterns) for role, patterns in CORE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if config.name == "core" or find_spec(f"{config.name}.roles") is None:
            continue
        for role, patterns in import_module(f"{config.name}.roles").ROLE_PERMISSIONS.items():
            table.setdefault(role, []).extend(patterns)
    return table


def permission_matches(role: str, perm: str, table: dict[str, list[str]] | None = None) -> bool:
    table = role_permissions() if table is None else table
    return any(fnmatchcase(perm, pattern) for pattern in table.get(role, []))


def sync_role_groups(**kwargs) -> None:
    """Create one group per role holding exactly the permissions the table grants."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.select_related("content_type"))
    table = role_permissions()
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        granted = [
            p for p in permissions if permission_matches(role, f"{p.content_type.app_label}.{p.codename}", table)
        ]
        group.permissions.set(granted)
