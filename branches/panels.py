"""The branches app's home-page panels, registered with core.hooks by BranchesConfig.ready().

A panel is `func(request) -> dict | None`: the partial to include and its
context, or None when it has nothing for this user. Each costs a fixed
number of queries. Kept apart from the views so that loading the app
imports no view module.
"""

from django.http import HttpRequest
from django.utils import timezone

from branches.models import Activity, Assessment, Branch, Need
from branches.selectors.activities import secretary_panel
from branches.selectors.people import open_need_stats
from branches.selectors.recognition import review_queue
from core import access
from core.scoping import Role


def secretary_home_panel(request: HttpRequest) -> dict | None:
    """For a branch secretary: the big 记录活动 button and this month's state of their branches."""
    user = request.user
    # Whose panel this is (a secretary keeps a branch or two, not a county's); may they record at all: access.
    if getattr(user, "role", None) != Role.BRANCH_SECRETARY or not access.can(user, "add", Activity):
        return None
    branches = access.readable(user, Branch).filter(dissolved_on__isnull=True).order_by("pinyin")
    return {
        "template": "branches/partials/activity_home_panel.html",
        "items": secretary_panel(branches),
        "today": timezone.localdate(),
    }


def open_needs_panel(request: HttpRequest) -> dict | None:
    """For a branch secretary: how many needs of their branches are still open."""
    user = request.user
    if getattr(user, "role", None) != Role.BRANCH_SECRETARY or not access.can(user, access.VIEW, Need):
        return None
    stats = open_need_stats(access.readable(user, Need))
    return {"template": "branches/partials/people_home_needs.html", "stats": stats}


def reviewer_home_panel(request: HttpRequest) -> dict | None:
    """For reviewers: how many assessments they review wait for a review (one query)."""
    user = request.user
    if not access.has_permission(user, "branches.review_assessment"):
        return None
    waiting = review_queue(access.rows(user, Assessment, "review"))
    if not waiting["submitted"] and not waiting["town_reviewed"]:
        return None
    return {"template": "branches/partials/recognition_home_panel.html", "waiting": waiting}


HOME_PANELS = [open_needs_panel, secretary_home_panel, reviewer_home_panel]
