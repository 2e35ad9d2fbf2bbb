"""Time the main pages for each demo role and count their queries, against budgets.

Run after `load_demo` (the command loads it when missing): `make benchmark`.
After `manage.py seed_scale --counties N` (copies of 永顺县 under 湖南省) the
province-wide accounts exist and their pages are timed too, at province scale;
the row counts printed first say at what scale the numbers were measured.
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
# Province-wide accounts made by `manage.py seed_scale`: timed when they exist.
PROVINCE_PAGES = [
    ("sheng_laoganju", "core:home", None),
    ("sheng_laoganju", "branches:branch_list", None),
    ("sheng_laoganju", "branches:cluster_list", None),
    ("sheng_laoganju", "branches:retiree_list", None),
    ("sheng_laoganju", "branches:retiree_list?q=zhang", None),
    ("sheng_laoganju", "branches:activity_list", None),
    ("sheng_laoganju", "branches:compliance_overview", None),
    ("sheng_laoganju", "branches:need_list", None),
    ("sheng_laoganju", "branches:branch_detail", "largest_branch"),
    ("shengji", "core:home", None),
    ("shengji", "branches:branch_list", None),
    ("shengji", "branches:cluster_list", None),
]
SCALE_TABLES = [
    ("branches", "branches_branch"),
    ("retirees", "branches_retiree"),
    ("activities", "branches_activity"),
    ("attendance", "branches_attendance"),
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
        with connection.cursor() as cursor:
            scale = []
            for label, table in SCALE_TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
                scale.append(f"{cursor.fetchone()[0]:,} {label}")
        self.stdout.write("Scale: " + ", ".join(scale))
        pages = list(PAGES)
        if User.objects.filter(username="sheng_laoganju").exists():
            pages += PROVINCE_PAGES
        failures = []
        self.stdout.write(f"{'login':<15} {'page':<40} {'median ms':>9} {'max ms':>7} {'queries':>7}")
        for username, page, arg in pages:
            url_name, _, query = page.partition("?")
            user = User.objects.get(username=username)
            try:
                url = reverse(url_name, args=[_argument(arg, user)] if arg else [])
                url += f"?{query}" if query else ""
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
            self.stdout.write(f"{username:<15} {page:<40} {median:>9.0f} {max(timings):>7.0f} {len(queries):>7}")
            if response.status_code != 200:
                failures.append(f"{username} {page}: status {response.status_code}")
            if median > TIME_BUDGET_MS:
                failures.append(f"{username} {page}: median {median:.0f} ms > {TIME_BUDGET_MS} ms")
            if len(queries) > QUERY_BUDGET:
                failures.append(f"{username} {page}: {len(queries)} queries > {QUERY_BUDGET}")
        if failures:
            raise CommandError("over budget: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS(f"All {len(pages)} pages within budget."))
