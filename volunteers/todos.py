"""The volunteers app's 待办事项 rule (core.hooks.register_todo), registered by VolunteersConfig.ready().

Kept apart from the views so that loading the app imports no view module.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import access
from core.hooks import TodoRule
from volunteers.models import ServiceRecord
from volunteers.selectors import records_to_confirm


def records_to_confirm_count(user, today) -> int | None:
    """Service records waiting for this user's confirmation (one query)."""
    if not (access.can(user, access.VIEW, ServiceRecord) and access.can(user, "confirm", ServiceRecord)):
        return None
    return records_to_confirm(user, access.readable(user, ServiceRecord)).count()


TODOS = [
    TodoRule(
        "service_records_to_confirm",
        _("等待我确认的志愿服务记录"),
        records_to_confirm_count,
        lambda user: reverse("volunteers:servicerecord_list") + "?waiting_for_me=1",
        order=80,
    ),
]
