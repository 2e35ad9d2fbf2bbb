"""The aid app's 待办事项 rules (core.hooks.register_todo), registered by AidCasesConfig.ready().

The counts call the selectors the linked pages use (`cases_waiting_for`, `pairings_owing`), so the
numbers agree. Kept apart from the views so that loading the app imports no view module.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aid_cases.models import AidCase, Pairing
from aid_cases.selectors import WAITING_STEPS, cases_waiting_for, pairings_owing
from core import access
from core.hooks import TodoRule


def waiting_cases_count(user, today) -> int | None:
    """Cases waiting for this user's verification or approval (one query)."""
    if not access.can(user, access.VIEW, AidCase):
        return None
    if not any(access.can(user, action, AidCase) for action, _status in WAITING_STEPS):
        return None
    return cases_waiting_for(user, access.readable(user, AidCase)).count()


def payments_owing_count(user, today) -> int | None:
    """Pairings with this month's payment or arrears to hand over (two queries)."""
    if not access.can(user, access.VIEW, Pairing):
        return None
    return len(pairings_owing(access.readable(user, Pairing), today))


TODOS = [
    TodoRule(
        "cases_waiting_for_me",
        _("等待我核实或审批的帮扶个案"),
        waiting_cases_count,
        lambda user: reverse("aid_cases:case_list") + "?waiting_for_me=1",
        order=60,
    ),
    TodoRule(
        "pairing_payments_owing",
        _("本月待发放或拖欠的结对资助"),
        payments_owing_count,
        lambda user: reverse("aid_cases:payments_due"),
        order=70,
    ),
]
