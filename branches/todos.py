"""The branches app's 待办事项 rules (core.hooks.register_todo), registered by BranchesConfig.ready().

Each count calls the selector the linked list filters with, so the panel's number is the list's
row count. A role the list refuses gets no item (None). Each costs a fixed number of queries.
Kept apart from the views so that loading the app imports no view module.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches import compliance
from branches.models import Activity, Attendance, Branch, Need, Retiree, WorkCommittee, WorkCommitteeMember
from branches.selectors.activities import home_study_todo_by_person, political_birthdays
from branches.selectors.organisation import members_behind
from core import access
from core.hooks import TodoRule

NEED_DAYS = 30  # an open need older than this is late


def _sees_branch_work(user) -> bool:
    # What the compliance overview and the 送学上门 list require: the branches' members, not the committees'.
    return access.can(user, access.VIEW, Activity) and access.can(user, access.VIEW, Retiree)


def meetings_to_hold_count(user, today) -> int | None:
    """Branches with a meeting overdue or due now (three queries)."""
    if not _sees_branch_work(user):
        return None
    branches = access.readable(user, Branch).filter(dissolved_on__isnull=True)
    return len(compliance.assessed_calendars(branches, today.year, today, to_hold_only=True))


def home_study_count(user, today) -> int | None:
    """Members to visit with the material (one query)."""
    if not (_sees_branch_work(user) and access.can(user, access.VIEW, Attendance)):
        return None
    return home_study_todo_by_person(access.readable(user, Attendance)).count()


def birthdays_count(user, today) -> int | None:
    """Members whose political birthday falls this month (one query)."""
    if not access.can(user, access.VIEW, Retiree):
        return None
    return political_birthdays(access.readable(user, Retiree), today.year, today.month).count()


def needs_open_count(user, today) -> int | None:
    """Needs open more than NEED_DAYS days (one query)."""
    if not access.can(user, access.VIEW, Need):
        return None
    return access.readable(user, Need).open_over(NEED_DAYS, today).count()


def guidance_behind_count(user, today) -> int | None:
    """Work-committee members behind with their guidance visits this year (one query)."""
    if not (access.can(user, access.VIEW, WorkCommitteeMember) and access.can(user, access.VIEW, WorkCommittee)):
        return None
    return members_behind(access.readable(user, WorkCommitteeMember), year=today.year).count()


def guidance_behind_url(user) -> str:
    """The work committee's page with only the members behind; the list when the user sees several (one query)."""
    committees = list(access.readable(user, WorkCommittee).order_by("pk").values_list("pk", flat=True)[:2])
    if len(committees) == 1:
        return reverse("branches:workcommittee_detail", args=[committees[0]]) + "?behind=1"
    return reverse("branches:workcommittee_list")


TODOS = [
    TodoRule(
        "meetings_to_hold",
        _("三会一课待开或逾期的支部"),
        meetings_to_hold_count,
        lambda user: reverse("branches:compliance_overview") + "?to_hold=1",
        order=10,
    ),
    TodoRule(
        "home_study",
        _("待送学上门的党员"),
        home_study_count,
        lambda user: reverse("branches:home_study_todo"),
        order=20,
    ),
    TodoRule(
        "political_birthdays",
        _("本月过政治生日的党员"),
        birthdays_count,
        lambda user: reverse("branches:political_birthdays"),
        order=30,
    ),
    TodoRule(
        "guidance_behind",
        _("到点指导未达标的工委委员"),
        guidance_behind_count,
        guidance_behind_url,
        order=40,
    ),
    TodoRule(
        "needs_open_over_30",
        _("办理超过30天的个性需求"),
        needs_open_count,
        lambda user: reverse("branches:need_list") + f"?open_over_days={NEED_DAYS}",
        order=50,
    ),
]
