"""The funds app's 待办事项 rule (core.hooks.register_todo), registered by FundsConfig.ready().

Kept apart from the views so that loading the app imports no view module.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import access
from core.hooks import TodoRule
from funds.models import Ledger
from funds.selectors import ledgers_near_overspend


def near_overspend_count(user, today) -> int | None:
    """Ledgers with a budget line of this year about to overspend (one query)."""
    if not access.can(user, access.VIEW, Ledger):
        return None
    return ledgers_near_overspend(access.readable(user, Ledger), today.year).count()


TODOS = [
    TodoRule(
        "budgets_near_overspend",
        _("预算即将超支的经费账"),
        near_overspend_count,
        lambda user: reverse("funds:ledger_list") + "?near_overspend=1",
        order=90,
    ),
]
