from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Grants each user the permissions of the group named after their role.

    The role field is the one source of truth for membership; the groups
    (kept in step with core.roles by `sync_role_groups`) hold the permissions.
    """

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__name=user_obj.role)
