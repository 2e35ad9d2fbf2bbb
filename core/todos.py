"""The home page's 待办事项 panel: the to-do rules the apps register (`core.hooks.register_todo`).

Each rule counts its rows through `core.access` and links to the list that shows them; the panel
lists the items with something to do. Its cost is the sum of the rules' fixed costs: it does not
grow with the data.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from core.hooks import todo_rules
from core.scoping import Role

# Whose home page has the panel: the offices and the post holders work from it; leaders read
# the dashboard (whose figures come from the same selectors).
TODO_ROLES = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR})


@dataclass(frozen=True)
class TodoItem:
    key: str
    label: str
    count: int
    url: str


def todo_items(user, today=None) -> list[TodoItem]:
    """The rules with something to do for this user, in order; rules the user may not see give nothing."""
    today = today or timezone.localdate()
    items = []
    for rule in todo_rules():
        count = rule.count(user, today)
        if count:
            items.append(TodoItem(rule.key, rule.label, count, rule.url(user)))
    return items


def todo_panel(request: HttpRequest) -> dict | None:
    if getattr(request.user, "role", None) not in TODO_ROLES:
        return None
    return {"template": "core/partials/todo_panel.html", "items": todo_items(request.user)}
