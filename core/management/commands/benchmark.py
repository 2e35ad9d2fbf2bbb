"""Time the main pages for each demo role and count their queries, against budgets.

Run after `load_demo` (the command loads it when missing): `make benchmark`.
Each page is requested `--repeat` times after one warm-up; the median and the
slowest time and the number of SQL queries are reported. A page over its time
budget or query budget fails the command (exit status 1).
"""

import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import NoReverseMatch, reverse

from core.models import User

# (demo login, URL name, how to find the URL's argument or None); budgets below.
PAGES = [
    ("laoganju", "core:home", None),
    ("laoganju", "core:person_list", None),
    ("laoganju", "branches:branch_list", None),
    ("laoganju", "branches:cluster_list", None),
    ("laoganju", "branches:retiree_list", None),
    ("laoganju", "branches:activity_list", None),
    ("laoganju", "branches:compliance_overview", None),
    ("laoganju", "branches:need_list", None),
    ("laoganju", "branches:workcommittee_list", None),
    ("laoganju", "branches:branch_detail", "largest_branch"),
    ("guangongwei", "branches:committee_list", None),
    ("shuji", "core:home", None),
    ("shuji", "branches:activity_create", None),
    ("shuji", "branches:branch_detail", "own_branch"),
    ("zhuren", "core:home", None),
    ("lingdao", "branches:branch_list", None),
]
TIME_BUDGET_MS = 500  # median, per page, on the 2-core reference machine
QUERY_BUDGET = 40


def _argument(kind: str, user) -> int:
    from branches.models import Branch

    if kind == "own_branch":
        return Branch.objects.visible_to(user).order_by("pk").values_list("pk", flat=True).first()
    branches = Branch.objects.visible_to(user).with_member_counts()
    return branches.order_by("-member_count", "pk").values_list("pk", flat=True).first()


class Command(BaseCommand):
    help = "Time the main pages per role and count their queries against the budgets."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, repeat, **options):
        if not User.objects.filter(username="shuji").exists():
            call_command("load_demo", stdout=self.stdout)
        setup_test_environment()
        failures = []
        self.stdout.write(f"{'login':<12} {'page':<36} {'median ms':>9} {'max ms':>7} {'queries':>7}")
        for username, url_name, arg in PAGES:
            user = User.objects.get(username=username)
            try:
                url = reverse(url_name, args=[_argument(arg, user)] if arg else [])
            except NoReverseMatch:
                failures.append(f"{url_name}: no such page")
                continue
            client = Client()
            client.force_login(user)
            client.get(url, secure=True)  # warm-up
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, secure=True)
                    timings.append((time.perf_counter() - start) * 1000)
            median = statistics.median(timings)
            self.stdout.write(f"{username:<12} {url_name:<36} {median:>9.0f} {max(timings):>7.0f} {len(queries):>7}")
            if response.status_code != 200:
                failures.append(f"{username} {url_name}: status {response.status_code}")
            if median > TIME_BUDGET_MS:
                failures.append(f"{username} {url_name}: median {median:.0f} ms > {TIME_BUDGET_MS} ms")
            if len(queries) > QUERY_BUDGET:
                failures.append(f"{username} {url_name}: {len(queries)} queries > {QUERY_BUDGET}")
        if failures:
            raise CommandError("over budget: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS(f"All {len(PAGES)} pages within budget."))
