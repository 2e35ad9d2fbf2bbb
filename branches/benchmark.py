"""The pages of the branches app that `manage.py benchmark` times (see core.hooks.BenchmarkPage).

Demo logins: `laoganju` (county staff of 永顺县), `guangongwei`, `shuji`, `zhuren`,
`lingdao`; `sheng_laoganju` and `shengji` exist after `manage.py seed_scale`.
"""

from django.urls import reverse
from django.utils import timezone

from branches.models import Activity, Attendance, Branch, Need, Retiree
from core import access
from core.hooks import BenchmarkPage, LoadWrite


def own_branch(user) -> int:
    return access.readable(user, Branch).order_by("pk").values_list("pk", flat=True).first()


def largest_branch(user) -> int:
    branches = access.readable(user, Branch).with_member_counts()
    return branches.order_by("-member_count", "pk").values_list("pk", flat=True).first()


PAGES = [
    BenchmarkPage("laoganju", "branches:branch_list"),
    BenchmarkPage("laoganju", "branches:cluster_list"),
    BenchmarkPage("laoganju", "branches:retiree_list"),
    BenchmarkPage("laoganju", "branches:activity_list"),
    BenchmarkPage("laoganju", "branches:compliance_overview"),
    BenchmarkPage("laoganju", "branches:need_list"),
    BenchmarkPage("laoganju", "branches:workcommittee_list"),
    BenchmarkPage("laoganju", "branches:branch_detail", largest_branch),
    BenchmarkPage("guangongwei", "branches:committee_list"),
    BenchmarkPage("shuji", "core:home"),
    BenchmarkPage("shuji", "branches:activity_create"),
    BenchmarkPage("shuji", "branches:branch_detail", own_branch),
    BenchmarkPage("zhuren", "core:home"),
    BenchmarkPage("lingdao", "branches:branch_list"),
    BenchmarkPage("sheng_laoganju", "core:home", province=True),
    BenchmarkPage("sheng_laoganju", "branches:branch_list", province=True),
    BenchmarkPage("sheng_laoganju", "branches:cluster_list", province=True),
    BenchmarkPage("sheng_laoganju", "branches:retiree_list", province=True),
    BenchmarkPage("sheng_laoganju", "branches:retiree_list?q=zhang", province=True),
    BenchmarkPage("sheng_laoganju", "branches:activity_list", province=True),
    BenchmarkPage("sheng_laoganju", "branches:compliance_overview", province=True),
    BenchmarkPage("sheng_laoganju", "branches:need_list", province=True),
    BenchmarkPage("sheng_laoganju", "branches:branch_detail", largest_branch, province=True),
    BenchmarkPage("shengji", "core:home", province=True),
    BenchmarkPage("shengji", "branches:branch_list", province=True),
    BenchmarkPage("shengji", "branches:cluster_list", province=True),
]
SCALE = [("branches", Branch), ("retirees", Retiree), ("activities", Activity), ("attendance", Attendance)]

# The load test's writes (core.loadtest): a secretary records an activity with her branch's roll
# ticked as the form offers it; county staff record a need for a branch.
WRITES = [
    LoadWrite(
        "activity",
        "shuji",
        page=lambda user: f"{reverse('branches:activity_create')}?branch={own_branch(user)}",
        fields=lambda user, marker: {"topic": marker},
        stored=lambda prefix: Activity.all_objects.filter(topic__startswith=prefix).count(),
    ),
    LoadWrite(
        "need",
        "laoganju",
        page=lambda user: reverse("branches:need_create"),
        fields=lambda user, marker: {
            "branch": largest_branch(user),
            "retiree": "",
            "received_on": timezone.localdate().isoformat(),
            "content": marker,
        },
        stored=lambda prefix: Need.all_objects.filter(content__startswith=prefix).count(),
    ),
]
