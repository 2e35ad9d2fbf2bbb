"""The branches app's home-page panels, registered with core.hooks by BranchesConfig.ready().

A panel is `func(request) -> dict | None`: the partial to include and its
context, or None when it has nothing for this user. Each costs a fixed
number of queries. Kept apart from the views so that loading the app
imports no view module.
"""

from django.http import HttpRequest
from django.utils import timezone

from branches.models import Assessment, Branch, Need
from branches.selectors.activities import secretary_panel
from branches.selectors.people import open_need_stats
from branches.selectors.recognition import review_queue
from core.scoping import Role


def secretary_home_panel(request: HttpRequest) -> dict | None:
    """For a branch secretary: the big 记录活动 button and this month's state of their branches."""
    user = request.user
    if not user.is_authenticated or user.role != Role.BRANCH_SECRETARY or not user.has_perm("branches.add_activity"):
        return None
    branches = Branch.objects.visible_to(user).filter(dissolved_on__isnull=True).order_by("pinyin")
    return {
        "template": "branches/partials/activity_home_panel.html",
        "items": secretary_panel(branches),
        "today": timezone.localdate(),
    }


def open_needs_panel(request: HttpRequest) -> dict | None:
    """For a branch secretary: how many needs of their branches are still open."""
    user = request.user
    if not user.is_authenticated or user.role != Role.BRANCH_SECRETARY or not user.has_perm("branches.view_need"):
        return None
    stats = open_need_stats(Need.objects.visible_to(user))
    return {"template": "branches/partials/people_home_needs.html", "stats": stats}


def reviewer_home_panel(request: HttpRequest) -> dict | None:
    """For county staff: how many assessments in their region wait for a review (one query)."""
    user = request.user
    if not user.is_authenticated or user.role != Role.COUNTY_STAFF or not user.has_perm("branches.change_assessment"):
        return None
    waiting = review_queue(Assessment.objects.visible_to(user))
    if not waiting["submitted"] and not waiting["town_reviewed"]:
        return None
    return {"template": "branches/partials/recognition_home_panel.html", "waiting": waiting}


HOME_PANELS = [open_needs_panel, secretary_home_panel, reviewer_home_panel]
